package org.cohesionbarometer.sink;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.cohesionbarometer.schemas.indicator.CityIndicators;
import org.cohesionbarometer.schemas.indicator.NeighbourhoodIndicators;

/**
 * One batch of window updates to write. Several updates of one window in a batch collapse into
 * the latest, because two rows with one key in one {@code MERGE} or {@code INSERT ... ON CONFLICT} statement fail
 * ("command cannot affect row a second time").
 */
public final class IndicatorBatch {
    private final Map<String, Pending> latestByWindow = new LinkedHashMap<>();

    /** A window update and the Kafka record it came from (for dead-lettering). */
    public record Pending(SpecificRecord window, String key, String sourceTopic, byte[] originalValue) {
    }

    public void add(String key, SpecificRecord window, String sourceTopic, byte[] originalValue) {
        String id = window instanceof NeighbourhoodIndicators n
                ? n.getNeighbourhoodId() + "/" + n.getActivityId() + "@" + n.getWindowStart()
                : "city " + ((CityIndicators) window).getCity() + "@" + ((CityIndicators) window).getWindowStart();
        latestByWindow.remove(id); // re-insert so order follows the latest update
        latestByWindow.put(id, new Pending(window, key, sourceTopic, originalValue));
    }

    public List<Pending> rows() {
        return new ArrayList<>(latestByWindow.values());
    }

    public boolean isEmpty() {
        return latestByWindow.isEmpty();
    }

    public static List<NeighbourhoodIndicators> windows(Collection<Pending> rows) {
        return rows.stream().map(Pending::window).filter(NeighbourhoodIndicators.class::isInstance)
                .map(NeighbourhoodIndicators.class::cast).toList();
    }

    public static List<CityIndicators> cityDays(Collection<Pending> rows) {
        return rows.stream().map(Pending::window).filter(CityIndicators.class::isInstance)
                .map(CityIndicators.class::cast).toList();
    }
}
