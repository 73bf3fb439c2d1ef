-- What the Grafana dashboards read beyond the published rollups: suppressed breakdowns (groups,
-- mixing matrix, sentiment) with 95% bands, the reference data the city registered (neighbourhood
-- centroids, activities, kiosks), the pipeline's own health (arrivals, dead letters, consumer lag),
-- the network's reference values and the evaluation results the evaluate command stores.
-- Views run with their owner's rights: the dashboard role reads them without reading the tables
-- under them. Every breakdown withholds cells under k and, when a single cell of a total would be
-- withheld, the next smallest too, so that a hidden cell cannot be recovered by subtraction.

-- Reference data, followed from the compacted reference topics by the sink's data-quality feed.
CREATE TABLE neighbourhoods (
    id            text PRIMARY KEY,
    name          text NOT NULL,
    city          text NOT NULL,
    centroid_lat  double precision,
    centroid_lon  double precision,
    population    bigint,
    updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE activities (
    id                text PRIMARY KEY,
    title             text NOT NULL,
    type              text NOT NULL,
    neighbourhood_id  text NOT NULL,
    organiser_id      text NOT NULL,
    starts_at         timestamptz,
    ends_at           timestamptz,
    updated_at        timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE kiosks (
    id                text PRIMARY KEY,
    neighbourhood_id  text NOT NULL,
    organiser_id      text NOT NULL,
    activity_id       text,
    updated_at        timestamptz NOT NULL DEFAULT now()
);

-- Signals as they arrive (Kafka record time), counted per hour, signal, source, activity and kiosk.
-- "last_offset" per partition makes the counting idempotent: a replayed record is not counted twice.
CREATE TABLE signal_arrivals_hourly (
    hour             timestamptz NOT NULL,
    signal           text        NOT NULL,
    source           text        NOT NULL,
    activity_id      text        NOT NULL,
    kiosk_id         text        NOT NULL,
    kafka_partition  int         NOT NULL,
    events           bigint      NOT NULL CHECK (events >= 0),
    last_event_time  timestamptz NOT NULL,
    last_arrival     timestamptz NOT NULL,
    last_offset      bigint      NOT NULL,
    PRIMARY KEY (signal, kafka_partition, source, activity_id, kiosk_id, hour)
);

-- Dead letters per hour, stage (the topic the record came from) and reason (first line, 200 characters).
CREATE TABLE dead_letters_hourly (
    hour             timestamptz NOT NULL,
    source_topic     text        NOT NULL,
    reason           text        NOT NULL,
    kafka_partition  int         NOT NULL,
    letters          bigint      NOT NULL CHECK (letters >= 0),
    last_offset      bigint      NOT NULL,
    PRIMARY KEY (kafka_partition, source_topic, reason, hour)
);

-- Consumer lag of the barometer's consumer groups, sampled by the sink; kept for 7 days.
CREATE TABLE consumer_lag (
    measured_at      timestamptz NOT NULL,
    group_id         text        NOT NULL,
    topic            text        NOT NULL,
    kafka_partition  int         NOT NULL,
    lag              bigint      NOT NULL CHECK (lag >= 0),
    PRIMARY KEY (group_id, topic, kafka_partition, measured_at)
);

-- Reference values a city compares itself with (e.g. the Intercultural Cities network's median of
-- an indicator), entered by the city's data team with their source; none are shipped as facts.
CREATE TABLE reference_values (
    indicator   text NOT NULL,
    scope       text NOT NULL,
    value       double precision NOT NULL,
    source      text NOT NULL,
    as_of       date NOT NULL,
    PRIMARY KEY (indicator, scope, as_of)
);

-- Results of the evaluate command (before/after estimates with their uncertainty).
CREATE TABLE evaluation_results (
    evaluation_id     text        NOT NULL,
    created_at        timestamptz NOT NULL DEFAULT now(),
    activity_id       text,
    neighbourhood_ids text[]      NOT NULL,
    control_ids       text[]      NOT NULL,
    indicator         text        NOT NULL,
    method            text        NOT NULL,
    start_date        date        NOT NULL,
    estimate          double precision,
    std_error         double precision,
    ci_lower          double precision,
    ci_upper          double precision,
    p_value           double precision,
    pre_periods       int         NOT NULL,
    post_periods      int         NOT NULL,
    warnings          text[]      NOT NULL DEFAULT '{}',
    summary           text        NOT NULL,
    PRIMARY KEY (evaluation_id, method)
);

-- Group headcounts per neighbourhood (activity_id = '') or activity and day, with suppression.
CREATE VIEW published_group_attendance_daily AS
WITH cells AS (
    SELECT g.neighbourhood_id, g.activity_id, g.bucket_start, g.group_code, g.headcount, p.k,
           sum(g.headcount) OVER w AS total,
           count(*) FILTER (WHERE g.headcount < p.k) OVER w AS below_k,
           row_number() OVER (PARTITION BY g.neighbourhood_id, g.activity_id, g.bucket_start
                              ORDER BY g.headcount < p.k, g.headcount, g.group_code) AS smallest_first
      FROM neighbourhood_group_counts_daily g CROSS JOIN publication_settings p
    WINDOW w AS (PARTITION BY g.neighbourhood_id, g.activity_id, g.bucket_start))
SELECT neighbourhood_id, activity_id, bucket_start, group_code, k,
       CASE WHEN total < k OR headcount < k OR (below_k = 1 AND smallest_first = 1) THEN NULL ELSE headcount END
           AS headcount,
       total < k OR headcount < k OR (below_k = 1 AND smallest_first = 1) AS suppressed
  FROM cells;

-- The mixing matrix per neighbourhood and day (undirected: group_a <= group_b), with suppression.
CREATE VIEW published_mixing_daily AS
WITH cells AS (
    SELECT m.neighbourhood_id, m.bucket_start, m.group_a, m.group_b, m.contacts, p.k,
           sum(m.contacts) OVER w AS total,
           count(*) FILTER (WHERE m.contacts < p.k) OVER w AS below_k,
           row_number() OVER (PARTITION BY m.neighbourhood_id, m.bucket_start
                              ORDER BY m.contacts < p.k, m.contacts, m.group_a, m.group_b) AS smallest_first
      FROM neighbourhood_mixing_counts_daily m CROSS JOIN publication_settings p
     WHERE m.activity_id = ''
    WINDOW w AS (PARTITION BY m.neighbourhood_id, m.bucket_start))
SELECT neighbourhood_id, bucket_start, group_a, group_b, k,
       CASE WHEN total < k OR contacts < k OR (below_k = 1 AND smallest_first = 1) THEN NULL ELSE contacts END
           AS contacts,
       total < k OR contacts < k OR (below_k = 1 AND smallest_first = 1) AS suppressed
  FROM cells;

-- Cross-group share per neighbourhood and day with its Wilson 95% interval over n contacts.
CREATE VIEW published_cross_group_share_daily AS
SELECT d.neighbourhood_id, d.bucket_start, p.k,
       CASE WHEN d.contacts >= p.k THEN d.contacts END AS contacts,
       CASE WHEN d.contacts >= p.k THEN d.cross_group_share END AS cross_group_share,
       CASE WHEN d.contacts >= p.k THEN
           (d.cross_group_share + 1.96 ^ 2 / (2 * d.contacts)
            - 1.96 * sqrt(d.cross_group_share * (1 - d.cross_group_share) / d.contacts + 1.96 ^ 2 / (4 * d.contacts ^ 2)))
           / (1 + 1.96 ^ 2 / d.contacts) END AS lower95,
       CASE WHEN d.contacts >= p.k THEN
           (d.cross_group_share + 1.96 ^ 2 / (2 * d.contacts)
            + 1.96 * sqrt(d.cross_group_share * (1 - d.cross_group_share) / d.contacts + 1.96 ^ 2 / (4 * d.contacts ^ 2)))
           / (1 + 1.96 ^ 2 / d.contacts) END AS upper95,
       d.contacts < p.k AS suppressed
  FROM neighbourhood_daily d CROSS JOIN publication_settings p
 WHERE d.cross_group_share IS NOT NULL OR d.contacts < p.k;

-- Sentiment index (0-100) per neighbourhood or activity, question and day, from the level counts,
-- with a normal-approximation 95% interval (docs/methods.md); withheld under k taps.
CREATE VIEW published_sentiment_daily AS
WITH levels AS (
    SELECT s.neighbourhood_id, s.activity_id, s.bucket_start, s.question_code, s.scale,
           100.0 * (s.level - 1) / (s.scale - 1) AS score, s.taps
      FROM neighbourhood_sentiment_counts_daily s),
moments AS (
    SELECT neighbourhood_id, activity_id, bucket_start, question_code, scale, sum(taps) AS taps,
           sum(taps * score) / nullif(sum(taps), 0) AS mean
      FROM levels GROUP BY 1, 2, 3, 4, 5),
spread AS (
    SELECT m.neighbourhood_id, m.activity_id, m.bucket_start, m.question_code, m.scale, m.taps, m.mean,
           CASE WHEN m.taps > 1 THEN sqrt(sum(l.taps * (l.score - m.mean) ^ 2) / (m.taps - 1)) END AS sd
      FROM moments m
      JOIN levels l USING (neighbourhood_id, activity_id, bucket_start, question_code, scale)
     GROUP BY 1, 2, 3, 4, 5, 6, 7)
SELECT s.neighbourhood_id, s.activity_id, s.bucket_start, s.question_code, s.scale, p.k,
       CASE WHEN s.taps >= p.k THEN s.taps::bigint END AS taps,
       CASE WHEN s.taps >= p.k THEN s.mean END AS sentiment_index,
       CASE WHEN s.taps >= p.k THEN greatest(0, s.mean - 1.96 * s.sd / sqrt(s.taps)) END AS lower95,
       CASE WHEN s.taps >= p.k THEN least(100, s.mean + 1.96 * s.sd / sqrt(s.taps)) END AS upper95,
       s.taps < p.k AS suppressed
  FROM spread s CROSS JOIN publication_settings p;

-- Sentiment per neighbourhood, question and hour, for hour-of-day and day-of-week views.
CREATE VIEW published_sentiment_hourly AS
SELECT s.neighbourhood_id, s.window_start, s.question_code, s.scale, p.k,
       CASE WHEN sum(s.taps) >= p.k THEN sum(s.taps)::bigint END AS taps,
       CASE WHEN sum(s.taps) >= p.k THEN sum(s.taps * 100.0 * (s.level - 1) / (s.scale - 1)) / sum(s.taps) END
           AS sentiment_index,
       sum(s.taps) < p.k AS suppressed
  FROM neighbourhood_sentiment_hourly s CROSS JOIN publication_settings p
 WHERE s.activity_id = ''
 GROUP BY s.neighbourhood_id, s.window_start, s.question_code, s.scale, p.k;

-- Arrivals with the organiser each activity or kiosk belongs to.
CREATE VIEW pipeline_arrivals_hourly AS
SELECT a.hour, a.signal, a.source, a.activity_id, a.kiosk_id,
       coalesce(act.organiser_id, k.organiser_id, '?') AS organiser_id,
       coalesce(act.neighbourhood_id, k.neighbourhood_id, '?') AS neighbourhood_id,
       sum(a.events)::bigint AS events, max(a.last_event_time) AS last_event_time, max(a.last_arrival) AS last_arrival
  FROM signal_arrivals_hourly a
  LEFT JOIN activities act ON act.id = nullif(a.activity_id, '')
  LEFT JOIN kiosks k ON k.id = nullif(a.kiosk_id, '')
 GROUP BY 1, 2, 3, 4, 5, 6, 7;

GRANT SELECT ON neighbourhoods, activities, kiosks, reference_values, evaluation_results,
    published_group_attendance_daily, published_mixing_daily, published_cross_group_share_daily,
    published_sentiment_daily, published_sentiment_hourly,
    pipeline_arrivals_hourly, dead_letters_hourly, consumer_lag
    TO barometer_dashboard;
