package org.cohesionbarometer.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ParticipantTokenTest {

    @Test
    void aTokenIsTheHmacSha256ThatOpensslMakesFromTheSameSaltAndName() {
        // printf '%s' 'anna schmidt' | openssl dgst -sha256 -hmac 'c0ffee'
        assertThat(ParticipantToken.of("c0ffee", "anna schmidt"))
                .isEqualTo("7c93f40d3e7d0511907efba173dd527e1077f4d16517585d46b1a097df893b38");
    }

    @Test
    void theSamePersonWrittenOtherwiseGetsTheSameTokenAndAnotherSaltAnother() {
        assertThat(ParticipantToken.of("c0ffee", "  Anna   SCHMIDT ")).isEqualTo(ParticipantToken.of("c0ffee", "anna schmidt"));
        assertThat(ParticipantToken.of("other-salt", "anna schmidt")).isNotEqualTo(ParticipantToken.of("c0ffee", "anna schmidt"));
        assertThat(ParticipantToken.isValid(ParticipantToken.of("c0ffee", "M-10442"))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"tel:004915112345678", "anna.schmidt", "mobile_015112345678", "jane@example.org",
            "p-3f9a1c77e2b4d801", "3f9a1c77e2b4d8013f9a1c77e2b4d80", "7C93F40D3E7D0511907EFBA173DD527E",
            "0049151123456780049151123456780 ", ""})
    void namesPhoneNumbersAndShortOrUppercaseTextAreNotTokens(String text) {
        assertThat(ParticipantToken.isValid(text)).isFalse();
    }

    @Test
    void aTokenNeedsASalt() {
        assertThatThrownBy(() -> ParticipantToken.of(" ", "anna")).hasMessageContaining("salt");
    }
}
