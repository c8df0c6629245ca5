package io.firehosesse.readmodel.api;

import io.firehosesse.platform.StoredEvents;
import io.firehosesse.platform.StoredEvents.SegmentPosition;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/admin/processors}: where each segment of each asynchronous (tracking) event processor stands, which
 * instance holds its claim, and how far behind the event store it is, in events and in time. The subscribing
 * projections (the Describe view and the others) are written with the events themselves and are never behind.
 */
@RestController
@RequestMapping("/api/admin/processors")
class ProcessorQueries {

    private final StoredEvents events;
    private final Clock clock;

    ProcessorQueries(StoredEvents events, Clock clock) {
        this.events = events;
        this.clock = clock;
    }

    /**
     * @param position     the global index of the last event the segment handled (-1: none yet)
     * @param behindEvents events stored after it (all segments' events: a segment skips those of other segments)
     * @param behindMillis how long the oldest of those has been waiting; 0 when none is
     */
    record SegmentStatus(String processor, int segment, String owner, Instant claimedAt, long position, long behindEvents,
                         long behindMillis) {
    }

    record Processors(long head, List<SegmentStatus> segments) {
    }

    @GetMapping
    Processors processors() {
        long head = events.head();
        Instant now = clock.instant();
        List<SegmentStatus> segments = events.segments().stream().map(segment -> status(segment, head, now)).toList();
        return new Processors(head, segments);
    }

    private SegmentStatus status(SegmentPosition segment, long head, Instant now) {
        long position = segment.position();
        long behindMillis = position >= head ? 0 : events.firstStoredAfter(position)
                .map(stored -> Math.max(0, Duration.between(stored, now).toMillis())).orElse(0L);
        return new SegmentStatus(segment.processor(), segment.segment(), segment.owner(), segment.claimedAt(), position,
                Math.max(0, head - position), behindMillis);
    }
}
