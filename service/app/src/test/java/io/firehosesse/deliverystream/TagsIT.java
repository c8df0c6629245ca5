package io.firehosesse.deliverystream;

import static io.firehosesse.support.Streams.createActive;
import static io.firehosesse.support.Streams.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.firehosesse.support.AwsClientsIT;
import java.util.ArrayList;
import java.util.List;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import software.amazon.awssdk.services.firehose.model.FirehoseException;
import software.amazon.awssdk.services.firehose.model.LimitExceededException;
import software.amazon.awssdk.services.firehose.model.ListTagsForDeliveryStreamResponse;
import software.amazon.awssdk.services.firehose.model.ResourceNotFoundException;
import software.amazon.awssdk.services.firehose.model.Tag;

class TagsIT extends AwsClientsIT {

    @Autowired
    StreamNameRegistry names;

    @Autowired
    EventStore eventStore;

    @Test
    void tagsGivenAtCreationAreListedAndCanBeChangedAndRemoved() {
        String name = uniqueName("tagged");
        firehose.createDeliveryStream(r -> r.deliveryStreamName(name)
                .extendedS3DestinationConfiguration(io.firehosesse.support.Streams.s3("b"))
                .tags(tag("team", "data"), tag("env", "dev")));

        firehose.tagDeliveryStream(r -> r.deliveryStreamName(name).tags(tag("env", "prod"), tag("cost-center", "42")));
        firehose.untagDeliveryStream(r -> r.deliveryStreamName(name).tagKeys("team", "not-there"));

        assertThat(firehose.listTagsForDeliveryStream(r -> r.deliveryStreamName(name)).tags())
                .containsExactly(tag("cost-center", "42"), tag("env", "prod"));
    }

    @Test
    void tagsArePagedInKeyOrder() {
        String name = uniqueName("paged-tags");
        createActive(firehose, name);
        firehose.tagDeliveryStream(r -> r.deliveryStreamName(name).tags(tag("a", "1"), tag("b", "2"), tag("c", "3")));

        ListTagsForDeliveryStreamResponse first = firehose.listTagsForDeliveryStream(r -> r.deliveryStreamName(name).limit(2));
        ListTagsForDeliveryStreamResponse rest = firehose.listTagsForDeliveryStream(r -> r.deliveryStreamName(name)
                .exclusiveStartTagKey("b"));

        assertThat(first.tags()).containsExactly(tag("a", "1"), tag("b", "2"));
        assertThat(first.hasMoreTags()).isTrue();
        assertThat(rest.tags()).containsExactly(tag("c", "3"));
        assertThat(rest.hasMoreTags()).isFalse();
    }

    @Test
    void aStreamHoldsAtMostFiftyTags() {
        String name = uniqueName("many-tags");
        createActive(firehose, name);
        List<Tag> fifty = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            fifty.add(tag("key-" + i, "v"));
        }
        firehose.tagDeliveryStream(r -> r.deliveryStreamName(name).tags(fifty));

        assertThatThrownBy(() -> firehose.tagDeliveryStream(r -> r.deliveryStreamName(name).tags(tag("one-more", "v"))))
                .isInstanceOf(LimitExceededException.class);
        assertThat(firehose.listTagsForDeliveryStream(r -> r.deliveryStreamName(name)).tags()).hasSize(50);
    }

    @Test
    void tagKeysAndValuesFollowTheModel() {
        String name = uniqueName("bad-tags");
        createActive(firehose, name);

        assertThatThrownBy(() -> firehose.tagDeliveryStream(r -> r.deliveryStreamName(name).tags(tag("aws:reserved", "v"))))
                .isInstanceOfSatisfying(FirehoseException.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
                    assertThat(e.awsErrorDetails().errorMessage()).contains("at 'tags.1.member.key' failed to satisfy constraint");
                });
        assertThatThrownBy(() -> firehose.listTagsForDeliveryStream(r -> r.deliveryStreamName("missing-" + name)))
                .isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void aLongHistoryIsSnapshottedAndLoadsFromTheSnapshot() {
        String name = uniqueName("snapshotted");
        createActive(firehose, name);
        for (int i = 0; i < 7; i++) {
            int n = i;
            firehose.tagDeliveryStream(r -> r.deliveryStreamName(name).tags(tag("round", Integer.toString(n))));
        }
        String streamId = names.streamIdOf(new io.firehosesse.api.deliverystream.StreamKey("123456789012", "us-east-1", name))
                .orElseThrow();

        DomainEventStream history = eventStore.readEvents(streamId);
        Object first = history.next().getPayload();

        assertThat(first).isInstanceOf(DeliveryStream.class);
        assertThat(first).extracting("tags").asString().contains("round");
        firehose.tagDeliveryStream(r -> r.deliveryStreamName(name).tags(tag("after", "snapshot")));
        assertThat(firehose.listTagsForDeliveryStream(r -> r.deliveryStreamName(name)).tags()).contains(tag("after", "snapshot"));
    }

    private static Tag tag(String key, String value) {
        return Tag.builder().key(key).value(value).build();
    }
}
