package io.firehosesse.readmodel.replay;

import java.util.Map;

/**
 * Where a projection writes: its live tables, or during a replay the tables being rebuilt aside. SQL
 * names its tables through this, so one piece of projection code serves both.
 */
public record Tables(Map<String, String> names) {

    public static final Tables LIVE = new Tables(Map.of());

    public String of(String liveTable) {
        return names.getOrDefault(liveTable, liveTable);
    }

    static String asideOf(String liveTable) {
        return liveTable + "_rebuild";
    }
}
