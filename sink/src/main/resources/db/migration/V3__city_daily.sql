-- The whole city per event-time day (UTC): attendance per activity and declared group (additive),
-- and the segregation of activities derived from it (after small-cell suppression).

CREATE TABLE city_daily (
    window_start    timestamptz      NOT NULL PRIMARY KEY,
    window_end      timestamptz      NOT NULL,
    headcount       bigint           NOT NULL CHECK (headcount >= 0),
    is_final        boolean          NOT NULL DEFAULT false,
    suppression_k   int              NOT NULL,
    withheld        text[]           NOT NULL DEFAULT '{}',
    theil           double precision CHECK (theil BETWEEN 0 AND 1),
    gini_simpson    double precision,
    evenness        double precision,
    dissimilarity   jsonb            NOT NULL DEFAULT '[]',
    updated_at      timestamptz      NOT NULL DEFAULT now()
);

CREATE TABLE city_attendance_daily (
    window_start timestamptz NOT NULL,
    activity_id  text        NOT NULL,
    group_code   text        NOT NULL,
    headcount    bigint      NOT NULL CHECK (headcount >= 0),
    PRIMARY KEY (window_start, activity_id, group_code)
);
