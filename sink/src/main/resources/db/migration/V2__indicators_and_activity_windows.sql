-- Activity windows share the tables of the neighbourhood windows: activity_id = '' is the
-- neighbourhood as a whole, any other value one activity within it. Derived indicators are stored
-- next to the counts they come from, as the streams stage published them (after small-cell
-- suppression: withheld values are NULL and named in "withheld").

ALTER TABLE neighbourhood_hourly ADD COLUMN activity_id text NOT NULL DEFAULT '';
ALTER TABLE neighbourhood_group_hourly ADD COLUMN activity_id text NOT NULL DEFAULT '';
ALTER TABLE neighbourhood_mixing_hourly ADD COLUMN activity_id text NOT NULL DEFAULT '';
ALTER TABLE neighbourhood_sentiment_hourly ADD COLUMN activity_id text NOT NULL DEFAULT '';

ALTER TABLE neighbourhood_hourly DROP CONSTRAINT neighbourhood_hourly_pkey,
    ADD PRIMARY KEY (neighbourhood_id, activity_id, window_start);
ALTER TABLE neighbourhood_group_hourly DROP CONSTRAINT neighbourhood_group_hourly_pkey,
    ADD PRIMARY KEY (neighbourhood_id, activity_id, window_start, group_code);
ALTER TABLE neighbourhood_mixing_hourly DROP CONSTRAINT neighbourhood_mixing_hourly_pkey,
    ADD PRIMARY KEY (neighbourhood_id, activity_id, window_start, group_a, group_b);
ALTER TABLE neighbourhood_sentiment_hourly DROP CONSTRAINT neighbourhood_sentiment_hourly_pkey,
    ADD PRIMARY KEY (neighbourhood_id, activity_id, window_start, question_code, scale, level);

ALTER TABLE neighbourhood_hourly
    ADD COLUMN unique_participants       bigint  NOT NULL DEFAULT 0,
    ADD COLUMN first_time_participants   bigint  NOT NULL DEFAULT 0,
    ADD COLUMN sustained_participants    bigint  NOT NULL DEFAULT 0,
    ADD COLUMN is_final                  boolean NOT NULL DEFAULT false,
    ADD COLUMN suppression_k             int,
    ADD COLUMN withheld                  text[]  NOT NULL DEFAULT '{}',
    ADD COLUMN gini_simpson              double precision,
    ADD COLUMN gini_simpson_unbiased     double precision,
    ADD COLUMN shannon                   double precision,
    ADD COLUMN evenness                  double precision,
    ADD COLUMN cross_group_share         double precision,
    ADD COLUMN assortativity             double precision,
    ADD COLUMN assortativity_lower_bound double precision,
    ADD COLUMN first_time_share          double precision,
    ADD COLUMN sustained_share           double precision,
    ADD COLUMN cohesion_index            double precision,
    ADD COLUMN sentiment_indicators      jsonb   NOT NULL DEFAULT '[]',
    ADD CONSTRAINT participants_within_unique CHECK (first_time_participants <= unique_participants
        AND sustained_participants <= unique_participants),
    ADD CONSTRAINT cohesion_index_range CHECK (cohesion_index BETWEEN 0 AND 100);
