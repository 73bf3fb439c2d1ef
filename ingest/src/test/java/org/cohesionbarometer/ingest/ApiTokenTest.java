package org.cohesionbarometer.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ApiTokenTest {

    @Test
    void anIssuedTokenReadsBackAndMatchesTheHashThatIsStored() {
        ApiToken issued = ApiToken.issue();

        ApiToken presented = ApiToken.parse(issued.value()).orElseThrow();

        assertThat(presented).isEqualTo(issued);
        assertThat(presented.matches(issued.secretSha256())).isTrue();
        assertThat(issued.secretSha256()).hasSize(64).doesNotContain(issued.secret());
    }

    @Test
    void aTokenWithAnotherSecretDoesNotMatch() {
        ApiToken issued = ApiToken.issue();
        ApiToken guessed = new ApiToken(issued.tokenId(), ApiToken.issue().secret());

        assertThat(guessed.matches(issued.secretSha256())).isFalse();
    }

    @Test
    void twoIssuedTokensShareNeitherIdNorSecret() {
        ApiToken a = ApiToken.issue();
        ApiToken b = ApiToken.issue();

        assertThat(a.tokenId()).isNotEqualTo(b.tokenId());
        assertThat(a.secret()).isNotEqualTo(b.secret());
    }

    @Test
    void aTokenThatReachesALogLineByMistakeDoesNotLeakItsSecret() {
        ApiToken token = ApiToken.issue();

        assertThat(token.toString()).contains(token.tokenId()).doesNotContain(token.secret());
    }

    @Test
    void textsWithoutATokensShapeAreNotTokens() {
        assertThat(ApiToken.parse("admin-secret")).isEmpty();
        assertThat(ApiToken.parse("cbt_0123456789ab")).isEmpty();
        assertThat(ApiToken.parse("cbt_0123456789ab.short")).isEmpty();
        assertThat(ApiToken.parse("cbt_0123456789AB." + "a".repeat(43))).as("ids are lower-case hex").isEmpty();
    }
}
