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
