-- The tiles scripts/bench.sh loads at zoom :z, as z/x/y lines: up to 2000 tiles holding land
-- parcels, found through a 1 % sample of the parcels (busy tiles are likelier picked, as they are
-- by people looking at the map), in a fixed pseudo-random order. BenchmarkTiles samples alike.
SELECT :z || '/' || x || '/' || y FROM (
    SELECT DISTINCT floor((ST_X(c) + 20037508.342789244) / (40075016.685578488 / (1 << :z)))::integer AS x,
        floor((20037508.342789244 - ST_Y(c)) / (40075016.685578488 / (1 << :z)))::integer AS y
    FROM (SELECT ST_Centroid(geom_3857) AS c FROM assets TABLESAMPLE SYSTEM (1) REPEATABLE (42)
          WHERE kind = 'land' AND deleted_at IS NULL) p
) t
ORDER BY md5(x || '/' || y)
LIMIT 2000;
