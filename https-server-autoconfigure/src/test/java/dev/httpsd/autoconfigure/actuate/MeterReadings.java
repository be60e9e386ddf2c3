package dev.httpsd.autoconfigure.actuate;

import io.micrometer.core.instrument.Statistic;
import java.util.List;
import org.springframework.boot.micrometer.metrics.actuate.endpoint.MetricsEndpoint;
import org.springframework.boot.micrometer.metrics.actuate.endpoint.MetricsEndpoint.MetricDescriptor;

/**
 * Reads meters the way {@code /actuator/metrics/{name}?tag=...} does, through the {@link
 * MetricsEndpoint}: it walks every registry behind the composite, so a meter left behind in any
 * of them shows.
 */
final class MeterReadings {

    private MeterReadings() {}

    /** The statistic of the meters named {@code name} with these {@code key:value} tags, or null when none exists. */
    static Double read(MetricsEndpoint endpoint, String name, Statistic statistic, String... tags) {
        MetricDescriptor metric = endpoint.metric(name, List.of(tags));
        if (metric == null) {
            return null;
        }
        return metric.getMeasurements().stream()
                .filter(sample -> sample.getStatistic() == statistic)
                .map(MetricsEndpoint.Sample::getValue)
                .findFirst()
                .orElse(null);
    }

    static boolean exists(MetricsEndpoint endpoint, String name, String... tags) {
        return endpoint.metric(name, List.of(tags)) != null;
    }
}
