package io.firehosesse.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Prints a latency distribution the way every benchmark here reports it. */
final class Percentiles {

    private Percentiles() {
    }

    static void print(String what, List<Double> millis) {
        List<Double> sorted = new ArrayList<>(millis);
        Collections.sort(sorted);
        System.out.printf("%-50s n=%d p50=%.1f ms p90=%.1f ms p99=%.1f ms max=%.1f ms%n", what, sorted.size(),
                at(sorted, 0.50), at(sorted, 0.90), at(sorted, 0.99), sorted.get(sorted.size() - 1));
    }

    private static double at(List<Double> sorted, double quantile) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(quantile * sorted.size()) - 1));
    }
}
