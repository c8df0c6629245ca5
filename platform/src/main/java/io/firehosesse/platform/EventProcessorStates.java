package io.firehosesse.platform;

import java.util.Comparator;
import java.util.List;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.springframework.stereotype.Component;

/**
 * How this instance's event processors are doing, for the health endpoint: each one running or not, failing or not
 * (a tracking processor whose batch failed retries it with a growing pause and reports an error meanwhile), and for a
 * tracking one the segments this instance holds and how many of them are failing.
 */
@Component
public class EventProcessorStates {

    private final EventProcessingConfiguration processing;

    EventProcessorStates(EventProcessingConfiguration processing) {
        this.processing = processing;
    }

    /**
     * @param tracking        a tracking processor (its own threads, after the commit), not a subscribing one
     * @param segmentsClaimed segments of a tracking processor this instance holds (the others may be elsewhere)
     * @param segmentsFailing segments of those whose last batch failed
     */
    public record State(String name, boolean tracking, boolean running, boolean error, int segmentsClaimed,
                        int segmentsFailing) {
    }

    public List<State> states() {
        return processing.eventProcessors().values().stream().map(processor -> {
            int claimed = 0;
            int failing = 0;
            boolean tracking = processor instanceof StreamingEventProcessor;
            if (processor instanceof StreamingEventProcessor streaming) {
                for (EventTrackerStatus status : streaming.processingStatus().values()) {
                    claimed++;
                    if (status.isErrorState()) {
                        failing++;
                    }
                }
            }
            return new State(processor.getName(), tracking, processor.isRunning(), processor.isError(), claimed, failing);
        }).sorted(Comparator.comparing(State::name)).toList();
    }
}
