-- Issue #20: several cities in one barometer, kept apart and compared as their network compares them.
--
-- 1. cities: the cities of the deployment as reference data says (barometer.reference.cities,
--    followed by the data-quality feed): whether each takes part in the network comparison.
-- 2. The city's day is kept per city: city_daily and city_attendance_daily get a city column in
--    their keys (the streams stage keys each city's day by the city its neighbourhoods are
--    registered in). Days stored before belong to the one city the neighbourhoods name, when they
--    name exactly one; otherwise to '' (not attributable).
-- 3. published_city_segregation_daily per city; refused_updates names the city of a refused day.
-- 4. published_period_figures: each neighbourhood's and each city's composite index with its 95%
--    interval and its four components per week and per month, from the published hourly figures
--    only (withheld hours do not enter), the period withheld when fewer than k people were counted.
-- 5. published_network_comparison: each city that opts in against the distribution of the cities
--    that opt in (median, quartiles, rank), per week and month, beside the reference values a data
--    team entered by hand, labelled as such.

CREATE TABLE cities (
    id          text PRIMARY KEY,          -- the city's name as its neighbourhoods give it
    name        text NOT NULL,
    in_network  boolean NOT NULL DEFAULT false,
    updated_at  timestamptz NOT NULL DEFAULT now()
);

-- TimescaleDB cannot change the key of a hypertable with compressed chunks: decompress the city
-- tables and switch their compression off; the sink sets it again on start, segmented by city.
DO $decompress$
DECLARE
    t text;
BEGIN
    IF EXISTS (SELECT FROM pg_extension WHERE extname = 'timescaledb') THEN
        FOREACH t IN ARRAY ARRAY['city_daily', 'city_attendance_daily'] LOOP
            IF EXISTS (SELECT FROM timescaledb_information.hypertables
                        WHERE hypertable_name = t AND compression_enabled) THEN
                PERFORM remove_compression_policy(t::regclass, if_exists => true);
                PERFORM decompress_chunk(c, true) FROM show_chunks(t::regclass) c;
                EXECUTE format('ALTER TABLE %I SET (timescaledb.compress = false)', t);
            END IF;
        END LOOP;
    END IF;
END
$decompress$;

ALTER TABLE city_daily ADD COLUMN city text NOT NULL DEFAULT '';
ALTER TABLE city_attendance_daily ADD COLUMN city text NOT NULL DEFAULT '';
UPDATE city_daily SET city = c.city
  FROM (SELECT min(city) AS city FROM neighbourhoods HAVING count(DISTINCT city) = 1) c;
UPDATE city_attendance_daily SET city = c.city
  FROM (SELECT min(city) AS city FROM neighbourhoods HAVING count(DISTINCT city) = 1) c;
ALTER TABLE city_daily DROP CONSTRAINT city_daily_pkey, ADD PRIMARY KEY (city, window_start);
ALTER TABLE city_attendance_daily DROP CONSTRAINT city_attendance_daily_pkey,
    ADD PRIMARY KEY (city, window_start, activity_id, group_code);

ALTER TABLE refused_updates ADD COLUMN city text NOT NULL DEFAULT '';
ALTER TABLE refused_updates DROP CONSTRAINT refused_updates_pkey,
    ADD PRIMARY KEY (scope, city, neighbourhood_id, activity_id, window_start);

-- The city's segregation per city and UTC day, as V8 defined it for one city.
DROP VIEW published_city_segregation_daily;
CREATE VIEW published_city_segregation_daily AS
WITH declared AS (
    SELECT a.city, a.window_start, sum(a.headcount)::bigint AS visits
      FROM city_attendance_daily a
     WHERE a.group_code <> '?'
     GROUP BY a.city, a.window_start)
SELECT d.city, d.window_start AS day, d.is_final, p.k,
       CASE WHEN d.headcount >= p.k THEN d.headcount END AS visits,
       CASE WHEN coalesce(x.visits, 0) >= p.k THEN x.visits END AS declared_visits,
       CASE WHEN coalesce(x.visits, 0) >= p.k THEN d.multigroup_dissimilarity END AS dissimilarity,
       CASE WHEN coalesce(x.visits, 0) >= p.k THEN d.theil END AS theil,
       array_remove(ARRAY[
           CASE WHEN d.headcount < p.k THEN 'headcount' END,
           CASE WHEN coalesce(x.visits, 0) < p.k THEN 'segregation' END], NULL) AS withheld,
       r.refused_at AS refused_update_at
  FROM city_daily d CROSS JOIN publication_settings p
  LEFT JOIN declared x ON x.city = d.city AND x.window_start = d.window_start
  LEFT JOIN refused_updates r ON r.scope = 'city-day' AND r.city = d.city AND r.window_start = d.window_start;

