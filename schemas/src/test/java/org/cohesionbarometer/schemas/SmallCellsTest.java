package org.cohesionbarometer.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SmallCellsTest {
    private final SmallCells k10 = new SmallCells(10);

    @Test
    void aCellAtKIsPublishedAndOneAtKMinusOneIsWithheld() {
        SmallCells.Published p = k10.suppress(Map.of("A", 10L, "B", 9L, "C", 9L, "D", 40L));
        assertThat(p.cells()).containsOnlyKeys("A", "D");
        assertThat(p.withheld()).containsExactly("B", "C");
    }

    @Test
    void aSingleWithheldCellTakesTheSmallestOtherWithItSoItCannotBeRecoveredBySubtraction() {
        SmallCells.Published p = k10.suppress(Map.of("A", 12L, "B", 3L, "C", 30L));
        assertThat(p.withheld()).containsExactly("A", "B");
        assertThat(p.cells()).containsOnlyKeys("C");
        long total = 45;
        assertThat(total - p.cells().values().stream().mapToLong(Long::longValue).sum())
                .as("the remainder covers two groups, not one").isEqualTo(15);
    }

    @Test
    void aTotalBelowKWithholdsEverything() {
        SmallCells.Published p = k10.suppress(Map.of("A", 5L, "B", 4L));
        assertThat(p.totalWithheld()).isTrue();
        assertThat(p.cells()).isEmpty();
    }

    @Test
    void kCannotBeSetBelowFive() {
        assertThatThrownBy(() -> new SmallCells(4)).hasMessageContaining("minimum of 5");
        assertThat(new SmallCells(5).isSmall(4)).isTrue();
    }

    @Test
    void kIsReadOnceForEveryProcessAndDefaultsToTen() {
        assertThat(SmallCells.fromEnvironment(new Environment(Map.of())).k()).isEqualTo(10);
        assertThat(SmallCells.fromEnvironment(new Environment(Map.of("BAROMETER_SUPPRESSION_K", "7"))).k()).isEqualTo(7);
        assertThatThrownBy(() -> SmallCells.fromEnvironment(new Environment(Map.of("BAROMETER_SUPPRESSION_K", "3"))))
                .hasMessageContaining("minimum of 5");
    }
}
