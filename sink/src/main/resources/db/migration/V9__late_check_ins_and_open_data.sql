-- Check-ins that arrived after a later check-in of the same participant had already been counted
-- (paper sheets typed in weeks later): counted in their own hour in full, but the later hours'
-- first-time and sustained counts of that participant were not revised (docs/methods.md,
-- "Late signals"). Pipeline health shows how often that happens, so no figure is revised in silence.
ALTER TABLE neighbourhood_hourly ADD COLUMN partly_counted_check_ins bigint NOT NULL DEFAULT 0;

-- Per neighbourhood and day: how many check-ins arrived, and how many of them partly counted.
-- Counts of check-ins, not of people, and no breakdown by participant or group.
CREATE VIEW pipeline_partly_counted_daily AS
SELECT h.neighbourhood_id, date_trunc('day', h.window_start) AS day,
       sum(h.check_ins)::bigint AS check_ins, sum(h.partly_counted_check_ins)::bigint AS partly_counted_check_ins
  FROM neighbourhood_hourly h
 WHERE h.activity_id = ''
 GROUP BY 1, 2;

GRANT SELECT ON pipeline_partly_counted_daily TO barometer_dashboard;

-- Open data: what `barometer export` writes, one row per neighbourhood and day or week, every
-- value resting on fewer than k people, contacts or taps withheld (NULL, and named in "withheld").
-- Besides the published rollups it carries
--   * the cross-group share's Wilson 95% interval (contacts as the sample);
--   * the cohesion index of the period: the headcount-weighted mean of the period's published hours
--     (an hour whose index was withheld does not enter it), with a 95% interval from how much those
--     hours differ, Var = n/(n-1) * Σ w²(x - x̄)² / (Σ w)² over the n hours (hours as the units; it
--     says how steady the index was, not a survey's sampling error; no interval from one hour);
--   * the sentiment index over all questions from the summed level counts (levels spaced 0-100),
--     with the normal-approximation 95% interval of docs/methods.md.
-- Views run with their owner's rights: the read-only role reads these, not what lies under them.
DO $migration$
DECLARE
    period record;
BEGIN
    FOR period IN SELECT * FROM (VALUES ('daily', '1 day'), ('weekly', '7 days')) AS p(name, width) LOOP
        EXECUTE format($view$
            CREATE VIEW %1$I AS
            WITH hours AS (
                SELECT h.neighbourhood_id,
                       date_bin(INTERVAL %4$L, h.window_start, TIMESTAMPTZ '2000-01-03T00:00:00Z') AS bucket_start,
                       h.headcount::float8 AS w, h.cohesion_index AS x
                  FROM published_neighbourhood_hourly h
                 WHERE h.activity_id = '' AND h.cohesion_index IS NOT NULL AND h.headcount > 0),
            means AS (
                SELECT neighbourhood_id, bucket_start, count(*) AS n, sum(w) AS sw, sum(w * x) / sum(w) AS mean
                  FROM hours GROUP BY 1, 2),
            cohesion AS (
                SELECT m.neighbourhood_id, m.bucket_start, m.mean,
                       CASE WHEN m.n > 1 THEN sqrt(m.n::float8 / (m.n - 1) * sum(h.w ^ 2 * (h.x - m.mean) ^ 2)) / m.sw END AS se
                  FROM means m JOIN hours h USING (neighbourhood_id, bucket_start)
                 GROUP BY m.neighbourhood_id, m.bucket_start, m.n, m.sw, m.mean),
            levels AS (
                SELECT s.neighbourhood_id, s.bucket_start, s.taps::float8 AS taps,
                       100.0 * (s.level - 1) / (s.scale - 1) AS score
                  FROM %3$I s
                 WHERE s.activity_id = '' AND s.scale > 1),
            sentiment AS (
                SELECT neighbourhood_id, bucket_start, sum(taps) AS taps, sum(taps * score) / sum(taps) AS mean,
                       CASE WHEN sum(taps) > 1 THEN sqrt(greatest(0, (sum(taps * score ^ 2) - sum(taps * score) ^ 2 / sum(taps))
                                                                  / (sum(taps) - 1))) END AS sd
                  FROM levels GROUP BY 1, 2 HAVING sum(taps) > 0)
            SELECT p.neighbourhood_id, n.name AS neighbourhood, n.city, p.bucket_start,
                   p.bucket_start + INTERVAL %4$L AS bucket_end, p.is_final, p.k,
                   p.check_ins, p.headcount, p.gini_simpson, p.evenness,
                   CASE WHEN d.contacts >= p.k THEN d.contacts END AS contacts,
                   p.cross_group_share,
                   CASE WHEN d.contacts >= p.k AND d.cross_group_share IS NOT NULL THEN greatest(0,
                       (d.cross_group_share + 1.96 ^ 2 / (2 * d.contacts)
                        - 1.96 * sqrt(d.cross_group_share * (1 - d.cross_group_share) / d.contacts + 1.96 ^ 2 / (4 * d.contacts ^ 2)))
                       / (1 + 1.96 ^ 2 / d.contacts)) END AS cross_group_share_lower95,
                   CASE WHEN d.contacts >= p.k AND d.cross_group_share IS NOT NULL THEN least(1,
                       (d.cross_group_share + 1.96 ^ 2 / (2 * d.contacts)
                        + 1.96 * sqrt(d.cross_group_share * (1 - d.cross_group_share) / d.contacts + 1.96 ^ 2 / (4 * d.contacts ^ 2)))
                       / (1 + 1.96 ^ 2 / d.contacts)) END AS cross_group_share_upper95,
                   c.mean AS cohesion_index,
                   -- greatest/least skip NULLs: without the CASE, one hour's missing interval would read 0 to 100
                   CASE WHEN c.se IS NOT NULL THEN greatest(0, c.mean - 1.96 * c.se) END AS cohesion_index_lower95,
                   CASE WHEN c.se IS NOT NULL THEN least(100, c.mean + 1.96 * c.se) END AS cohesion_index_upper95,
                   CASE WHEN s.taps >= p.k THEN s.taps::bigint END AS sentiment_taps,
                   CASE WHEN s.taps >= p.k THEN s.mean END AS sentiment_index,
                   CASE WHEN s.taps >= p.k AND s.sd IS NOT NULL THEN greatest(0, s.mean - 1.96 * s.sd / sqrt(s.taps)) END
                       AS sentiment_index_lower95,
                   CASE WHEN s.taps >= p.k AND s.sd IS NOT NULL THEN least(100, s.mean + 1.96 * s.sd / sqrt(s.taps)) END
                       AS sentiment_index_upper95,
                   p.withheld || CASE WHEN coalesce(s.taps, 0) < p.k AND coalesce(s.taps, 0) > 0
                                      THEN ARRAY['sentiment'] ELSE ARRAY[]::text[] END AS withheld
              FROM %2$I p
              JOIN %5$I d ON d.neighbourhood_id = p.neighbourhood_id AND d.bucket_start = p.bucket_start
              LEFT JOIN neighbourhoods n ON n.id = p.neighbourhood_id
              LEFT JOIN cohesion c ON c.neighbourhood_id = p.neighbourhood_id AND c.bucket_start = p.bucket_start
              LEFT JOIN sentiment s ON s.neighbourhood_id = p.neighbourhood_id AND s.bucket_start = p.bucket_start
            $view$, 'published_open_data_' || period.name, 'published_neighbourhood_' || period.name,
            'neighbourhood_sentiment_counts_' || period.name, period.width, 'neighbourhood_' || period.name);
        EXECUTE format('GRANT SELECT ON %I TO barometer_dashboard', 'published_open_data_' || period.name);
    END LOOP;
END
$migration$;
