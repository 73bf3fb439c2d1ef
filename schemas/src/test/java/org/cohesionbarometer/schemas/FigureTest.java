package org.cohesionbarometer.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FigureTest {

    @Test
    void aRoundingErrorIsBroughtBackIntoTheRange() {
        assertThat(Figure.EVENNESS.clamp(1.0000000000000002)).isEqualTo(1.0);
        assertThat(Figure.COHESION_INDEX.clamp(100.00000000000003)).isEqualTo(100.0);
        assertThat(Figure.THEIL.clamp(-1.3081676888662794e-16)).isEqualTo(0.0);
        assertThat(Figure.ASSORTATIVITY.clamp(-1.0000000000000002)).isEqualTo(-1.0);
    }

    @Test
    void aMistakeIsPassedOnForTheDatabaseToRefuse() {
        assertThat(Figure.EVENNESS.clamp(1.01)).isEqualTo(1.01);
        assertThat(Figure.COHESION_INDEX.clamp(150.0)).isEqualTo(150.0);
        assertThat(Figure.CROSS_GROUP_SHARE.clamp(-0.2)).isEqualTo(-0.2);
    }

    @Test
    void valuesInsideTheRangeAndNullAreLeftAlone() {
        assertThat(Figure.SHANNON.clamp(3.5)).isEqualTo(3.5);
        assertThat(Figure.EVENNESS.clamp(0.999)).isEqualTo(0.999);
        assertThat(Figure.EVENNESS.clamp(null)).isNull();
    }
}
