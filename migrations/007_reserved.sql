-- Placeholder on branch hardening only: 007 is taken by another branch. Delete this file at
-- merge (008_hardening.sql does not depend on it).
SELECT 1;
