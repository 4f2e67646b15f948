-- Every tile statement takes the same parameters: $1 z, $2 x, $3 y, then the filters $4 stages,
-- $5 modes, $6 region codes, $7 zone codes and $8 the asset kinds wanted (text[], NULL: all),
-- $9 land statuses, $10 and $11 the least and greatest 亩, $12 a text as an ILIKE pattern
-- matched against name, code and holder (NULL: no filter).
-- CTE params is never read: it fixes the parameters' types, so that a statement may leave some
-- of them unused and the layers of the composite tile share one signature (an unread CTE costs
-- nothing: the planner drops it).
WITH params AS (
    SELECT $1::integer, $2::integer, $3::integer, $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
        $9::text[], $10::float8, $11::float8, $12::text
)
