-- 核查 (issue 12): field checks made from a phone at an asset, or at a position where something
-- was found that the map does not hold yet (新发现: no asset). The database measures how far the
-- device stood from the asset's geometry, on the ellipsoid (geography), and flags a check made
-- more than 200 m away: such a check was not made on the spot.
CREATE TABLE asset_checks (
    id          bigserial PRIMARY KEY,
    asset_id    bigint REFERENCES assets (id),
    result      text NOT NULL CHECK (result IN ('consistent', 'inconsistent', 'new_find', 'unreachable')),
    note        text NOT NULL DEFAULT '',
    lon         double precision NOT NULL CHECK (lon BETWEEN -180 AND 180),
    lat         double precision NOT NULL CHECK (lat BETWEEN -90 AND 90),
    geom        geometry(Point, 4490) GENERATED ALWAYS AS (ST_SetSRID(ST_MakePoint(lon, lat), 4490)) STORED,
    accuracy_m  double precision CHECK (accuracy_m >= 0),
    -- taken_at is the device's clock when the check was made (it may be off); created_at the server's.
    taken_at    timestamptz,
    created_at  timestamptz NOT NULL DEFAULT now(),
    user_id     bigint REFERENCES users (id) ON DELETE SET NULL,
    actor       text NOT NULL DEFAULT '',
    -- region_code is the asset's region, or for a find without an asset the region at the position:
    -- a region-scoped user sees and makes checks within their region only.
    region_code text,
    distance_m  double precision CHECK (distance_m >= 0),
    flagged     boolean NOT NULL GENERATED ALWAYS AS (coalesce(distance_m > 200, false)) STORED,
    deleted_at  timestamptz,
    CONSTRAINT asset_checks_asset_or_find CHECK (asset_id IS NOT NULL OR result = 'new_find')
);
CREATE INDEX asset_checks_asset_idx ON asset_checks (asset_id, created_at DESC) WHERE deleted_at IS NULL;
CREATE INDEX asset_checks_created_idx ON asset_checks (created_at DESC) WHERE deleted_at IS NULL;
CREATE INDEX asset_checks_geom_idx ON asset_checks USING gist (geom);

-- Photos taken with a check. A stand-in until attachments (issue 12, attach) carry a check_id:
-- then these rows move there (category 现场照片) and the table goes.
CREATE TABLE check_photos (
    id           bigserial PRIMARY KEY,
    check_id     bigint NOT NULL REFERENCES asset_checks (id) ON DELETE CASCADE,
    content      bytea NOT NULL,
    content_type text NOT NULL CHECK (content_type LIKE 'image/%'),
    taken_at     timestamptz,
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX check_photos_check_idx ON check_photos (check_id);
