-- TimescaleDB when present, plain PostgreSQL when not; the same tables, views and columns either way.
--
-- Rollups are computed in two steps. First the ADDITIVE statistics are summed per day and per week
-- (Monday-based: 2000-01-03 was a Monday and is time_bucket's default origin) into
-- "*_counts_daily" / "*_counts_weekly": with TimescaleDB these are continuous aggregates (real-time,
-- refreshed by a policy the sink keeps in line with its settings), without it plain views over
-- date_bin. Then the non-additive indicators (diversity, cross-group share, sentiment index) are
-- recomputed from those sums in "neighbourhood_daily" / "neighbourhood_weekly" — never by averaging
-- hourly indicators. Formulas: docs/methods.md.
--
-- ${timescale} is 'auto' (use TimescaleDB if the server has it) or 'off' (BAROMETER_TIMESCALE).

DROP VIEW published_neighbourhood_daily, published_neighbourhood_weekly;
DROP FUNCTION published_neighbourhood_rollup(interval, timestamptz);
DROP VIEW neighbourhood_daily, neighbourhood_weekly, neighbourhood_sentiment_daily;
DROP FUNCTION neighbourhood_rollup(interval, timestamptz);

DO $migration$
DECLARE
    timescale boolean := '${timescale}' <> 'off'
        AND EXISTS (SELECT FROM pg_available_extensions WHERE name = 'timescaledb');
    period record;
    counts record;
    bucket text;
    definition text;
BEGIN
    IF timescale THEN
        CREATE EXTENSION IF NOT EXISTS timescaledb;
        -- Every unique key includes window_start, as hypertables require: upserts stay idempotent.
        PERFORM create_hypertable('neighbourhood_hourly', by_range('window_start', INTERVAL '7 days'), migrate_data => true);
        PERFORM create_hypertable('neighbourhood_group_hourly', by_range('window_start', INTERVAL '7 days'), migrate_data => true);
        PERFORM create_hypertable('neighbourhood_mixing_hourly', by_range('window_start', INTERVAL '7 days'), migrate_data => true);
        PERFORM create_hypertable('neighbourhood_sentiment_hourly', by_range('window_start', INTERVAL '7 days'), migrate_data => true);
        PERFORM create_hypertable('city_daily', by_range('window_start', INTERVAL '90 days'), migrate_data => true);
        PERFORM create_hypertable('city_attendance_daily', by_range('window_start', INTERVAL '90 days'), migrate_data => true);
    END IF;

    FOR period IN SELECT * FROM (VALUES ('daily', '1 day'), ('weekly', '7 days')) AS p(name, width) LOOP
        FOR counts IN SELECT * FROM (VALUES
            ('neighbourhood_counts', 'neighbourhood_hourly',
             'sum(check_ins)::bigint AS check_ins, sum(headcount)::bigint AS headcount, sum(contacts)::bigint AS contacts, '
             || 'sum(cross_group_contacts)::bigint AS cross_group_contacts, sum(sentiment_taps)::bigint AS sentiment_taps, '
             || 'bool_and(is_final) AS is_final', ''),
            ('neighbourhood_group_counts', 'neighbourhood_group_hourly',
             'sum(headcount)::bigint AS headcount', ', group_code'),
            ('neighbourhood_mixing_counts', 'neighbourhood_mixing_hourly',
             'sum(contacts)::bigint AS contacts', ', group_a, group_b'),
            ('neighbourhood_sentiment_counts', 'neighbourhood_sentiment_hourly',
             'sum(taps)::bigint AS taps', ', question_code, scale, level')
        ) AS c(name, source, sums, keys) LOOP
            IF timescale THEN
                bucket := format('time_bucket(INTERVAL %L, window_start)', period.width);
                definition := 'CREATE MATERIALIZED VIEW %I WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS '
                    || 'SELECT neighbourhood_id, activity_id, %s AS bucket_start%s, %s FROM %I '
                    || 'GROUP BY neighbourhood_id, activity_id, %s%s WITH NO DATA';
            ELSE
                bucket := format('date_bin(INTERVAL %L, window_start, TIMESTAMPTZ %L)', period.width, '2000-01-03T00:00:00Z');
                definition := 'CREATE VIEW %I AS SELECT neighbourhood_id, activity_id, %s AS bucket_start%s, %s FROM %I '
                    || 'GROUP BY neighbourhood_id, activity_id, %s%s';
            END IF;
            EXECUTE format(definition, counts.name || '_' || period.name, bucket, counts.keys, counts.sums, counts.source,
                bucket, counts.keys);
        END LOOP;

        -- Every neighbourhood (activity_id = '') per bucket, its indicators from the summed counts.
        EXECUTE format($view$
            CREATE VIEW %1$I AS
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
                   coalesce(d.groups, 0) AS groups, d.gini_simpson, d.gini_simpson_unbiased, d.shannon,
                   CASE WHEN d.groups > 1 THEN d.shannon / ln(d.groups) END AS evenness,
                   x.share AS cross_group_share
              FROM %4$I c
              LEFT JOIN diversity d ON d.neighbourhood_id = c.neighbourhood_id AND d.bucket_start = c.bucket_start
              LEFT JOIN mixing x ON x.neighbourhood_id = c.neighbourhood_id AND x.bucket_start = c.bucket_start
             WHERE c.activity_id = ''
            $view$,
            'neighbourhood_' || period.name, 'neighbourhood_group_counts_' || period.name,
            'neighbourhood_mixing_counts_' || period.name, 'neighbourhood_counts_' || period.name);

        -- Sentiment per question from summed level counts: levels spaced 0..100.
        EXECUTE format($view$
            CREATE VIEW %1$I AS
            SELECT s.neighbourhood_id, s.bucket_start, s.question_code, s.scale, sum(s.taps)::bigint AS taps,
                   sum(s.taps * 100.0 * (s.level - 1) / (s.scale - 1)) / nullif(sum(s.taps), 0) AS sentiment_index
              FROM %2$I s
             WHERE s.activity_id = ''
             GROUP BY 1, 2, 3, 4
            $view$, 'neighbourhood_sentiment_' || period.name, 'neighbourhood_sentiment_counts_' || period.name);

        -- What dashboards and open data may read: values resting on fewer than k people or contacts
        -- are NULL and named in "withheld". Views run with their owner's rights, so the dashboard
        -- role reads these without reading anything under them.
        EXECUTE format($view$
            CREATE VIEW %1$I AS
            SELECT d.neighbourhood_id, d.bucket_start, d.is_final, p.k,
                   CASE WHEN d.headcount >= p.k THEN d.check_ins END AS check_ins,
                   CASE WHEN d.headcount >= p.k THEN d.headcount END AS headcount,
                   CASE WHEN d.declared_headcount >= p.k THEN d.gini_simpson END AS gini_simpson,
                   CASE WHEN d.declared_headcount >= p.k THEN d.gini_simpson_unbiased END AS gini_simpson_unbiased,
                   CASE WHEN d.declared_headcount >= p.k THEN d.shannon END AS shannon,
                   CASE WHEN d.declared_headcount >= p.k THEN d.evenness END AS evenness,
                   CASE WHEN d.contacts >= p.k THEN d.cross_group_share END AS cross_group_share,
                   array_remove(ARRAY[
                       CASE WHEN d.headcount < p.k THEN 'headcount' END,
                       CASE WHEN d.declared_headcount < p.k THEN 'diversity' END,
                       CASE WHEN d.contacts < p.k THEN 'mixing' END], NULL) AS withheld
              FROM %2$I d CROSS JOIN publication_settings p
            $view$, 'published_neighbourhood_' || period.name, 'neighbourhood_' || period.name);
        EXECUTE format('GRANT SELECT ON %I TO barometer_dashboard', 'published_neighbourhood_' || period.name);
    END LOOP;
END
$migration$;
