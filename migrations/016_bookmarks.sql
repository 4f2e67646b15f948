-- Saved map views (issue 13 item 5): a user's own, and shared ones an admin sets for everyone
-- (owner_id NULL), e.g. one per development zone. The view is the UI's: centre, zoom, layers,
-- filters and the open query, as JSON the UI writes and reads back.
CREATE TABLE bookmarks (
    id         bigserial PRIMARY KEY,
    owner_id   bigint REFERENCES users (id) ON DELETE CASCADE,
    name       text NOT NULL CHECK (name <> '' AND length(name) <= 100),
    view       jsonb NOT NULL CHECK (jsonb_typeof(view) = 'object'),
    created_by text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX bookmarks_owner ON bookmarks (owner_id, name);

