#!/bin/sh
# Starts docker-compose's schema registry behind HTTP basic authentication (docs/security.md): one
# login per barometer service, passwords from .env, written only inside the running container
# (/tmp), never into the image; then the image's own start. Confluent's community registry lets
# every authenticated user read and register; it has no per-subject rights.
set -eu
umask 077
cat > /tmp/registry-users.properties <<USERS
ingest: ${SCHEMA_REGISTRY_INGEST_PASSWORD},barometer
streams: ${SCHEMA_REGISTRY_STREAMS_PASSWORD},barometer
sink: ${SCHEMA_REGISTRY_SINK_PASSWORD},barometer
USERS
cat > /tmp/registry-jaas.conf <<JAAS
SchemaRegistry {
  org.eclipse.jetty.security.jaas.spi.PropertyFileLoginModule required
  file="/tmp/registry-users.properties"
  debug="false";
};
JAAS
export SCHEMA_REGISTRY_OPTS="${SCHEMA_REGISTRY_OPTS:-} -Djava.security.auth.login.config=/tmp/registry-jaas.conf"
exec /etc/confluent/docker/run