-- Each neighbourhood's (and, neighbourhood_id '', each city's) figures per week (Mondays, UTC) and
-- calendar month (UTC), from the published hours only:
--   * cohesion_index: the headcount-weighted mean of the period's published hourly indices, with a
--     95% interval from how much those hours differ (hours as the units, as published_open_data_*:
--     Var = n/(n-1) Σ w²(x − x̄)² / (Σ w)²; it says how steady the index was, not a sampling error);
--   * its components, each the headcount-weighted mean of the published hours that have it:
--     participation (sustained share), diversity (evenness), mixing (cross-group share of contacts),
--     sentiment (the sentiment index from the published daily taps, taps-weighted);
--   * people: the published headcount summed; the whole period withheld ('headcount') when under k.
CREATE VIEW published_period_figures AS
WITH hours AS (
    -- an hour whose headcount was withheld weighs nothing, but keeps its period on the list (withheld)
    SELECT n.city, h.neighbourhood_id, h.window_start, coalesce(h.headcount, 0)::float8 AS w,
           CASE WHEN h.headcount > 0 THEN h.cohesion_index END AS x,
           CASE WHEN h.headcount > 0 THEN h.sustained_share END AS sustained_share,
           CASE WHEN h.headcount > 0 THEN h.evenness END AS evenness,
           CASE WHEN h.headcount > 0 THEN h.cross_group_share END AS cross_group_share
      FROM published_neighbourhood_hourly h
      JOIN neighbourhoods n ON n.id = h.neighbourhood_id
     WHERE h.activity_id = ''),
periods AS (
    SELECT 'week' AS period, date_bin('7 days', window_start, TIMESTAMPTZ '2000-01-03T00:00:00Z') AS period_start, hours.*
      FROM hours
    UNION ALL
    SELECT 'month', date_trunc('month', window_start AT TIME ZONE 'UTC') AT TIME ZONE 'UTC', hours.*
      FROM hours),
scoped AS (
    SELECT period, period_start, city, neighbourhood_id, w, x, sustained_share, evenness, cross_group_share FROM periods
    UNION ALL
    SELECT period, period_start, city, '', w, x, sustained_share, evenness, cross_group_share FROM periods),
means AS (
    SELECT period, period_start, city, neighbourhood_id, sum(w) AS people,
           count(x) AS n, sum(w) FILTER (WHERE x IS NOT NULL) AS sw,
           sum(w * x) / nullif(sum(w) FILTER (WHERE x IS NOT NULL), 0) AS mean,
           sum(w * sustained_share) / nullif(sum(w) FILTER (WHERE sustained_share IS NOT NULL), 0) AS participation,
           sum(w * evenness) / nullif(sum(w) FILTER (WHERE evenness IS NOT NULL), 0) AS diversity,
           sum(w * cross_group_share) / nullif(sum(w) FILTER (WHERE cross_group_share IS NOT NULL), 0) AS mixing
      FROM scoped GROUP BY 1, 2, 3, 4),
spread AS (
    SELECT m.period, m.period_start, m.city, m.neighbourhood_id,
           CASE WHEN m.n > 1 THEN sqrt(m.n::float8 / (m.n - 1) * sum(s.w ^ 2 * (s.x - m.mean) ^ 2)) / m.sw END AS se
      FROM means m
      JOIN scoped s USING (period, period_start, city, neighbourhood_id)
     WHERE s.x IS NOT NULL
     GROUP BY m.period, m.period_start, m.city, m.neighbourhood_id, m.n, m.sw, m.mean),
sentiment_days AS (
    SELECT n.city, s.neighbourhood_id, s.bucket_start, s.taps::float8 AS taps, s.sentiment_index
      FROM published_sentiment_daily s
      JOIN neighbourhoods n ON n.id = s.neighbourhood_id
     WHERE s.activity_id = '' AND s.taps IS NOT NULL),
sentiment AS (
    SELECT period, period_start, city, neighbourhood_id, sum(taps * sentiment_index) / sum(taps) AS sentiment
      FROM (SELECT 'week' AS period, date_bin('7 days', bucket_start, TIMESTAMPTZ '2000-01-03T00:00:00Z') AS period_start,
                   city, neighbourhood_id, taps, sentiment_index FROM sentiment_days
            UNION ALL
            SELECT 'week', date_bin('7 days', bucket_start, TIMESTAMPTZ '2000-01-03T00:00:00Z'), city, '', taps,
                   sentiment_index FROM sentiment_days
            UNION ALL
            SELECT 'month', date_trunc('month', bucket_start AT TIME ZONE 'UTC') AT TIME ZONE 'UTC', city, neighbourhood_id,
                   taps, sentiment_index FROM sentiment_days
            UNION ALL
            SELECT 'month', date_trunc('month', bucket_start AT TIME ZONE 'UTC') AT TIME ZONE 'UTC', city, '', taps,
                   sentiment_index FROM sentiment_days) d
     GROUP BY 1, 2, 3, 4)
