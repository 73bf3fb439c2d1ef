#!/bin/bash
# Starts docker-compose's Kafka broker (KRaft, one combined broker and controller) as
# docs/security.md describes; embedded-infra's InJvmKafka.Security sets the same for its tests:
# - clients (the services, the schema registry) reach it on BROKER, port 9092: SASL_SSL, each with
#   its own SCRAM-SHA-512 user, the broker's certificate from the kafka-tls volume;
# - the controller listens on localhost only, with PLAIN for the one principal `controller`;
# - StandardAuthorizer: nothing is allowed that no ACL allows (deploy/kafka/acls); `admin` (the
#   topics service, the operator) and `controller` are the only super users.
# The admin's SCRAM credential is written when the data volume is first formatted; the services'
# users and ACLs by the topics service (deploy/kafka/principals.sh). Secrets come from .env and are
# written only inside the running container (/tmp), never into the image.
set -euo pipefail
umask 077
config=/tmp/barometer-broker.properties
cat > "$config" <<PROPERTIES
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@localhost:9093
listeners=BROKER://:9092,CONTROLLER://localhost:9093
advertised.listeners=BROKER://kafka:9092
listener.security.protocol.map=BROKER:SASL_SSL,CONTROLLER:SASL_PLAINTEXT
inter.broker.listener.name=BROKER
controller.listener.names=CONTROLLER
sasl.enabled.mechanisms=SCRAM-SHA-512
sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512
listener.name.broker.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="${KAFKA_ADMIN_PASSWORD}";
listener.name.controller.sasl.enabled.mechanisms=PLAIN
sasl.mechanism.controller.protocol=PLAIN
listener.name.controller.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="controller" password="${KAFKA_CONTROLLER_PASSWORD}" user_controller="${KAFKA_CONTROLLER_PASSWORD}";
ssl.keystore.type=PKCS12
ssl.keystore.location=/kafka-tls/broker.p12
ssl.keystore.password=${KAFKA_TLS_KEYSTORE_PASSWORD}
ssl.truststore.type=PEM
ssl.truststore.location=/kafka-tls/ca.pem
authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
allow.everyone.if.no.acl.found=false
super.users=User:admin;User:controller
log.dirs=/var/lib/kafka/data
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
# One node is its own controller: after a crash the controller keeps the dead broker's session and
# refuses the restarted broker (DUPLICATE_BROKER_REGISTRATION) until it expires, 9 s by default.
broker.session.timeout.ms=4000
broker.heartbeat.interval.ms=500
PROPERTIES
# The admin's client settings: the health check's (kafka-broker-api-versions.sh --command-config).
cat > /tmp/admin.properties <<PROPERTIES
security.protocol=SASL_SSL
sasl.mechanism=SCRAM-SHA-512
sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="${KAFKA_ADMIN_PASSWORD}";
ssl.truststore.type=PEM
ssl.truststore.location=/kafka-tls/ca.pem
PROPERTIES
if [ ! -f /var/lib/kafka/data/meta.properties ]; then
  /opt/kafka/bin/kafka-storage.sh format --cluster-id "$CLUSTER_ID" --config "$config" \
      --add-scram "SCRAM-SHA-512=[name=admin,password=${KAFKA_ADMIN_PASSWORD}]"
fi
exec /opt/kafka/bin/kafka-server-start.sh "$config"
