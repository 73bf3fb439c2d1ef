#!/bin/sh
# Refuses to start the stack with a secret anyone could know: empty, a placeholder of an example
# file (CHANGE-ME..., changeme, example, secret, password), or shorter than 16 characters. Make each
# with: openssl rand -hex 24
# Runs as docker-compose.yml's `preflight` service, before every other; exits 1 naming each
# refused variable (never its value).
SECRETS="POSTGRES_PASSWORD BAROMETER_WRITER_DB_PASSWORD BAROMETER_DASHBOARD_DB_PASSWORD
         BAROMETER_OPERATIONS_DB_PASSWORD BAROMETER_EVALUATOR_DB_PASSWORD
         BAROMETER_ADMIN_TOKEN GF_SECURITY_ADMIN_PASSWORD
         KAFKA_ADMIN_PASSWORD KAFKA_CONTROLLER_PASSWORD KAFKA_TLS_KEYSTORE_PASSWORD
         KAFKA_INGEST_PASSWORD KAFKA_STREAMS_PASSWORD KAFKA_SINK_PASSWORD KAFKA_SCHEMA_REGISTRY_PASSWORD
         SCHEMA_REGISTRY_INGEST_PASSWORD SCHEMA_REGISTRY_STREAMS_PASSWORD SCHEMA_REGISTRY_SINK_PASSWORD"
refused=0
for name in $SECRETS; do
  value=$(printenv "$name" || true)
  lower=$(printf '%s' "$value" | tr '[:upper:]' '[:lower:]')
  case "$lower" in
    "") reason="is empty" ;;
    *change-me*|*changeme*|*example*|secret*|password*|admin*) reason="is a placeholder from an example" ;;
    *) if [ "${#value}" -lt 16 ]; then reason="is shorter than 16 characters"; else reason=""; fi ;;
  esac
  if [ -n "$reason" ]; then
    echo "refused: $name $reason; set it in .env (make one with: openssl rand -hex 24)" >&2
    refused=1
  fi
done
seen=""
for name in $SECRETS; do
  value=$(printenv "$name" || true)
  for other in $seen; do
    if [ -n "$value" ] && [ "$value" = "$(printenv "$other")" ]; then
      echo "refused: $name equals $other; each secret must be different" >&2
      refused=1
    fi
  done
  seen="$seen $name"
done
if [ "$refused" = 0 ]; then
  echo "secrets accepted"
fi
exit "$refused"
