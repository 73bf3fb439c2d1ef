#!/bin/sh
# Makes the Kafka broker's TLS key and certificate once, into the kafka-tls volume (docker-compose's
# kafka-tls service, before the broker first starts): a self-signed certificate for the names the
# services reach the broker by (kafka, and localhost for its own tools), in a PKCS12 keystore locked
# with KAFKA_TLS_KEYSTORE_PASSWORD from .env, and the certificate alone, ca.pem, which every client
# trusts (BAROMETER_KAFKA_TRUSTSTORE). Nothing secret is in the image. To renew, or to use the city's
# own CA instead, see docs/security.md.
set -eu
dir=/kafka-tls
if [ -s "$dir/broker.p12" ] && [ -s "$dir/ca.pem" ]; then
  echo "kafka-tls: keeping the broker's certificate"
  exit 0
fi
rm -f "$dir/broker.p12" "$dir/ca.pem"
keytool -genkeypair -alias broker -keyalg EC -groupname secp256r1 -validity 825 \
        -dname "CN=kafka" -ext "SAN=dns:kafka,dns:localhost" \
        -keystore "$dir/broker.p12" -storetype PKCS12 -storepass "$KAFKA_TLS_KEYSTORE_PASSWORD"
keytool -exportcert -rfc -alias broker -file "$dir/ca.pem" \
        -keystore "$dir/broker.p12" -storetype PKCS12 -storepass "$KAFKA_TLS_KEYSTORE_PASSWORD"
# The broker (the image's user 1000) reads the key; the services only the certificate.
chown 1000:1000 "$dir/broker.p12" && chmod 0400 "$dir/broker.p12" && chmod 0444 "$dir/ca.pem"
echo "kafka-tls: made the broker's key and certificate"
