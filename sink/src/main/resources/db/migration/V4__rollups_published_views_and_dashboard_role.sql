-- Rollups that stay exact, published (suppressed) views, and the read-only role for dashboards.
--
-- A daily or weekly figure is recomputed from the SUMMED hourly counts (headcount per group, contacts,
-- taps per level), never by averaging hourly indicators: the mean of two hours' Gini-Simpson is not
-- the day's Gini-Simpson. Formulas: docs/methods.md.

CREATE TABLE publication_settings (
    k int NOT NULL CHECK (k >= 5)
);
INSERT INTO publication_settings VALUES (${suppression_k});

-- Every neighbourhood (activity_id = '') per bucket, from summed hourly statistics.
CREATE FUNCTION neighbourhood_rollup(bucket interval, origin timestamptz)
RETURNS TABLE (neighbourhood_id text, bucket_start timestamptz, check_ins bigint, headcount bigint,
               contacts bigint, cross_group_contacts bigint, sentiment_taps bigint, is_final boolean,
               declared_headcount bigint, groups bigint, gini_simpson float8, gini_simpson_unbiased float8,
               shannon float8, evenness float8, cross_group_share float8)
LANGUAGE sql STABLE AS $$
    WITH counts AS (
        SELECT h.neighbourhood_id, date_bin(bucket, h.window_start, origin) AS bucket_start,
               sum(h.check_ins)::bigint AS check_ins, sum(h.headcount)::bigint AS headcount,
               sum(h.contacts)::bigint AS contacts, sum(h.cross_group_contacts)::bigint AS cross_group_contacts,
               sum(h.sentiment_taps)::bigint AS sentiment_taps, bool_and(h.is_final) AS is_final
          FROM neighbourhood_hourly h
         WHERE h.activity_id = ''
         GROUP BY 1, 2),
    groups AS (
        SELECT g.neighbourhood_id, date_bin(bucket, g.window_start, origin) AS bucket_start, g.group_code,
               sum(g.headcount)::float8 AS n
          FROM neighbourhood_group_hourly g
         WHERE g.activity_id = '' AND g.group_code <> '?' AND g.headcount > 0
         GROUP BY 1, 2, 3),
    shares AS (
        SELECT gr.*, sum(gr.n) OVER (PARTITION BY gr.neighbourhood_id, gr.bucket_start) AS total FROM groups gr),
    diversity AS (
        SELECT s.neighbourhood_id, s.bucket_start, max(s.total)::bigint AS declared, count(*) AS groups,
               1 - sum((s.n / s.total) ^ 2) AS gini_simpson,
               CASE WHEN max(s.total) > 1 THEN 1 - sum(s.n * (s.n - 1)) / (max(s.total) * (max(s.total) - 1)) END
                   AS gini_simpson_unbiased,
               -sum((s.n / s.total) * ln(s.n / s.total)) AS shannon
          FROM shares s
         GROUP BY 1, 2)
    SELECT c.neighbourhood_id, c.bucket_start, c.check_ins, c.headcount, c.contacts, c.cross_group_contacts,
           c.sentiment_taps, c.is_final, coalesce(d.declared, 0), coalesce(d.groups, 0), d.gini_simpson,
           d.gini_simpson_unbiased, d.shannon,
           CASE WHEN d.groups > 1 THEN d.shannon / ln(d.groups) END,
           -- cross-group share among contacts whose two sides both declared a group
           (SELECT sum(m.contacts) FILTER (WHERE m.group_a <> m.group_b)::float8 / nullif(sum(m.contacts), 0)
              FROM neighbourhood_mixing_hourly m
             WHERE m.neighbourhood_id = c.neighbourhood_id AND m.activity_id = ''
               AND m.group_a <> '?' AND m.group_b <> '?'
               AND date_bin(bucket, m.window_start, origin) = c.bucket_start)
      FROM counts c
      LEFT JOIN diversity d ON d.neighbourhood_id = c.neighbourhood_id AND d.bucket_start = c.bucket_start
$$;

-- Weeks start on Mondays (2000-01-03 was one); days at midnight UTC.
CREATE VIEW neighbourhood_daily AS SELECT * FROM neighbourhood_rollup('1 day', '2000-01-03T00:00:00Z');
CREATE VIEW neighbourhood_weekly AS SELECT * FROM neighbourhood_rollup('7 days', '2000-01-03T00:00:00Z');

