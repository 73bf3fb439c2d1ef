-- Diversity of attendance per neighbourhood and day with a 95% band: Gini-Simpson 1 − Σp² over the
-- declared groups, and its delta-method variance under multinomial sampling,
-- Var(Σp²) ≈ (4/n)(Σp³ − (Σp²)²), n the declared headcount (docs/methods.md). Withheld under k people.
CREATE VIEW published_diversity_daily AS
WITH cells AS (
    SELECT g.neighbourhood_id, g.bucket_start, g.headcount::float8 AS n,
           sum(g.headcount) OVER (PARTITION BY g.neighbourhood_id, g.bucket_start)::float8 AS total
      FROM neighbourhood_group_counts_daily g
     WHERE g.activity_id = '' AND g.group_code <> '?' AND g.headcount > 0),
sums AS (
    SELECT neighbourhood_id, bucket_start, max(total) AS total, sum((n / total) ^ 2) AS s2, sum((n / total) ^ 3) AS s3
      FROM cells GROUP BY 1, 2)
SELECT s.neighbourhood_id, s.bucket_start, p.k,
       CASE WHEN s.total >= p.k THEN s.total::bigint END AS declared_headcount,
       CASE WHEN s.total >= p.k THEN 1 - s.s2 END AS gini_simpson,
       CASE WHEN s.total >= p.k THEN greatest(0, 1 - s.s2 - 1.96 * sqrt(greatest(0, 4 * (s.s3 - s.s2 ^ 2) / s.total))) END
           AS lower95,
       CASE WHEN s.total >= p.k THEN least(1, 1 - s.s2 + 1.96 * sqrt(greatest(0, 4 * (s.s3 - s.s2 ^ 2) / s.total))) END
           AS upper95,
       s.total < p.k AS suppressed
  FROM sums s CROSS JOIN publication_settings p;

GRANT SELECT ON published_diversity_daily TO barometer_dashboard;
