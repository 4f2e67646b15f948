-- The map at a past time (issue 13 item 9): an asset as it stood at time t, rebuilt from its
-- append-only history. Every event's "before" is the row's snapshot as the change found it (every
-- column but the geometries, eventColumns in internal/assets), and an outline edit's before also
-- holds the old outline ("geometry", GeoJSON, 7 decimals). So the row at t is the current row
-- overlaid with the before of the first event after t, and its outline the old outline of the
-- first outline edit after t. The rebuilt created_at and deleted_at say whether it existed at t
-- (asset_existed): a parcel retired by a split after t was alive at t, one created after t was not.
-- A change at exactly t belongs to t. Known gap: an import that updates an existing code's outline
-- records no old outline, so the outline before such an import is today's. Every write that
-- appends an event also sets updated_at, so a row not updated since t is its own state at t: most
-- rows, read without a look at their events.
CREATE FUNCTION asset_at(a assets, t timestamptz) RETURNS assets LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN a.updated_at <= t THEN a ELSE jsonb_populate_record(a,
        coalesce((SELECT e.before FROM asset_events e
                  WHERE e.asset_id = a.id AND e.at > t AND e.before IS NOT NULL
                  ORDER BY e.at, e.id LIMIT 1), '{}')
        || coalesce((SELECT jsonb_build_object('geom', encode(ST_AsEWKB(g), 'hex'),
                         'geom_3857', encode(ST_AsEWKB(ST_Transform(g, 3857)), 'hex'))
                  FROM asset_events e, LATERAL ST_SetSRID(ST_GeomFromGeoJSON(e.before -> 'geometry'), 4490) g
                  WHERE e.asset_id = a.id AND e.at > t AND e.before ? 'geometry'
                  ORDER BY e.at, e.id LIMIT 1), '{}')) END
$$;

-- asset_existed tells whether rebuilt row h (asset_at(a, t)) was a live asset at t.
CREATE FUNCTION asset_existed(h assets, t timestamptz) RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT h.created_at <= t AND (h.deleted_at IS NULL OR h.deleted_at > t)
$$;

-- assets_at(t, box) are the assets alive at t whose outline at t meets box (EPSG:3857), as
-- rebuilt rows: the ones lying there now, and those whose outline changed since (few, by the
-- partial index below), in case one lay there then.
CREATE FUNCTION assets_at(t timestamptz, box geometry) RETURNS SETOF assets LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT h.*
    FROM (SELECT id FROM assets WHERE geom_3857 && box AND created_at <= t
          UNION
          SELECT asset_id FROM asset_events WHERE at > t AND before ? 'geometry') c
    JOIN assets a ON a.id = c.id, LATERAL asset_at(a, t) h
    WHERE a.created_at <= t AND asset_existed(h, t) AND h.geom_3857 && box
$$;

CREATE INDEX asset_events_outline_idx ON asset_events (at) WHERE before ? 'geometry';
-- What changed between two times reads the events of the span.
CREATE INDEX asset_events_at_idx ON asset_events (at);
