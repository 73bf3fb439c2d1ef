#!/bin/sh
# Gives each service its own Kafka user (SCRAM-SHA-512, passwords from .env) and the ACLs of
# deploy/kafka/acls, as the admin user. Run by docker-compose's topics service before it creates the
# topics; idempotent (a password changed in .env is set again). kafka-configs.sh and kafka-acls.sh
# are Kafka's own tools; embedded-infra's KafkaAclsIT applies the same file through the Admin API.
set -eu
umask 077
admin=/tmp/admin.properties
cat > "$admin" <<PROPERTIES
security.protocol=SASL_SSL
sasl.mechanism=SCRAM-SHA-512
sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="${KAFKA_ADMIN_PASSWORD}";
ssl.truststore.type=PEM
ssl.truststore.location=/kafka-tls/ca.pem
PROPERTIES
user() {
  /opt/kafka/bin/kafka-configs.sh --bootstrap-server kafka:9092 --command-config "$admin" --alter \
      --entity-type users --entity-name "$1" --add-config "SCRAM-SHA-512=[iterations=8192,password=$2]"
}
user ingest "$KAFKA_INGEST_PASSWORD"
user streams "$KAFKA_STREAMS_PASSWORD"
user sink "$KAFKA_SINK_PASSWORD"
user schema-registry "$KAFKA_SCHEMA_REGISTRY_PASSWORD"
grep -v '^[[:space:]]*#' /acls/acls | while read -r principal operation type pattern name; do
  [ -n "$principal" ] || continue
  case "$type" in
    TOPIC) resource="--topic $name" ;;
    GROUP) resource="--group $name" ;;
    TRANSACTIONAL_ID) resource="--transactional-id $name" ;;
    CLUSTER) resource="--cluster" ;;
    *) echo "deploy/kafka/acls: unknown resource type $type" >&2; exit 1 ;;
  esac
  # shellcheck disable=SC2086 # $resource is two words by design
  /opt/kafka/bin/kafka-acls.sh --bootstrap-server kafka:9092 --command-config "$admin" --add \
      --allow-principal "User:$principal" --operation "$operation" $resource \
      --resource-pattern-type "$(echo "$pattern" | tr '[:upper:]' '[:lower:]')" > /dev/null
done
echo "principals: users and ACLs of ingest, streams, sink and schema-registry in place"