SELECT m.city, m.neighbourhood_id, m.period, m.period_start,
       CASE WHEN m.period = 'week' THEN m.period_start + INTERVAL '7 days'
            ELSE (m.period_start AT TIME ZONE 'UTC' + INTERVAL '1 month') AT TIME ZONE 'UTC' END AS period_end,
       p.k,
       CASE WHEN m.people >= p.k THEN m.people::bigint END AS people,
       CASE WHEN m.people >= p.k THEN m.mean END AS cohesion_index,
       CASE WHEN m.people >= p.k AND s.se IS NOT NULL THEN greatest(0, m.mean - 1.96 * s.se) END AS cohesion_index_lower95,
       CASE WHEN m.people >= p.k AND s.se IS NOT NULL THEN least(100, m.mean + 1.96 * s.se) END AS cohesion_index_upper95,
       CASE WHEN m.people >= p.k THEN m.participation END AS participation,
       CASE WHEN m.people >= p.k THEN m.diversity END AS diversity,
       CASE WHEN m.people >= p.k THEN m.mixing END AS mixing,
       CASE WHEN m.people >= p.k THEN t.sentiment END AS sentiment,
       array_remove(ARRAY[CASE WHEN m.people < p.k THEN 'headcount' END], NULL) AS withheld
  FROM means m CROSS JOIN publication_settings p
  LEFT JOIN spread s USING (period, period_start, city, neighbourhood_id)
  LEFT JOIN sentiment t USING (period, period_start, city, neighbourhood_id);

-- Each city that opts in (cities.in_network) against the distribution of all cities that opt in
-- and have the figure published for the period: the network's median and quartiles (continuous
-- percentiles), and the city's rank (1 = highest; ties share a rank). A city not in the network is
-- neither shown nor counted. basis says where the comparison comes from: 'computed' from the
-- cities' published figures, or 'hand-entered' (reference_values with scope 'network', entered by a
-- data team with their source: the latest before the period ends, as the median, next to every
-- city's value, whether or not the city takes part).
CREATE VIEW published_network_comparison AS
WITH figures AS (
    SELECT f.city, f.period, f.period_start, f.period_end, v.indicator, v.value
      FROM published_period_figures f
     CROSS JOIN LATERAL (VALUES ('cohesion_index', f.cohesion_index), ('participation', f.participation),
                                ('diversity', f.diversity), ('mixing', f.mixing), ('sentiment', f.sentiment))
           AS v(indicator, value)
     WHERE f.neighbourhood_id = '' AND v.value IS NOT NULL),
members AS (
    SELECT f.* FROM figures f JOIN cities c ON c.id = f.city AND c.in_network),
distribution AS (
    SELECT period, period_start, indicator, count(*) AS cities,
           percentile_cont(0.25) WITHIN GROUP (ORDER BY value) AS lower_quartile,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY value) AS median,
           percentile_cont(0.75) WITHIN GROUP (ORDER BY value) AS upper_quartile
      FROM members GROUP BY 1, 2, 3)
SELECT m.city, m.period, m.period_start, m.period_end, m.indicator, m.value, 'computed' AS basis,
       d.cities AS network_cities,
       rank() OVER (PARTITION BY m.period, m.period_start, m.indicator ORDER BY m.value DESC) AS rank,
       d.median, d.lower_quartile, d.upper_quartile,
       'the published figures of the ' || d.cities || ' cities that take part' AS source
  FROM members m JOIN distribution d USING (period, period_start, indicator)
UNION ALL
SELECT m.city, m.period, m.period_start, m.period_end, m.indicator, m.value, 'hand-entered', NULL, NULL,
       r.value, NULL, NULL, r.source || ' (as of ' || r.as_of || ')'
  FROM figures m
  JOIN LATERAL (SELECT v.value, v.source, v.as_of FROM reference_values v
                 WHERE v.indicator = m.indicator AND v.scope = 'network' AND v.as_of < m.period_end
                 ORDER BY v.as_of DESC LIMIT 1) r ON true;

GRANT SELECT ON cities, published_city_segregation_daily, published_period_figures, published_network_comparison
    TO barometer_dashboard;
