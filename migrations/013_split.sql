-- Split and merge (issue 12): a parcel cut into pieces, or parcels joined into one, retires the
-- parents (soft delete) and creates the children. asset_lineage links them, one row per
-- parent-child pair, with the parent's event that did it; the asset's read answers its lineage
-- both ways (来源 / 去向).
CREATE TABLE asset_lineage (
    parent_id bigint NOT NULL REFERENCES assets (id),
    child_id  bigint NOT NULL REFERENCES assets (id),
    action    text NOT NULL CHECK (action IN ('split', 'merge')),
    at        timestamptz NOT NULL DEFAULT now(),
    event     bigint REFERENCES asset_events (id),
    PRIMARY KEY (parent_id, child_id),
    CHECK (parent_id <> child_id)
);
CREATE INDEX asset_lineage_child_idx ON asset_lineage (child_id);

-- The parent's event says what happened to it: 'split' or 'merge' (its after names the children).
ALTER TABLE asset_events DROP CONSTRAINT asset_events_action_check;
ALTER TABLE asset_events ADD CONSTRAINT asset_events_action_check
    CHECK (action IN ('create', 'update', 'delete', 'restore', 'import', 'split', 'merge'));
