-- Attachments (issue 12): files kept with an asset or a 盘活项目 — 权证, 合同, 评估报告, 现场照片 and
-- the rest — with their content in PostgreSQL, so that one backup holds them. The content is cut
-- into chunks of at most 256 kB (attachment_chunks), written and read one chunk at a time: no
-- file is ever held whole in memory, and a dump streams like any other table.
CREATE TABLE attachments (
    id           bigserial PRIMARY KEY,
    asset_id     bigint REFERENCES assets (id) ON DELETE CASCADE,
    project_id   bigint REFERENCES projects (id) ON DELETE CASCADE,
    -- category: deed 权证, contract 合同, appraisal 评估报告, photo 现场照片, other 其他.
    category     text NOT NULL CHECK (category IN ('deed', 'contract', 'appraisal', 'photo', 'other')),
    note         text NOT NULL DEFAULT '',
    filename     text NOT NULL CHECK (filename <> ''),
    -- content_type is what the content was recognised as, never what the client said.
    content_type text NOT NULL,
    size         bigint NOT NULL CHECK (size >= 0),
    sha256       text NOT NULL,
    exif_lon     double precision,
    exif_lat     double precision,
    exif_taken_at timestamp,
    thumbnail    bytea,
    uploader_id  bigint REFERENCES users (id) ON DELETE SET NULL,
    uploader     text NOT NULL DEFAULT '',
    created_at   timestamptz NOT NULL DEFAULT now(),
    deleted_at   timestamptz,
    deleted_by   text,
    -- check_id is the field check (核查) a photo was taken for; its table comes later.
    check_id     bigint,
    CHECK ((asset_id IS NULL) <> (project_id IS NULL))
);
CREATE INDEX attachments_asset_idx ON attachments (asset_id) WHERE deleted_at IS NULL;
CREATE INDEX attachments_project_idx ON attachments (project_id) WHERE deleted_at IS NULL;
CREATE INDEX attachments_check_idx ON attachments (check_id) WHERE check_id IS NOT NULL;

CREATE TABLE attachment_chunks (
    attachment_id bigint NOT NULL REFERENCES attachments (id) ON DELETE CASCADE,
    n             integer NOT NULL CHECK (n >= 0),
    data          bytea NOT NULL,
    PRIMARY KEY (attachment_id, n)
);
-- The chunks are already compressed (JPEG, PDF, zip) or not worth compressing: store them as is.
ALTER TABLE attachment_chunks ALTER COLUMN data SET STORAGE EXTERNAL;
