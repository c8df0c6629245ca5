package io.firehosesse.system;

import io.firehosesse.platform.InProgressLimit;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * The bounds on work in progress as gauges, tagged by what they bound ({@code commands}: the control plane's changes,
 * {@code puts}: the data plane's): calls holding a permit, calls waiting for one, and the bound itself. A busy service
 * shows here first, before its callers see ServiceUnavailableException.
 */
@Component
class LimitMeters implements MeterBinder {

    private final List<InProgressLimit> limits;

    LimitMeters(List<InProgressLimit> limits) {
        this.limits = limits;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (InProgressLimit limit : limits) {
            Gauge.builder("firehose.limit.in-progress", limit, InProgressLimit::inProgress).tag("limit", limit.name())
                    .description("Calls in progress under the bound").register(registry);
            Gauge.builder("firehose.limit.waiting", limit, InProgressLimit::waiting).tag("limit", limit.name())
                    .description("Calls waiting for the bound").register(registry);
            Gauge.builder("firehose.limit.max", limit, InProgressLimit::limit).tag("limit", limit.name())
                    .description("The bound: calls in progress at most").register(registry);
        }
    }
}
