package io.firehosesse.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Index rotation names the index as AWS's table does for "myindex" and an arrival at 2016-02-25T13:00:00Z. */
class OpenSearchIndexNameTest {

    static final Instant ARRIVAL = Instant.parse("2016-02-25T13:00:00Z");

    @Test
    void eachRotationPeriodAppendsItsPartOfTheUtcArrivalTime() {
        assertThat(OpenSearchDelivery.indexName("myindex", "NoRotation", ARRIVAL)).isEqualTo("myindex");
        assertThat(OpenSearchDelivery.indexName("myindex", "OneHour", ARRIVAL)).isEqualTo("myindex-2016-02-25-13");
        assertThat(OpenSearchDelivery.indexName("myindex", "OneDay", ARRIVAL)).isEqualTo("myindex-2016-02-25");
        assertThat(OpenSearchDelivery.indexName("myindex", "OneWeek", ARRIVAL)).isEqualTo("myindex-2016-w08");
        assertThat(OpenSearchDelivery.indexName("myindex", "OneMonth", ARRIVAL)).isEqualTo("myindex-2016-02");
    }

    @Test
    void weeksStartOnSunday() {
        assertThat(OpenSearchDelivery.indexName("i", "OneWeek", Instant.parse("2016-02-27T23:59:59Z"))).isEqualTo("i-2016-w08");
        assertThat(OpenSearchDelivery.indexName("i", "OneWeek", Instant.parse("2016-02-28T00:00:00Z"))).isEqualTo("i-2016-w09");
    }
}
