-- Placeholder for the geom branch's 013 (issue 12), so that 014_split.sql applies in the split branch
-- (tern wants contiguous numbers). The lead drops it when merging, or keeps it if geom needs no 013.
SELECT 1;
