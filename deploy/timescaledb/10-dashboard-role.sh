#!/bin/sh
# Runs once, when the TimescaleDB volume is first initialised: the dashboards' login role, with the
# password from .env. The sink's migrations then grant it SELECT on the published views only.
set -eu
psql -v ON_ERROR_STOP=1 -v password="$BAROMETER_DASHBOARD_DB_PASSWORD" \
     --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" <<'SQL'
CREATE ROLE barometer_dashboard LOGIN PASSWORD :'password';
SQL
