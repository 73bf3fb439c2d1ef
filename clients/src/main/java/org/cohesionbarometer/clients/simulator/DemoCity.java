package org.cohesionbarometer.clients.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A small fictional city for the demo and the load generator: neighbourhoods of different
 * diversity, the activities organised in them and the kiosks where residents tap a smiley.
 * Group codes stand for the city's own background taxonomy (here A to E).
 */
public record DemoCity(String name, List<Quarter> quarters) {

    /** A neighbourhood and the share of each background group among its residents. */
    public record Quarter(String id, String name, double lat, double lon, Map<String, Double> groupShares,
                          List<Venture> activities, List<String> kiosks) {
    }

    /**
     * An activity. Before it starts, contacts at the neighbourhood's other gatherings cross groups
     * at {@code baselineMixing}; once it runs, at {@code mixingWhenRunning}: the effect the barometer
     * is meant to detect.
     */
    public record Venture(String id, String title, String type, Instant startsAt,
                          double baselineMixing, double mixingWhenRunning) {
    }

    public static DemoCity riverton(Instant now) {
        Instant started = now.minus(Duration.ofDays(14));
        Instant startsSoon = now.plus(Duration.ofMinutes(3));
        return new DemoCity("Riverton", List.of(
                new Quarter("old-town", "Old Town", 50.9375, 6.9603,
                        Map.of("A", 0.25, "B", 0.2, "C", 0.2, "D", 0.2, "E", 0.15),
                        List.of(new Venture("old-town-language-cafe", "Language café at the library", "LANGUAGE_CAFE", started, 0.25, 0.6),
                                new Venture("old-town-festival", "Square festival", "FESTIVAL", started, 0.3, 0.5)),
                        List.of("old-town-library-kiosk")),
                new Quarter("harbour", "Harbour", 50.9501, 6.9705,
                        Map.of("A", 0.5, "C", 0.5),
                        List.of(new Venture("harbour-dinner", "Community dinner at the pier", "COMMUNITY_DINNER", startsSoon, 0.15, 0.55)),
                        List.of("harbour-pier-kiosk")),
                new Quarter("hillside", "Hillside", 50.9201, 6.9402,
                        Map.of("A", 0.85, "B", 0.1, "E", 0.05),
                        List.of(new Venture("hillside-football", "Sunday football", "SPORT", started, 0.1, 0.2)),
                        List.of("hillside-club-kiosk")),
                new Quarter("market", "Market Quarter", 50.9402, 6.9801,
                        Map.of("B", 0.3, "C", 0.3, "D", 0.4),
                        List.of(new Venture("market-garden", "Urban garden", "URBAN_GARDEN", started, 0.2, 0.45),
                                new Venture("market-workshop", "Repair workshop", "WORKSHOP", started, 0.2, 0.35)),
                        List.of("market-hall-kiosk")),
                new Quarter("riverside", "Riverside", 50.9305, 6.9904,
                        Map.of("C", 0.7, "D", 0.3),
                        List.of(new Venture("riverside-sport", "Riverside running club", "SPORT", started, 0.1, 0.3)),
                        List.of("riverside-path-kiosk"))));
    }

    /**
     * Riverton's neighbour, Lakeside: three neighbourhoods, one of them very mixed, one hardly at
     * all, so that the two cities' figures differ and a mix-up would show.
     */
    public static DemoCity lakeside(Instant now) {
        Instant started = now.minus(Duration.ofDays(14));
        return new DemoCity("Lakeside", List.of(
                new Quarter("lakeside-quay", "The Quay", 50.8402, 7.1203,
                        Map.of("A", 0.3, "C", 0.3, "E", 0.4),
                        List.of(new Venture("lakeside-quay-choir", "Quay choir", "OTHER", started, 0.35, 0.6)),
                        List.of("lakeside-quay-kiosk")),
                new Quarter("lakeside-north-shore", "North Shore", 50.8511, 7.1107,
                        Map.of("B", 0.45, "D", 0.35, "E", 0.2),
                        List.of(new Venture("lakeside-sailing-club", "Sailing club open day", "SPORT", started, 0.15, 0.4)),
                        List.of("lakeside-club-kiosk")),
                new Quarter("lakeside-old-mill", "Old Mill", 50.8305, 7.1302,
                        Map.of("A", 0.9, "B", 0.1),
                        List.of(new Venture("lakeside-mill-market", "Mill market", "FESTIVAL", started, 0.05, 0.15)),
                        List.of("lakeside-mill-kiosk"))));
    }
}