-- Sentiment per question and bucket from summed level counts: levels spaced 0..100.
CREATE VIEW neighbourhood_sentiment_daily AS
SELECT s.neighbourhood_id, date_bin('1 day', s.window_start, TIMESTAMPTZ '2000-01-03T00:00:00Z') AS bucket_start,
       s.question_code, s.scale, sum(s.taps)::bigint AS taps,
       sum(s.taps * 100.0 * (s.level - 1) / (s.scale - 1)) / nullif(sum(s.taps), 0) AS sentiment_index
  FROM neighbourhood_sentiment_hourly s
 WHERE s.activity_id = ''
 GROUP BY 1, 2, 3, 4;

-- What dashboards and open data may read: values resting on fewer than k people, contacts or taps
-- are NULL and named in "withheld", so a panel can say "fewer than k" instead of showing a zero.
CREATE VIEW published_neighbourhood_hourly AS
SELECT h.neighbourhood_id, h.activity_id, h.window_start, h.window_end, h.is_final, h.suppression_k,
       CASE WHEN h.headcount >= p.k THEN h.check_ins END AS check_ins,
       CASE WHEN h.headcount >= p.k THEN h.headcount END AS headcount,
       CASE WHEN h.unique_participants >= p.k THEN h.unique_participants END AS unique_participants,
       h.gini_simpson, h.gini_simpson_unbiased, h.shannon, h.evenness, h.cross_group_share, h.assortativity,
       h.assortativity_lower_bound, h.first_time_share, h.sustained_share, h.cohesion_index,
       h.sentiment_indicators, h.withheld
         || CASE WHEN h.headcount < p.k THEN ARRAY['headcount'] ELSE ARRAY[]::text[] END AS withheld
  FROM neighbourhood_hourly h CROSS JOIN publication_settings p;

-- The published rollup: the same figures with suppression applied. SECURITY DEFINER so that the
-- dashboard role can read it without reading the hourly tables or the raw rollup; it only reads,
-- with a fixed search_path.
CREATE FUNCTION published_neighbourhood_rollup(bucket interval, origin timestamptz)
RETURNS TABLE (neighbourhood_id text, bucket_start timestamptz, is_final boolean, k int, check_ins bigint,
               headcount bigint, gini_simpson float8, gini_simpson_unbiased float8, shannon float8,
               evenness float8, cross_group_share float8, withheld text[])
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT d.neighbourhood_id, d.bucket_start, d.is_final, p.k,
           CASE WHEN d.headcount >= p.k THEN d.check_ins END,
           CASE WHEN d.headcount >= p.k THEN d.headcount END,
           CASE WHEN d.declared_headcount >= p.k THEN d.gini_simpson END,
           CASE WHEN d.declared_headcount >= p.k THEN d.gini_simpson_unbiased END,
           CASE WHEN d.declared_headcount >= p.k THEN d.shannon END,
           CASE WHEN d.declared_headcount >= p.k THEN d.evenness END,
           CASE WHEN d.contacts >= p.k THEN d.cross_group_share END,
           array_remove(ARRAY[
               CASE WHEN d.headcount < p.k THEN 'headcount' END,
               CASE WHEN d.declared_headcount < p.k THEN 'diversity' END,
               CASE WHEN d.contacts < p.k THEN 'mixing' END], NULL)
      FROM neighbourhood_rollup(bucket, origin) d CROSS JOIN publication_settings p
$$;

CREATE VIEW published_neighbourhood_daily AS
SELECT * FROM published_neighbourhood_rollup('1 day', '2000-01-03T00:00:00Z');
CREATE VIEW published_neighbourhood_weekly AS
SELECT * FROM published_neighbourhood_rollup('7 days', '2000-01-03T00:00:00Z');

-- The dashboards' role: it reads the published views and nothing else. Deployments give it a
-- password (ALTER ROLE barometer_dashboard LOGIN PASSWORD '...').
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'barometer_dashboard') THEN
        CREATE ROLE barometer_dashboard NOLOGIN;
    END IF;
END
$$;
GRANT USAGE ON SCHEMA public TO barometer_dashboard;
REVOKE EXECUTE ON FUNCTION neighbourhood_rollup(interval, timestamptz) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION published_neighbourhood_rollup(interval, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION published_neighbourhood_rollup(interval, timestamptz) TO barometer_dashboard;
GRANT SELECT ON published_neighbourhood_hourly, published_neighbourhood_daily, published_neighbourhood_weekly
    TO barometer_dashboard;
