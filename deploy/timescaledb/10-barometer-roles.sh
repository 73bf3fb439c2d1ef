#!/bin/sh
# Runs once, when the TimescaleDB volume is first initialised (as the superuser POSTGRES_USER, after
# the image's own scripts have created the timescaledb extension in POSTGRES_DB). One login role
# per purpose, none a superuser (docs/security.md):
# - barometer_writer, the sink's: owns the database, so the schema `public` is its own and it
#   owns every table, view and continuous aggregate its migrations create;
# - barometer_dashboard, Grafana's officers' dashboards: may connect; the sink's migrations grant it
#   SELECT on the published views (every cell under k withheld) and the reference data only;
# - barometer_operations, Grafana's pipeline-health panels: the unsuppressed pipeline counts;
# - barometer_evaluator, `barometer evaluate` and `barometer export`: the published daily and
#   weekly views, and adding evaluation results.
# Passwords come from .env. To apply this to a volume initialised before it, see docs/deploy.md.
set -eu
psql -v ON_ERROR_STOP=1 -v db="$POSTGRES_DB" \
     -v writer_password="$BAROMETER_WRITER_DB_PASSWORD" -v dashboard_password="$BAROMETER_DASHBOARD_DB_PASSWORD" \
     -v operations_password="$BAROMETER_OPERATIONS_DB_PASSWORD" -v evaluator_password="$BAROMETER_EVALUATOR_DB_PASSWORD" \
     --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" <<'SQL'
CREATE ROLE barometer_writer LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD :'writer_password';
CREATE ROLE barometer_dashboard LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD :'dashboard_password';
CREATE ROLE barometer_operations LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD :'operations_password';
CREATE ROLE barometer_evaluator LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD :'evaluator_password';
ALTER DATABASE :"db" OWNER TO barometer_writer;
REVOKE ALL ON DATABASE :"db" FROM PUBLIC;
GRANT CONNECT ON DATABASE :"db" TO barometer_dashboard, barometer_operations, barometer_evaluator;
SQL
