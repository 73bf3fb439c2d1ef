-- Issue #22: figures at their bounds, refused updates made visible, the city's segregation published.
--
-- 1. Every derived figure has a check constraint "<column>_range" with the range its definition gives
--    it — the ranges org.cohesionbarometer.schemas.Figure states, which the streams stage clamps
--    rounding errors to (FigureRangesIT compares the two column by column). Rows stored before with a
--    rounding error outside the range (an evenness of 1.0000000000000002 where the index was not
--    refused) are brought back to it first; anything further out fails this migration loudly.
-- 2. refused_updates: the windows whose latest update the database refused. The sink marks a window
--    when it dead-letters its update and clears the mark once an update with at least as much data is
--    stored; published views show the mark, so an earlier, partial update is not read as current.
-- 3. The city's multigroup dissimilarity (Reardon & Firebaugh 2002) next to Theil's H, and
--    published_city_segregation_daily, suppressed, for the dashboards.

ALTER TABLE city_daily ADD COLUMN multigroup_dissimilarity double precision;

ALTER TABLE city_daily DROP CONSTRAINT city_daily_theil_check;

DO $ranges$
DECLARE
    r record;
    slack float8;
BEGIN
    FOR r IN SELECT * FROM (VALUES
        ('neighbourhood_hourly', 'gini_simpson', 0::float8, 1::float8),
        ('neighbourhood_hourly', 'gini_simpson_unbiased', 0, 1),
        ('neighbourhood_hourly', 'shannon', 0, 'Infinity'),
        ('neighbourhood_hourly', 'evenness', 0, 1),
        ('neighbourhood_hourly', 'cross_group_share', 0, 1),
        ('neighbourhood_hourly', 'assortativity', -1, 1),
        ('neighbourhood_hourly', 'assortativity_lower_bound', '-Infinity', 0),
        ('neighbourhood_hourly', 'first_time_share', 0, 1),
        ('neighbourhood_hourly', 'sustained_share', 0, 1),
        ('neighbourhood_hourly', 'cohesion_index', 0, 100),
        ('city_daily', 'theil', 0, 1),
        ('city_daily', 'gini_simpson', 0, 1),
        ('city_daily', 'evenness', 0, 1),
        ('city_daily', 'multigroup_dissimilarity', 0, 1)
    ) AS v(table_name, column_name, lowest, highest) LOOP
        -- Figure.TOLERANCE: what lies this close to the range is rounding.
        slack := 1e-9 * CASE WHEN r.highest - r.lowest = 'Infinity' THEN 1 ELSE r.highest - r.lowest END;
        EXECUTE format('UPDATE %1$I SET %2$I = CASE WHEN %2$I < %3$L::float8 THEN %3$L::float8 ELSE %4$L::float8 END '
                       'WHERE (%2$I < %3$L::float8 AND %2$I >= %3$L::float8 - %5$L::float8) '
                       'OR (%2$I > %4$L::float8 AND %2$I <= %4$L::float8 + %5$L::float8)',
                       r.table_name, r.column_name, r.lowest, r.highest, slack);
        EXECUTE format('ALTER TABLE %I DROP CONSTRAINT IF EXISTS %I', r.table_name, r.column_name || '_range');
        -- An unbounded end is ±Infinity, which BETWEEN compares like any other float8.
        EXECUTE format('ALTER TABLE %I ADD CONSTRAINT %I CHECK (%I BETWEEN %L::float8 AND %L::float8)',
                       r.table_name, r.column_name || '_range', r.column_name, r.lowest, r.highest);
    END LOOP;
END
$ranges$;

-- A window whose latest update the database refused (and the sink dead-lettered). scope is
-- 'neighbourhood-hour' (activity_id '' = the neighbourhood as a whole) or 'city-day' (neighbourhood_id
-- and activity_id ''). "growing" is the refused update's counts as the sink's upsert compares them
-- (check-ins + contacts + taps of a window, the headcount of a city day): a stored update with at
-- least as much clears the mark. reason: the first line of the database's error, never its detail
-- (which quotes the row's values).
CREATE TABLE refused_updates (
    scope            text        NOT NULL CHECK (scope IN ('neighbourhood-hour', 'city-day')),
    neighbourhood_id text        NOT NULL DEFAULT '',
    activity_id      text        NOT NULL DEFAULT '',
    window_start     timestamptz NOT NULL,
    window_end       timestamptz NOT NULL,
    is_final         boolean     NOT NULL,
    growing          bigint      NOT NULL CHECK (growing >= 0),
    refused_at       timestamptz NOT NULL DEFAULT now(),
    source_topic     text        NOT NULL,
    reason           text        NOT NULL,
    PRIMARY KEY (scope, neighbourhood_id, activity_id, window_start)
);

-- The published hours as before, and when the hour's latest update was refused (NULL: the figures
-- shown are the latest the pipeline computed).
CREATE OR REPLACE VIEW published_neighbourhood_hourly AS
SELECT h.neighbourhood_id, h.activity_id, h.window_start, h.window_end, h.is_final, h.suppression_k,
       CASE WHEN h.headcount >= p.k THEN h.check_ins END AS check_ins,
       CASE WHEN h.headcount >= p.k THEN h.headcount END AS headcount,
       CASE WHEN h.unique_participants >= p.k THEN h.unique_participants END AS unique_participants,
       h.gini_simpson, h.gini_simpson_unbiased, h.shannon, h.evenness, h.cross_group_share, h.assortativity,
       h.assortativity_lower_bound, h.first_time_share, h.sustained_share, h.cohesion_index,
       h.sentiment_indicators, h.withheld
         || CASE WHEN h.headcount < p.k THEN ARRAY['headcount'] ELSE ARRAY[]::text[] END AS withheld,
       r.refused_at AS refused_update_at
  FROM neighbourhood_hourly h CROSS JOIN publication_settings p
  LEFT JOIN refused_updates r ON r.scope = 'neighbourhood-hour' AND r.neighbourhood_id = h.neighbourhood_id
        AND r.activity_id = h.activity_id AND r.window_start = h.window_start;

