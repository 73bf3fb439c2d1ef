package org.cohesionbarometer.streams;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import org.cohesionbarometer.schemas.indicator.MixingCell;
import org.cohesionbarometer.schemas.indicator.NeighbourhoodIndicators;
import org.cohesionbarometer.schemas.indicator.SentimentCell;
import org.cohesionbarometer.schemas.internal.Attendance;
import org.cohesionbarometer.schemas.internal.WindowTally;
import org.cohesionbarometer.schemas.signal.CheckIn;
import org.cohesionbarometer.schemas.signal.MixingContact;
import org.cohesionbarometer.schemas.signal.SentimentTap;

/**
 * The additive statistics of one window (a neighbourhood's, or one activity's), and how each
 * signal adds to them. Every published statistic is a count, so windows sum exactly into days,
 * weeks or any other period; the participants' tokens stay in the state store, never published.
 */
final class NeighbourhoodWindow {
    /** The group code under which people who declared no group are counted. */
    static final String UNDECLARED = "?";
    static final int FIRST_TIME = 1;
    static final int SUSTAINED = 2;

    static WindowTally empty() {
        return new WindowTally(NeighbourhoodIndicators.newBuilder()
                .setNeighbourhoodId("")
                .setWindowStart(Instant.EPOCH)
                .setWindowEnd(Instant.EPOCH)
                .setGroupHeadcounts(new HashMap<>())
                .setMixing(new ArrayList<>())
                .setSentiment(new ArrayList<>())
                .setLastEventTime(Instant.EPOCH)
                .build(), new HashMap<>());
    }

    static WindowTally add(Attendance attendance, WindowTally tally) {
        CheckIn checkIn = attendance.getCheckIn();
        NeighbourhoodIndicators counts = tally.getCounts();
        counts.setCheckIns(counts.getCheckIns() + 1);
        counts.setHeadcount(counts.getHeadcount() + checkIn.getHeadcount());
        String group = checkIn.getGroupCode() == null ? UNDECLARED : checkIn.getGroupCode();
        counts.getGroupHeadcounts().merge(group, (long) checkIn.getHeadcount(), Long::sum);
        if (checkIn.getParticipantToken() != null) {
            int flags = (attendance.getFirstTime() ? FIRST_TIME : 0) | (attendance.getSustained() ? SUSTAINED : 0);
            tally.getParticipants().merge(checkIn.getParticipantToken(), flags, (a, b) -> a | b);
            long firstTime = tally.getParticipants().values().stream().filter(f -> (f & FIRST_TIME) != 0).count();
            long sustained = tally.getParticipants().values().stream().filter(f -> (f & SUSTAINED) != 0).count();
            counts.setUniqueParticipants(tally.getParticipants().size());
            counts.setFirstTimeParticipants(firstTime);
            counts.setSustainedParticipants(sustained);
        }
        seen(counts, checkIn.getEventTime());
        return tally;
    }

    static WindowTally add(MixingContact contact, WindowTally tally) {
        NeighbourhoodIndicators counts = tally.getCounts();
        counts.setContacts(counts.getContacts() + 1);
        String a = contact.getGroupCodeA() == null ? UNDECLARED : contact.getGroupCodeA();
        String b = contact.getGroupCodeB() == null ? UNDECLARED : contact.getGroupCodeB();
        boolean bothDeclared = !UNDECLARED.equals(a) && !UNDECLARED.equals(b);
        if (bothDeclared && !a.equals(b)) {
            counts.setCrossGroupContacts(counts.getCrossGroupContacts() + 1);
        }
        // Undirected: each unordered pair is one cell, stored with groupA <= groupB.
        String low = a.compareTo(b) <= 0 ? a : b;
        String high = a.compareTo(b) <= 0 ? b : a;
        MixingCell cell = counts.getMixing().stream()
                .filter(c -> c.getGroupA().equals(low) && c.getGroupB().equals(high))
                .findFirst()
                .orElseGet(() -> {
                    MixingCell fresh = new MixingCell(low, high, 0L);
                    counts.getMixing().add(fresh);
                    return fresh;
                });
        cell.setContacts(cell.getContacts() + 1);
        seen(counts, contact.getEventTime());
        return tally;
    }

    static WindowTally add(SentimentTap tap, WindowTally tally) {
        NeighbourhoodIndicators counts = tally.getCounts();
        SentimentCell cell = counts.getSentiment().stream()
                .filter(c -> c.getQuestionCode().equals(tap.getQuestionCode())
                        && c.getScale() == tap.getScale() && c.getLevel() == tap.getLevel())
                .findFirst()
                .orElseGet(() -> {
                    SentimentCell fresh = new SentimentCell(tap.getQuestionCode(), tap.getScale(), tap.getLevel(), 0L);
                    counts.getSentiment().add(fresh);
                    return fresh;
                });
        cell.setTaps(cell.getTaps() + 1);
        seen(counts, tap.getEventTime());
        return tally;
    }

    private static void seen(NeighbourhoodIndicators counts, Instant eventTime) {
        if (eventTime.isAfter(counts.getLastEventTime())) {
            counts.setLastEventTime(eventTime);
        }
    }

    private NeighbourhoodWindow() {
    }
}
