package io.firehosesse.system;

import io.firehosesse.platform.EventProcessorStates;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.stereotype.Component;

/**
 * {@code eventProcessors} in the health endpoint (and the readiness group): DOWN when a processor of this instance has
 * stopped or is failing (a subscribing one fails its calls; a tracking one retries a failed batch and falls behind).
 * A tracking processor whose segments are all held by other instances is still UP: the work is being done there.
 */
@Component
class EventProcessorsHealthIndicator extends AbstractHealthIndicator {

    private final EventProcessorStates processors;

    EventProcessorsHealthIndicator(EventProcessorStates processors) {
        this.processors = processors;
    }

    @Override
    protected void doHealthCheck(Health.Builder health) {
        boolean up = true;
        Map<String, Object> details = new LinkedHashMap<>();
        for (EventProcessorStates.State state : processors.states()) {
            up &= state.running() && !state.error();
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("type", state.tracking() ? "tracking" : "subscribing");
            detail.put("running", state.running());
            detail.put("error", state.error());
            if (state.tracking()) {
                detail.put("segmentsClaimed", state.segmentsClaimed());
                detail.put("segmentsFailing", state.segmentsFailing());
            }
            details.put(state.name(), detail);
        }
        health.status(up ? "UP" : "DOWN").withDetails(details);
    }
}
