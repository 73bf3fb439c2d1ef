package org.cohesionbarometer.sink;

import org.cohesionbarometer.schemas.Environment;
import org.cohesionbarometer.schemas.SmallCells;
import org.cohesionbarometer.sink.quality.DataQualitySettings;

/**
 * Everything the sink process is configured with, read once from the environment: how the
 * indicator sink writes, what the data-quality feed follows, how TimescaleDB keeps the tables, and
 * the privacy rule the migrations publish with.
 */
public record SinkConfiguration(SinkSettings writer, DataQualitySettings quality, TimescaleSettings timescale,
                                SmallCells privacy) {

    public static SinkConfiguration fromEnvironment(Environment env) {
        return new SinkConfiguration(SinkSettings.fromEnvironment(env), DataQualitySettings.fromEnvironment(env),
                TimescaleSettings.fromEnvironment(env), SmallCells.fromEnvironment(env));
    }

    /** The same, writing to another broker and database (the embedded run's). */
    public SinkConfiguration withEndpoints(String bootstrap, String registryUrl, String jdbcUrl, String user, String password) {
        return new SinkConfiguration(writer.withEndpoints(bootstrap, registryUrl, jdbcUrl, user, password), quality, timescale,
                privacy);
    }
}
