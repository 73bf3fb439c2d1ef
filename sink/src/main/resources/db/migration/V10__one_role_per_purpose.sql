-- One database role per purpose (docs/security.md), each reaching only what its purpose needs:
--   barometer_writer      the sink: owns the schema and everything the migrations create;
--   barometer_dashboard   Grafana's officers' dashboards: only relations that withhold every cell
--                         under k (the published views), the reference data and evaluation results;
--   barometer_operations  Grafana's pipeline-health panels: the unsuppressed pipeline counts (arrivals
--                         per activity and kiosk per hour, dead letters, consumer lag, late check-ins);
--   barometer_evaluator   `barometer evaluate` and `barometer export`: the published daily and weekly
--                         views, the activities, and adding evaluation results.
-- PUBLIC (every role, present and future) gets nothing here: no CREATE or USAGE on the schema, no
-- function it may execute.
-- The writer is not allowed to create roles: the production stack's init script creates the two new
-- ones (deploy/timescaledb/10-barometer-roles.sh); docs/deploy.md says how to add them to a database
-- initialised before it.
DO $$
DECLARE
    role_name text;
BEGIN
    FOREACH role_name IN ARRAY ARRAY['barometer_dashboard', 'barometer_operations', 'barometer_evaluator'] LOOP
        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = role_name) THEN
            IF NOT (SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user) THEN
                RAISE EXCEPTION 'the database role % does not exist, and % may not create it', role_name, current_user
                    USING HINT = 'create it as the superuser: CREATE ROLE ' || role_name
                              || ' LOGIN PASSWORD ''...''; (docs/deploy.md, "Database roles"), then start the sink again';
            END IF;
            EXECUTE format('CREATE ROLE %I NOLOGIN', role_name);
        END IF;
    END LOOP;
END
$$;

-- Pipeline-health counts are not suppressed (one tap of one kiosk in one hour is a row): the
-- operations role reads them, the dashboard role no longer does.
REVOKE ALL ON pipeline_arrivals_hourly, pipeline_partly_counted_daily, dead_letters_hourly, consumer_lag
    FROM barometer_dashboard;

GRANT USAGE ON SCHEMA public TO barometer_operations;
GRANT SELECT ON pipeline_arrivals_hourly, pipeline_partly_counted_daily, dead_letters_hourly, consumer_lag,
    pipeline_refused_updates, neighbourhoods, activities, kiosks
    TO barometer_operations;

GRANT USAGE ON SCHEMA public TO barometer_evaluator;
GRANT SELECT ON published_neighbourhood_daily, published_neighbourhood_weekly,
    published_open_data_daily, published_open_data_weekly, activities
    TO barometer_evaluator;
GRANT INSERT ON evaluation_results TO barometer_evaluator;

-- PUBLIC: PostgreSQL gives every role USAGE on the schema public (and CREATE before version 15) and
-- EXECUTE on every new function. Take them away; the roles above are granted what they use. (Where
-- the migrating role does not own the schema, PostgreSQL only warns.) CONNECT and TEMPORARY on the
-- database are taken from PUBLIC where the database is made: the production init script and the
-- embedded run.
REVOKE ALL ON SCHEMA public FROM PUBLIC;
ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
DO $$
DECLARE
    f regprocedure;
BEGIN
    -- The barometer's own functions; an extension's (TimescaleDB's time_bucket) stay as it made them.
    FOR f IN SELECT p.oid::regprocedure
               FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
              WHERE n.nspname = 'public' AND pg_get_userbyid(p.proowner) = current_user
                AND NOT EXISTS (SELECT FROM pg_depend d
                                 WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e') LOOP
        EXECUTE format('REVOKE EXECUTE ON FUNCTION %s FROM PUBLIC', f);
    END LOOP;
END
$$;
