package org.cohesionbarometer.streams.window;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;
import org.cohesionbarometer.schemas.internal.WindowTally;
import org.cohesionbarometer.schemas.signal.CheckIn;
import org.cohesionbarometer.schemas.signal.MixingContact;
import org.cohesionbarometer.schemas.signal.SignalSource;
import org.junit.jupiter.api.Test;

/** The arithmetic of a neighbourhood-hour's tally, without Kafka. */
class HourTallyTest {
    private static final Instant SIX_PM = Instant.parse("2026-03-14T18:30:00Z");

    private static CheckIn checkIn(String group, int headcount) {
        return CheckIn.newBuilder().setEventId(UUID.randomUUID()).setEventTime(SIX_PM).setActivityId("cafe")
                .setParticipantToken(null).setGroupCode(group).setHeadcount(headcount).setSource(SignalSource.APP).build();
    }

    private static MixingContact contact(String a, String b) {
        return MixingContact.newBuilder().setEventId(UUID.randomUUID()).setEventTime(SIX_PM).setActivityId("cafe")
                .setGroupCodeA(a).setGroupCodeB(b).setSource(SignalSource.APP).build();
    }

    @Test
    void aCheckInCountsItsHeadcountByGroupAndItsParticipantAsItsMemorySays() {
        WindowTally tally = HourTally.empty();

        HourTally.add(new Attendance("north", checkIn("B", 3), EnumSet.of(ParticipantFlag.COUNTED, ParticipantFlag.FIRST_TIME),
                EnumSet.of(ParticipantFlag.COUNTED)), tally);
        HourTally.add(new Attendance("north", checkIn(null, 1), Set.of(), Set.of()), tally);

        var hood = tally.getCounts();
        assertThat(hood.getCheckIns()).isEqualTo(2);
        assertThat(hood.getHeadcount()).isEqualTo(4);
        assertThat(hood.getGroupHeadcounts()).containsEntry("B", 3L).containsEntry(HourTally.UNDECLARED, 1L);
        assertThat(hood.getUniqueParticipants()).isEqualTo(1);
        assertThat(hood.getFirstTimeParticipants()).isEqualTo(1);
        assertThat(hood.getSustainedParticipants()).isZero();
        var cafe = tally.getActivities().get("cafe").getCounts();
        assertThat(cafe.getUniqueParticipants()).isEqualTo(1);
        assertThat(cafe.getFirstTimeParticipants()).as("first time in the city, told to the neighbourhood-hour only").isZero();
        assertThat(hood.getLastEventTime()).isEqualTo(SIX_PM.toEpochMilli());
    }

    @Test
    void aContactIsOneUndirectedCellAndCrossGroupOnlyWhenBothGroupsAreDeclaredAndDiffer() {
        WindowTally tally = HourTally.empty();

        HourTally.add(contact("B", "A"), tally);
        HourTally.add(contact("A", "B"), tally);
        HourTally.add(contact("A", null), tally);
        HourTally.add(contact("A", "A"), tally);

        var counts = tally.getCounts();
        assertThat(counts.getContacts()).isEqualTo(4);
        assertThat(counts.getCrossGroupContacts()).isEqualTo(2);
        assertThat(counts.getMixing()).anySatisfy(cell -> {
            assertThat(cell.getGroupA()).isEqualTo("A");
            assertThat(cell.getGroupB()).isEqualTo("B");
            assertThat(cell.getContacts()).isEqualTo(2);
        });
    }

    @Test
    void draftsAddUpToWhatTheirSignalsAddTogether() {
        WindowTally oneByOne = HourTally.empty();
        WindowTally first = HourTally.draft("north", 0);
        WindowTally second = HourTally.draft("north", 0);
        for (WindowTally target : new WindowTally[] {oneByOne, first}) {
            HourTally.add(new Attendance("north", checkIn("A", 2), EnumSet.of(ParticipantFlag.COUNTED), Set.of()), target);
            HourTally.add(contact("A", "C"), target);
        }
        for (WindowTally target : new WindowTally[] {oneByOne, second}) {
            HourTally.add(new Attendance("north", checkIn("C", 1), EnumSet.of(ParticipantFlag.PARTLY_COUNTED), Set.of()), target);
            HourTally.add(contact("C", "A"), target);
        }

        WindowTally byDrafts = HourTally.add(second, HourTally.add(first, HourTally.empty()));

        assertThat(byDrafts.getCounts().getHeadcount()).isEqualTo(oneByOne.getCounts().getHeadcount()).isEqualTo(3);
        assertThat(byDrafts.getCounts().getGroupHeadcounts()).isEqualTo(oneByOne.getCounts().getGroupHeadcounts());
        assertThat(byDrafts.getCounts().getUniqueParticipants()).isEqualTo(1);
        assertThat(byDrafts.getCounts().getPartlyCountedCheckIns()).isEqualTo(1);
        assertThat(byDrafts.getCounts().getMixing()).isEqualTo(oneByOne.getCounts().getMixing());
        assertThat(byDrafts.getActivities().get("cafe").getCounts().getCheckIns()).isEqualTo(2);
    }

    @Test
    void participantFlagsKeepTheBitsHistoriesWereWrittenWith() {
        assertThat(ParticipantFlag.of(1 | 4)).containsExactlyInAnyOrder(ParticipantFlag.FIRST_TIME, ParticipantFlag.COUNTED);
        assertThat(ParticipantFlag.of(2 | 8)).containsExactlyInAnyOrder(ParticipantFlag.SUSTAINED, ParticipantFlag.PARTLY_COUNTED);
        assertThat(ParticipantFlag.of(0)).isEmpty();
    }
}
