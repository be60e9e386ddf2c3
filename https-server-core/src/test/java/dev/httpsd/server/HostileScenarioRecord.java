package dev.httpsd.server;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The {@code hostile-clients} table of the {@link ReliabilityRecord}: one row per slow or hostile
 * client scenario, written by the scenario's test once everything it asserts has passed. Each cell
 * is what the test configured or asserted (the number of clients it keeps attacking with, the
 * limit, the bounds it holds each end to), not a figure that differs from run to run.
 */
public final class HostileScenarioRecord {

    private static final String TABLE = "hostile-clients";
    private static final List<String> HEADER = List.of(
            "scenario (class)",
            "hostile clients at a time",
            "limit that ended them",
            "each ended (asserted)",
            "served meanwhile",
            "afterwards");

    private HostileScenarioRecord() {}

    /**
     * Writes the row {@code key} (rows are shown in key order).
     *
     * @param ended what the test asserts of each client's end, e.g. {@link #between}
     */
    public static void row(
            String key, String scenario, int clients, String limit, String ended, String served, String afterwards) {
        ReliabilityRecord.row(
                TABLE,
                HEADER,
                key,
                List.of(scenario, String.format(Locale.ROOT, "%,d", clients), limit, ended, served, afterwards));
    }

    /** "after 600 ms to 10.6 s": the test's two-sided bound on an end. */
    public static String between(Duration limit, Duration generous) {
        return "after " + (limit.toMillis() < 1000 ? millis(limit) : seconds(limit)) + " to "
                + seconds(limit.plus(generous));
    }

    /** A duration as the configuration says it, e.g. "600 ms". */
    public static String millis(Duration d) {
        return d.toMillis() + " ms";
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }
}
