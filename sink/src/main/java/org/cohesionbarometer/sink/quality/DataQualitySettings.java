package org.cohesionbarometer.sink.quality;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.cohesionbarometer.schemas.Environment;

/** Configuration of the data-quality feed, read from environment variables. */
public record DataQualitySettings(String groupId, Duration lagEvery, List<String> lagGroups) {

    public static DataQualitySettings fromEnvironment(Environment env) {
        return new DataQualitySettings(
                env.string("BAROMETER_DATA_QUALITY_GROUP_ID", "cohesion-barometer-data-quality"),
                env.duration("BAROMETER_LAG_SAMPLE_EVERY", Duration.ofSeconds(30)),
                Arrays.stream(env.string("BAROMETER_LAG_GROUPS", "cohesion-barometer-indicators,cohesion-barometer-sink")
                        .split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList());
    }
}
