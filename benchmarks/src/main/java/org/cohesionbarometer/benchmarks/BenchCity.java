package org.cohesionbarometer.benchmarks;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * The city the end-to-end benchmarks load: {@code neighbourhoods} neighbourhoods with three
 * activities and two kiosks each, five background groups, and a pool of pseudonymous participants.
 * It makes the realistic mix of signals the demo city's simulator sends (60% check-ins, 30% mixing
 * contacts, 10% sentiment taps), from a seed, so that two runs send the same signals.
 *
 * <p>Each kiosk's taps are at least the kiosks' debounce interval apart in event time (a smiley
 * kiosk is pressed now and then, not drummed on): the benchmarks measure the pipeline, and the
 * SQL baseline then counts what the barometer counts without re-implementing the debounce.
 */
final class BenchCity {
    static final List<String> GROUPS = List.of("A", "B", "C", "D", "E");
    static final String PROBE_NEIGHBOURHOOD = "bench-probe";
    static final String PROBE_ACTIVITY = "bench-probe-activity";
    /** The probe is one participant, so that its check-ins stay in order on one partition. */
    static final String PROBE_TOKEN = "0b0e0b0e0b0e0b0e0b0e0b0e0b0e0b0e";
    private static final long TAP_SPACING_MILLIS = 6_000;

    private final int neighbourhoods;
    private final int participants;
    private final SplittableRandom random;
    private final long[] kioskNextTap;
    private final boolean spaceKioskTaps;

    BenchCity(int neighbourhoods, int participants, long seed) {
        this(neighbourhoods, participants, seed, true);
    }

    /**
     * @param spaceKioskTaps whether each kiosk's taps are kept the debounce interval apart (for a
     *                       count to compare); a live load at thousands of signals a second sends
     *                       them at the time they are made, and the debounce drops the repeats
     */
    BenchCity(int neighbourhoods, int participants, long seed, boolean spaceKioskTaps) {
        this.spaceKioskTaps = spaceKioskTaps;
        this.neighbourhoods = neighbourhoods;
        this.participants = participants;
        this.random = new SplittableRandom(seed);
        this.kioskNextTap = new long[neighbourhoods * 2];
    }

    static String neighbourhood(int n) {
        return "n" + n;
    }

    static String activity(int n, int a) {
        return "n" + n + "-a" + a;
    }

    static String kiosk(int n, int k) {
        return "n" + n + "-k" + k;
    }

    int neighbourhoods() {
        return neighbourhoods;
    }

    /** The reference data to PUT, as (path, JSON body) pairs: groups, neighbourhoods, activities, kiosks, and the probe's. */
    List<String[]> reference() {
        List<String[]> puts = new ArrayList<>();
        for (String g : GROUPS) {
            puts.add(new String[] {"v1/groups/" + g, "{\"label\":\"group " + g + "\"}"});
        }
        for (int n = 0; n < neighbourhoods; n++) {
            puts.add(new String[] {"v1/neighbourhoods/" + neighbourhood(n), "{\"name\":\"Quarter " + n + "\",\"city\":\"Bench\"}"});
            for (int a = 0; a < 3; a++) {
                puts.add(new String[] {"v1/activities/" + activity(n, a), "{\"title\":\"Activity " + a + "\",\"neighbourhoodId\":\""
                        + neighbourhood(n) + "\",\"organiserId\":\"org-" + n + "\",\"startsAt\":\"2026-01-01T00:00:00Z\"}"});
            }
            for (int k = 0; k < 2; k++) {
                puts.add(new String[] {"v1/kiosks/" + kiosk(n, k), "{\"neighbourhoodId\":\"" + neighbourhood(n)
                        + "\",\"organiserId\":\"org-" + n + "\",\"location\":\"kiosk " + k + "\"}"});
            }
        }
        puts.add(new String[] {"v1/neighbourhoods/" + PROBE_NEIGHBOURHOOD, "{\"name\":\"Freshness probe\",\"city\":\"Bench\"}"});
        puts.add(new String[] {"v1/activities/" + PROBE_ACTIVITY, "{\"title\":\"Freshness probe\",\"neighbourhoodId\":\""
                + PROBE_NEIGHBOURHOOD + "\",\"organiserId\":\"org-probe\",\"startsAt\":\"2026-01-01T00:00:00Z\"}"});
        return puts;
    }

    /** The next signal of the mix, at about {@code at}. */
    Signal next(Instant at) {
        double draw = random.nextDouble();
        return next(draw < 0.6 ? Signal.Kind.CHECK_IN : draw < 0.9 ? Signal.Kind.CONTACT : Signal.Kind.TAP, at);
    }

    /** The kind of signal a bulk request of the mix carries: one kind per request, as the API takes them. */
    Signal.Kind nextKind() {
        double draw = random.nextDouble();
        return draw < 0.6 ? Signal.Kind.CHECK_IN : draw < 0.9 ? Signal.Kind.CONTACT : Signal.Kind.TAP;
    }

    /** The next signal of a given kind, at about {@code at}. */
    Signal next(Signal.Kind kind, Instant at) {
        int n = random.nextInt(neighbourhoods);
        UUID id = new UUID(random.nextLong() & ~0xF000L | 0x4000L, random.nextLong() & 0x3FFFFFFFFFFFFFFFL | 0x8000000000000000L);
        if (kind == Signal.Kind.CHECK_IN) {
            if (random.nextInt(20) == 0) { // a group arriving together, counted from a paper sheet: no token
                return Signal.checkIn(id, at, activity(n, random.nextInt(3)), null, group(), 2 + random.nextInt(3));
            }
            return Signal.checkIn(id, at, activity(n, random.nextInt(3)), token(), group(), 1);
        }
        if (kind == Signal.Kind.CONTACT) {
            String a = group();
            String b = random.nextInt(3) == 0 ? group() : a;
            String tokenA = token();
            String tokenB = token();
            while (tokenB.equals(tokenA)) { // a contact needs two people, as the API checks
                tokenB = token();
            }
            return Signal.contact(id, at, activity(n, random.nextInt(3)), tokenA, a, tokenB, b);
        }
        int k = random.nextInt(2);
        if (!spaceKioskTaps) {
            return Signal.tap(id, at, kiosk(n, k), "feel-welcome", 5, 1 + random.nextInt(5));
        }
        int slot = n * 2 + k;
        long when = Math.max(at.toEpochMilli(), kioskNextTap[slot]);
        kioskNextTap[slot] = when + TAP_SPACING_MILLIS;
        return Signal.tap(id, Instant.ofEpochMilli(when), kiosk(n, k), "feel-welcome", 5, 1 + random.nextInt(5));
    }

    /** The probe's check-in: a participant of its own, in the probe's neighbourhood. */
    static Signal probe(long sequence, Instant at) {
        return Signal.checkIn(UUID.randomUUID(), at, PROBE_ACTIVITY, PROBE_TOKEN, "A", 1);
    }

    /**
     * A participant's pseudonym in the shape the API takes (32 lowercase hex characters, as an
     * HMAC-SHA256 made on the organiser's side would be, shortened); distinct per participant.
     */
    static String token(long participant) {
        return String.format("%016x%016x", 0x5eed_0000_0000_0000L, participant);
    }

    private String token() {
        return token(random.nextInt(participants));
    }

    /** One in ten declares no group. */
    private String group() {
        int g = random.nextInt(GROUPS.size() * 2 + 1);
        return g == GROUPS.size() * 2 ? null : GROUPS.get(g % GROUPS.size());
    }
}
