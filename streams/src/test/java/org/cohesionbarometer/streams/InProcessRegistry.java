package org.cohesionbarometer.streams;

import org.cohesionbarometer.infra.registry.RegisteredSchemas;
import org.cohesionbarometer.infra.registry.SchemaRegistryServer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The project's own schema registry, in process, for a test class whose topology serializes
 * through it: {@code @RegisterExtension static final InProcessRegistry registry = new InProcessRegistry();}
 */
public final class InProcessRegistry implements BeforeAllCallback, AfterAllCallback {
    private SchemaRegistryServer server;

    public String url() {
        return server.url();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        server = new SchemaRegistryServer(new RegisteredSchemas()).start("localhost", 0);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        server.close();
    }
}
