package org.cohesionbarometer.streams;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import org.cohesionbarometer.schemas.indicator.MixingCell;
import org.cohesionbarometer.schemas.indicator.NeighbourhoodIndicators;
import org.cohesionbarometer.schemas.indicator.SentimentCell;
import org.cohesionbarometer.schemas.signal.CheckIn;
import org.cohesionbarometer.schemas.signal.MixingContact;
import org.cohesionbarometer.schemas.signal.SentimentTap;

/**
 * The additive statistics of one neighbourhood in one window, and how each signal adds to them.
 * Every statistic is a count, so windows sum exactly into days, weeks or any other period.
 */
final class NeighbourhoodWindow {
    /** The group code under which people who declared no group are counted. */
    static final String UNDECLARED = "?";

    static NeighbourhoodIndicators empty() {
        return NeighbourhoodIndicators.newBuilder()
                .setNeighbourhoodId("")
                .setWindowStart(Instant.EPOCH)
                .setWindowEnd(Instant.EPOCH)
                .setGroupHeadcounts(new HashMap<>())
                .setMixing(new ArrayList<>())
                .setSentiment(new ArrayList<>())
                .setLastEventTime(Instant.EPOCH)
                .build();
    }

    static NeighbourhoodIndicators add(String neighbourhoodId, CheckIn checkIn, NeighbourhoodIndicators tally) {
        tally.setNeighbourhoodId(neighbourhoodId);
        tally.setCheckIns(tally.getCheckIns() + 1);
        tally.setHeadcount(tally.getHeadcount() + checkIn.getHeadcount());
        String group = checkIn.getGroupCode() == null ? UNDECLARED : checkIn.getGroupCode();
        tally.getGroupHeadcounts().merge(group, (long) checkIn.getHeadcount(), Long::sum);
        return seen(tally, checkIn.getEventTime());
    }

    static NeighbourhoodIndicators add(String neighbourhoodId, MixingContact contact, NeighbourhoodIndicators tally) {
        tally.setNeighbourhoodId(neighbourhoodId);
        tally.setContacts(tally.getContacts() + 1);
        String a = contact.getGroupCodeA() == null ? UNDECLARED : contact.getGroupCodeA();
        String b = contact.getGroupCodeB() == null ? UNDECLARED : contact.getGroupCodeB();
        boolean bothDeclared = !UNDECLARED.equals(a) && !UNDECLARED.equals(b);
        if (bothDeclared && !a.equals(b)) {
            tally.setCrossGroupContacts(tally.getCrossGroupContacts() + 1);
        }
        // Undirected: each unordered pair is one cell, stored with groupA <= groupB.
        String low = a.compareTo(b) <= 0 ? a : b;
        String high = a.compareTo(b) <= 0 ? b : a;
        MixingCell cell = tally.getMixing().stream()
                .filter(c -> c.getGroupA().equals(low) && c.getGroupB().equals(high))
                .findFirst()
                .orElseGet(() -> {
                    MixingCell fresh = new MixingCell(low, high, 0L);
                    tally.getMixing().add(fresh);
                    return fresh;
                });
        cell.setContacts(cell.getContacts() + 1);
        return seen(tally, contact.getEventTime());
    }

    static NeighbourhoodIndicators add(String neighbourhoodId, SentimentTap tap, NeighbourhoodIndicators tally) {
        tally.setNeighbourhoodId(neighbourhoodId);
        SentimentCell cell = tally.getSentiment().stream()
                .filter(c -> c.getQuestionCode().equals(tap.getQuestionCode())
                        && c.getScale() == tap.getScale() && c.getLevel() == tap.getLevel())
                .findFirst()
                .orElseGet(() -> {
                    SentimentCell fresh = new SentimentCell(tap.getQuestionCode(), tap.getScale(), tap.getLevel(), 0L);
                    tally.getSentiment().add(fresh);
                    return fresh;
                });
        cell.setTaps(cell.getTaps() + 1);
        return seen(tally, tap.getEventTime());
    }

    private static NeighbourhoodIndicators seen(NeighbourhoodIndicators tally, Instant eventTime) {
        if (eventTime.isAfter(tally.getLastEventTime())) {
            tally.setLastEventTime(eventTime);
        }
        return tally;
    }

    private NeighbourhoodWindow() {
    }
}
