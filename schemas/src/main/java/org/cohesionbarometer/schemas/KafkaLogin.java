package org.cohesionbarometer.schemas;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.nio.charset.StandardCharsets;

/**
 * Who a service is to Kafka and to the schema registry, and how it knows it talks to the real broker
 * (docs/security.md). In production every service has its own Kafka principal, a SCRAM-SHA-512 user
 * over TLS, whose ACLs allow only what it needs; the embedded run stays on PLAINTEXT on loopback.
 * Read with the other common settings by {@link KafkaEndpoints#fromEnvironment}.
 *
 * @param protocol         how the client connects ({@code BAROMETER_KAFKA_SECURITY_PROTOCOL})
 * @param user             its SCRAM-SHA-512 user, the principal ACLs name ({@code BAROMETER_KAFKA_USER})
 * @param password         that user's password ({@code BAROMETER_KAFKA_PASSWORD})
 * @param truststore       a PEM file with the certificate(s) that signed the broker's, blank for the
 *                         JVM's own trust store ({@code BAROMETER_KAFKA_TRUSTSTORE})
 * @param registryUser     the schema registry's HTTP basic user, blank for none ({@code BAROMETER_SCHEMA_REGISTRY_USER})
 * @param registryPassword its password ({@code BAROMETER_SCHEMA_REGISTRY_PASSWORD})
 */
public record KafkaLogin(Protocol protocol, String user, String password, String truststore, String registryUser,
                         String registryPassword) {

    /** The security protocols a barometer service speaks; SASL means SCRAM-SHA-512. */
    public enum Protocol { PLAINTEXT, SASL_PLAINTEXT, SASL_SSL }

    public static final String MECHANISM = "SCRAM-SHA-512";

    /** No login: PLAINTEXT, as the embedded run and the tests' brokers listen. */
    public static final KafkaLogin NONE = new KafkaLogin(Protocol.PLAINTEXT, "", "", "", "", "");

    public KafkaLogin {
        user = user == null ? "" : user;
        password = password == null ? "" : password;
        truststore = truststore == null ? "" : truststore;
        registryUser = registryUser == null ? "" : registryUser;
        registryPassword = registryPassword == null ? "" : registryPassword;
        if (protocol != Protocol.PLAINTEXT && (user.isBlank() || password.isBlank())) {
            throw new IllegalArgumentException("BAROMETER_KAFKA_USER and BAROMETER_KAFKA_PASSWORD: " + protocol
                    + " needs the service's SCRAM user and password (docs/security.md); one is empty");
        }
        if (protocol == Protocol.PLAINTEXT && !user.isBlank()) {
            throw new IllegalArgumentException("BAROMETER_KAFKA_SECURITY_PROTOCOL: a Kafka user is given but the protocol is"
                    + " PLAINTEXT, which sends no credentials; set SASL_SSL (or SASL_PLAINTEXT)");
        }
        if (!truststore.isBlank() && protocol != Protocol.SASL_SSL) {
            throw new IllegalArgumentException("BAROMETER_KAFKA_TRUSTSTORE: a trust store is only used with SASL_SSL, not " + protocol);
        }
        if (registryUser.isBlank() != registryPassword.isBlank()) {
            throw new IllegalArgumentException("BAROMETER_SCHEMA_REGISTRY_USER and BAROMETER_SCHEMA_REGISTRY_PASSWORD:"
                    + " give both or neither");
        }
    }

    /** Parses {@code BAROMETER_KAFKA_SECURITY_PROTOCOL}, naming the variable and the choices when it is none of them. */
    public static Protocol protocol(String value) {
        try {
            return Protocol.valueOf(value.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("BAROMETER_KAFKA_SECURITY_PROTOCOL='" + value
                    + "' is not one of PLAINTEXT, SASL_PLAINTEXT, SASL_SSL", e);
        }
    }

    /** A SCRAM-SHA-512 login over TLS, trusting the certificates in {@code truststorePem}. */
    public static KafkaLogin scramOverTls(String user, String password, String truststorePem) {
        return new KafkaLogin(Protocol.SASL_SSL, user, password, truststorePem, "", "");
    }

    /** The Kafka client settings (producer, consumer, admin, streams alike) for this login. */
    public Map<String, Object> clientProperties() {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("security.protocol", protocol.name());
        if (protocol != Protocol.PLAINTEXT) {
            props.put("sasl.mechanism", MECHANISM);
            props.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                    + jaasEscaped(user) + "\" password=\"" + jaasEscaped(password) + "\";");
        }
        if (!truststore.isBlank()) {
            props.put("ssl.truststore.type", "PEM");
            props.put("ssl.truststore.location", truststore);
        }
        return props;
    }

    /** The value of an HTTP Authorization header for the schema registry, or null without a registry login. */
    public String registryAuthorization() {
        if (registryUser.isBlank()) {
            return null;
        }
        return "Basic " + Base64.getEncoder().encodeToString((registryUser + ":" + registryPassword).getBytes(StandardCharsets.UTF_8));
    }

    private static String jaasEscaped(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    /** Never the passwords: settings are logged. */
    @Override
    public String toString() {
        return "KafkaLogin[" + protocol + (user.isBlank() ? "" : " as " + user)
                + (truststore.isBlank() ? "" : ", trusting " + truststore)
                + (registryUser.isBlank() ? "" : ", registry as " + registryUser) + "]";
    }
}
