package io.firehosesse.audit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The link rule, against values computed outside Java: {@code printf '%s\n%s' "$prev" "$record" | sha256sum}. */
class ChainHashTest {

    @Test
    void theFirstLinkHashesSixtyFourZerosALineFeedAndTheRecord() {
        assertThat(ChainHash.GENESIS).hasSize(64).matches("0+");
        assertThat(ChainHash.link(ChainHash.GENESIS, "{\"eventVersion\":\"1.11\"}"))
                .isEqualTo("56af1f8b6e9c5c0c90e6a70476b15adffcc7b1d80b6b47e1a5e730eda4dd1033");
    }

    @Test
    void eachLinkHashesThePreviousHashAndTheRecordAsUtf8() {
        String first = ChainHash.link(ChainHash.GENESIS, "{\"eventVersion\":\"1.11\"}");

        assertThat(ChainHash.link(first, "{\"eventName\":\"Describe\u20ac\"}"))
                .isEqualTo("f55ef6bc476f5e8f93e70b52912adc3ea5ed921b7555d138635c204cd978ecc1");
    }

    @Test
    void oneChangedCharacterChangesTheHash() {
        assertThat(ChainHash.link(ChainHash.GENESIS, "{\"readOnly\":true}"))
                .isNotEqualTo(ChainHash.link(ChainHash.GENESIS, "{\"readOnly\":false}"));
    }
}
