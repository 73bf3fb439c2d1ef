-- Hourly additive statistics per neighbourhood, as the streams stage publishes them.
-- Every statistic is a count, so days, weeks and custom periods are sums of these rows;
-- non-additive indicators (diversity, sentiment index) are computed from the sums, never averaged.
-- The unique keys include window_start (the time column), so window updates are idempotent upserts.

CREATE TABLE neighbourhood_hourly (
    neighbourhood_id     text        NOT NULL,
    window_start         timestamptz NOT NULL,
    window_end           timestamptz NOT NULL,
    check_ins            bigint      NOT NULL,
    headcount            bigint      NOT NULL,
    contacts             bigint      NOT NULL,
    cross_group_contacts bigint      NOT NULL,
    sentiment_taps       bigint      NOT NULL,
    last_event_time      timestamptz NOT NULL,
    updated_at           timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (neighbourhood_id, window_start),
    CHECK (window_end > window_start),
    CHECK (check_ins >= 0 AND headcount >= 0 AND contacts >= 0 AND sentiment_taps >= 0),
    CHECK (cross_group_contacts <= contacts)
);

-- Headcount per declared background group ('?' = undeclared).
CREATE TABLE neighbourhood_group_hourly (
    neighbourhood_id text        NOT NULL,
    window_start     timestamptz NOT NULL,
    group_code       text        NOT NULL,
    headcount        bigint      NOT NULL CHECK (headcount >= 0),
    PRIMARY KEY (neighbourhood_id, window_start, group_code)
);

-- The mixing matrix: contacts between group pairs, group_a <= group_b (undirected).
CREATE TABLE neighbourhood_mixing_hourly (
    neighbourhood_id text        NOT NULL,
    window_start     timestamptz NOT NULL,
    group_a          text        NOT NULL,
    group_b          text        NOT NULL,
    contacts         bigint      NOT NULL CHECK (contacts >= 0),
    PRIMARY KEY (neighbourhood_id, window_start, group_a, group_b),
    CHECK (group_a <= group_b)
);

-- Sentiment taps per question, scale (buttons) and level (1 = most negative).
CREATE TABLE neighbourhood_sentiment_hourly (
    neighbourhood_id text        NOT NULL,
    window_start     timestamptz NOT NULL,
    question_code    text        NOT NULL,
    scale            int         NOT NULL CHECK (scale BETWEEN 3 AND 5),
    level            int         NOT NULL,
    taps             bigint      NOT NULL CHECK (taps >= 0),
    PRIMARY KEY (neighbourhood_id, window_start, question_code, scale, level),
    CHECK (level BETWEEN 1 AND scale)
);
