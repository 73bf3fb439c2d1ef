package org.cohesionbarometer.streams.window;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.cohesionbarometer.schemas.indicator.MixingCell;
import org.cohesionbarometer.schemas.indicator.NeighbourhoodIndicators;
import org.cohesionbarometer.schemas.indicator.SentimentCell;
import org.cohesionbarometer.schemas.internal.ActivityTally;
import org.cohesionbarometer.schemas.internal.HourCounts;
import org.cohesionbarometer.schemas.internal.WindowTally;
import org.cohesionbarometer.schemas.signal.CheckIn;
import org.cohesionbarometer.schemas.signal.MixingContact;
import org.cohesionbarometer.schemas.signal.SentimentTap;

/**
 * The additive statistics of one neighbourhood window and of each activity in it, and how each
 * signal adds to them, and a draft (what some signals added, see {@code HourDrafts}) to a window.
 * The activities ride in their neighbourhood's state, so that one repartition by neighbourhood
 * serves both scopes. Every published statistic is a count, so drafts add up exactly into
 * windows, and windows into days, weeks or any other period. Participants are counted from the deltas their memory attaches to each
 * check-in (see {@code ParticipantMemory}): the windows never hold a token.
 */
public final class HourTally {
    /** The group code under which people who declared no group are counted. */
    public static final String UNDECLARED = "?";

    public static WindowTally empty() {
        return new WindowTally(emptyCounts(), new HashMap<>());
    }

    /** An empty draft of what signals add to one neighbourhood-hour (see {@code HourDrafts}). */
    public static WindowTally draft(String neighbourhoodId, long windowStart) {
        WindowTally draft = empty();
        draft.getCounts().setNeighbourhoodId(neighbourhoodId);
        draft.getCounts().setWindowStart(windowStart);
        return draft;
    }

    private static HourCounts emptyCounts() {
        return new HourCounts("", 0L, 0L, 0L, new HashMap<>(), 0L, 0L, 0L, 0L, 0L, new ArrayList<>(), new ArrayList<>(), 0L, 0L);
    }

    /** The published record of a window's counts (indicators are derived from it afterwards). */
    public static NeighbourhoodIndicators published(String neighbourhoodId, String activityId, long windowStart, long windowEnd,
                                             HourCounts counts, boolean isFinal) {
        return NeighbourhoodIndicators.newBuilder()
                .setNeighbourhoodId(neighbourhoodId)
                .setActivityId(activityId)
                .setWindowStart(Instant.ofEpochMilli(windowStart))
                .setWindowEnd(Instant.ofEpochMilli(windowEnd))
                .setCheckIns(counts.getCheckIns())
                .setHeadcount(counts.getHeadcount())
                .setGroupHeadcounts(new HashMap<>(counts.getGroupHeadcounts()))
                .setUniqueParticipants(counts.getUniqueParticipants())
                .setFirstTimeParticipants(counts.getFirstTimeParticipants())
                .setSustainedParticipants(counts.getSustainedParticipants())
                .setContacts(counts.getContacts())
                .setCrossGroupContacts(counts.getCrossGroupContacts())
                .setMixing(new ArrayList<>(counts.getMixing()))
                .setSentiment(new ArrayList<>(counts.getSentiment()))
                .setLastEventTime(Instant.ofEpochMilli(counts.getLastEventTime()))
                .setIsFinal(isFinal)
                .setPartlyCountedCheckIns(counts.getPartlyCountedCheckIns())
                .build();
    }

    /** The tally of one activity within the neighbourhood's window. */
    private static ActivityTally activity(WindowTally tally, String activityId) {
        return tally.getActivities().computeIfAbsent(activityId, id -> new ActivityTally(emptyCounts()));
    }

    public static WindowTally add(Attendance attendance, WindowTally tally) {
        count(attendance, tally.getCounts(), attendance.toNeighbourhoodHour());
        count(attendance, activity(tally, attendance.checkIn().getActivityId()).getCounts(),
                attendance.toActivityHour());
        return tally;
    }

    public static WindowTally add(MixingContact contact, WindowTally tally) {
        count(contact, tally.getCounts());
        count(contact, activity(tally, contact.getActivityId()).getCounts());
        return tally;
    }

    /** A tap at a kiosk, and the activity the kiosk stands at (null for none in particular). */
    public static WindowTally add(SentimentTap tap, String activityId, WindowTally tally) {
        count(tap, tally.getCounts());
        if (activityId != null) {
            count(tap, activity(tally, activityId).getCounts());
        }
        return tally;
    }

    /** Adds a draft of the same neighbourhood-hour (what some signals added) to the tally. */
    public static WindowTally add(WindowTally draft, WindowTally tally) {
        add(draft.getCounts(), tally.getCounts());
        draft.getActivities().forEach((activityId, activity) ->
                add(activity.getCounts(), activity(tally, activityId).getCounts()));
        return tally;
    }

