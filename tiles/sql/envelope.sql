-- The tile statements' second CTE (after params.sql), made once: the tile's square, the square
-- grown by the 64-unit buffer for selecting, and what maps EPSG:3857 to tile coordinates:
-- x' = (x - x0) * scale, y' = (y0 - y) * scale. land_rows.sql does without it: materializing it
-- and joining to it cost a sixth to a fifth of that statement's database time at zoom 16.
, envelope AS MATERIALIZED (
    SELECT t.tile, ST_TileEnvelope($1, $2, $3, margin => 64.0 / 4096) AS buffered,
        ST_XMin(t.tile) AS x0, ST_YMax(t.tile) AS y0, 4096 / (ST_XMax(t.tile) - ST_XMin(t.tile)) AS scale
    FROM (SELECT ST_TileEnvelope($1, $2, $3) AS tile) t
)
