-- The tiles scripts/bench.sh loads at zoom :z, as z/x/y lines, up to 2000 in a fixed
-- pseudo-random order, from one of two lists (:list). 'area': tiles under 3000 points spread
-- evenly over the counties, the tiles covering the city as a map viewer pans over it (some are
-- empty). 'parcels': tiles holding land parcels, through a 1 % sample of the parcels, so busy
-- tiles are likelier picked. BenchmarkTiles samples alike.
SELECT :'list' = 'area' AS area \gset
\if :area
SELECT :z || '/' || x || '/' || y FROM (
    SELECT DISTINCT floor((ST_X(p) + 20037508.342789244) / (40075016.685578488 / (1 << :z)))::integer AS x,
        floor((20037508.342789244 - ST_Y(p)) / (40075016.685578488 / (1 << :z)))::integer AS y
    FROM (SELECT (ST_Dump(ST_GeneratePoints(ST_Transform(ST_Union(geom), 3857), 3000, 42))).geom AS p
          FROM regions) g
) t
ORDER BY md5(x || '/' || y)
LIMIT 2000;
\else
SELECT :z || '/' || x || '/' || y FROM (
    SELECT DISTINCT floor((ST_X(c) + 20037508.342789244) / (40075016.685578488 / (1 << :z)))::integer AS x,
        floor((20037508.342789244 - ST_Y(c)) / (40075016.685578488 / (1 << :z)))::integer AS y
    FROM (SELECT ST_Centroid(geom_3857) AS c FROM assets TABLESAMPLE SYSTEM (1) REPEATABLE (42)
          WHERE kind = 'land' AND deleted_at IS NULL) p
) t
ORDER BY md5(x || '/' || y)
LIMIT 2000;
\endif