    private static void add(HourCounts draft, HourCounts counts) {
        counts.setCheckIns(counts.getCheckIns() + draft.getCheckIns());
        counts.setHeadcount(counts.getHeadcount() + draft.getHeadcount());
        draft.getGroupHeadcounts().forEach((group, headcount) -> counts.getGroupHeadcounts().merge(group, headcount, Long::sum));
        counts.setUniqueParticipants(counts.getUniqueParticipants() + draft.getUniqueParticipants());
        counts.setFirstTimeParticipants(counts.getFirstTimeParticipants() + draft.getFirstTimeParticipants());
        counts.setSustainedParticipants(counts.getSustainedParticipants() + draft.getSustainedParticipants());
        counts.setContacts(counts.getContacts() + draft.getContacts());
        counts.setCrossGroupContacts(counts.getCrossGroupContacts() + draft.getCrossGroupContacts());
        for (MixingCell cell : draft.getMixing()) {
            MixingCell mine = mixingCell(counts, cell.getGroupA(), cell.getGroupB());
            mine.setContacts(mine.getContacts() + cell.getContacts());
        }
        for (SentimentCell cell : draft.getSentiment()) {
            SentimentCell mine = sentimentCell(counts, cell.getQuestionCode(), cell.getScale(), cell.getLevel());
            mine.setTaps(mine.getTaps() + cell.getTaps());
        }
        counts.setPartlyCountedCheckIns(counts.getPartlyCountedCheckIns() + draft.getPartlyCountedCheckIns());
        seen(counts, draft.getLastEventTime());
    }

    private static void count(Attendance attendance, HourCounts counts, Set<ParticipantFlag> flags) {
        CheckIn checkIn = attendance.checkIn();
        counts.setCheckIns(counts.getCheckIns() + 1);
        counts.setHeadcount(counts.getHeadcount() + checkIn.getHeadcount());
        String group = checkIn.getGroupCode() == null ? UNDECLARED : checkIn.getGroupCode();
        counts.getGroupHeadcounts().merge(group, (long) checkIn.getHeadcount(), Long::sum);
        if (flags.contains(ParticipantFlag.COUNTED)) {
            counts.setUniqueParticipants(counts.getUniqueParticipants() + 1);
        }
        if (flags.contains(ParticipantFlag.FIRST_TIME)) {
            counts.setFirstTimeParticipants(counts.getFirstTimeParticipants() + 1);
        }
        if (flags.contains(ParticipantFlag.SUSTAINED)) {
            counts.setSustainedParticipants(counts.getSustainedParticipants() + 1);
        }
        if (flags.contains(ParticipantFlag.PARTLY_COUNTED)) {
            counts.setPartlyCountedCheckIns(counts.getPartlyCountedCheckIns() + 1);
        }
        seen(counts, checkIn.getEventTime());
    }

    private static void count(MixingContact contact, HourCounts counts) {
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
        MixingCell cell = mixingCell(counts, low, high);
        cell.setContacts(cell.getContacts() + 1);
        seen(counts, contact.getEventTime());
    }

    private static void count(SentimentTap tap, HourCounts counts) {
        SentimentCell cell = sentimentCell(counts, tap.getQuestionCode(), tap.getScale(), tap.getLevel());
        cell.setTaps(cell.getTaps() + 1);
        seen(counts, tap.getEventTime());
    }

    /** The cell of an unordered pair of groups (low <= high), added empty if the window has none yet. */
    private static MixingCell mixingCell(HourCounts counts, String low, String high) {
        for (MixingCell cell : counts.getMixing()) {
            if (cell.getGroupA().equals(low) && cell.getGroupB().equals(high)) {
                return cell;
            }
        }
        MixingCell fresh = new MixingCell(low, high, 0L);
        counts.getMixing().add(fresh);
        return fresh;
    }

    private static SentimentCell sentimentCell(HourCounts counts, String question, int scale, int level) {
        for (SentimentCell cell : counts.getSentiment()) {
            if (cell.getQuestionCode().equals(question) && cell.getScale() == scale && cell.getLevel() == level) {
                return cell;
            }
        }
        SentimentCell fresh = new SentimentCell(question, scale, level, 0L);
        counts.getSentiment().add(fresh);
        return fresh;
    }

    private static void seen(HourCounts counts, Instant eventTime) {
        seen(counts, eventTime.toEpochMilli());
    }

    private static void seen(HourCounts counts, long eventMillis) {
        if (eventMillis > counts.getLastEventTime()) {
            counts.setLastEventTime(eventMillis);
        }
    }

    private HourTally() {
    }
}
