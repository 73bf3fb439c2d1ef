package org.cohesionbarometer.schemas.wire;

import java.util.Map;
import org.apache.kafka.common.config.ConfigException;

/** The serde settings, under the same keys as Confluent's own serdes. */
public record SerdeConfig(String registryUrl, boolean autoRegister) {
    public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
    public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";

    public static SerdeConfig from(Map<String, ?> configs) {
        Object url = configs.get(SCHEMA_REGISTRY_URL);
        if (url == null || url.toString().isBlank()) {
            throw new ConfigException(SCHEMA_REGISTRY_URL, url, "a schema registry URL is required");
        }
        Object auto = configs.get(AUTO_REGISTER_SCHEMAS);
        return new SerdeConfig(url.toString(), auto == null || Boolean.parseBoolean(auto.toString()));
    }
}