-- The city's segregation per UTC day: multigroup D and Theil's H over activities, counted in visits
-- (docs/methods.md). Both withheld ('segregation') when fewer than k declared visits, the
-- headcount when fewer than k visits. One row per city and day: there is one city per database
-- today, so the day is the key; a city column joins it when there are several.
CREATE VIEW published_city_segregation_daily AS
WITH declared AS (
    SELECT a.window_start, sum(a.headcount)::bigint AS visits
      FROM city_attendance_daily a
     WHERE a.group_code <> '?'
     GROUP BY a.window_start)
SELECT d.window_start AS day, d.is_final, p.k,
       CASE WHEN d.headcount >= p.k THEN d.headcount END AS visits,
       CASE WHEN coalesce(x.visits, 0) >= p.k THEN x.visits END AS declared_visits,
       CASE WHEN coalesce(x.visits, 0) >= p.k THEN d.multigroup_dissimilarity END AS dissimilarity,
       CASE WHEN coalesce(x.visits, 0) >= p.k THEN d.theil END AS theil,
       array_remove(ARRAY[
           CASE WHEN d.headcount < p.k THEN 'headcount' END,
           CASE WHEN coalesce(x.visits, 0) < p.k THEN 'segregation' END], NULL) AS withheld,
       r.refused_at AS refused_update_at
  FROM city_daily d CROSS JOIN publication_settings p
  LEFT JOIN declared x ON x.window_start = d.window_start
  LEFT JOIN refused_updates r ON r.scope = 'city-day' AND r.window_start = d.window_start;

-- For the pipeline-health dashboard: which windows show an earlier update than the pipeline computed.
CREATE VIEW pipeline_refused_updates AS
SELECT scope, neighbourhood_id, activity_id, window_start, window_end, is_final, refused_at, source_topic, reason
  FROM refused_updates;

GRANT SELECT ON published_city_segregation_daily, pipeline_refused_updates TO barometer_dashboard;

-- The daily and weekly rollups recompute diversity from summed counts in float8, where the same
-- rounding happens (five equal groups: evenness 1.0000000000000002): the same views as V5, each
-- figure kept within its range.
DO $rollups$
DECLARE
    period text;
BEGIN
    FOREACH period IN ARRAY ARRAY['daily', 'weekly'] LOOP
        EXECUTE format($view$
            CREATE OR REPLACE VIEW %1$I AS
            WITH groups AS (
                SELECT g.neighbourhood_id, g.bucket_start, g.headcount::float8 AS n,
                       sum(g.headcount) OVER (PARTITION BY g.neighbourhood_id, g.bucket_start)::float8 AS total
                  FROM %2$I g
                 WHERE g.activity_id = '' AND g.group_code <> '?' AND g.headcount > 0),
            diversity AS (
                SELECT s.neighbourhood_id, s.bucket_start, max(s.total)::bigint AS declared, count(*) AS groups,
                       1 - sum((s.n / s.total) ^ 2) AS gini_simpson,
                       CASE WHEN max(s.total) > 1 THEN 1 - sum(s.n * (s.n - 1)) / (max(s.total) * (max(s.total) - 1)) END
                           AS gini_simpson_unbiased,
                       -sum((s.n / s.total) * ln(s.n / s.total)) AS shannon
                  FROM groups s
                 GROUP BY 1, 2),
            mixing AS (
                -- cross-group share among contacts whose two sides both declared a group
                SELECT m.neighbourhood_id, m.bucket_start,
                       sum(m.contacts) FILTER (WHERE m.group_a <> m.group_b)::float8 / nullif(sum(m.contacts), 0) AS share
                  FROM %3$I m
                 WHERE m.activity_id = '' AND m.group_a <> '?' AND m.group_b <> '?'
                 GROUP BY 1, 2)
            SELECT c.neighbourhood_id, c.bucket_start, c.check_ins, c.headcount, c.contacts, c.cross_group_contacts,
                   c.sentiment_taps, c.is_final, coalesce(d.declared, 0) AS declared_headcount,
                   coalesce(d.groups, 0) AS groups, least(greatest(d.gini_simpson, 0), 1) AS gini_simpson,
                   least(greatest(d.gini_simpson_unbiased, 0), 1) AS gini_simpson_unbiased,
                   greatest(d.shannon, 0) AS shannon,
                   CASE WHEN d.groups > 1 THEN least(greatest(d.shannon / ln(d.groups), 0), 1) END AS evenness,
                   x.share AS cross_group_share
              FROM %4$I c
              LEFT JOIN diversity d ON d.neighbourhood_id = c.neighbourhood_id AND d.bucket_start = c.bucket_start
              LEFT JOIN mixing x ON x.neighbourhood_id = c.neighbourhood_id AND x.bucket_start = c.bucket_start
             WHERE c.activity_id = ''
            $view$,
            'neighbourhood_' || period, 'neighbourhood_group_counts_' || period,
            'neighbourhood_mixing_counts_' || period, 'neighbourhood_counts_' || period);
    END LOOP;
END
$rollups$;
