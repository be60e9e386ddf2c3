package dev.httpsd.server;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Counts, per test class, the cases that ran, passed, failed and were skipped (with the reasons),
 * and writes them as one row per class of a {@link ReliabilityRecord} table. A suite registers it
 * as {@code @RegisterExtension static final SuiteRecord RECORD = new SuiteRecord("<table>");}; every
 * suite of one table shares the table's counts. A subclass may add one column, the cases its
 * {@link #counted} says yes for.
 */
public class SuiteRecord implements BeforeEachCallback, TestWatcher {

    private static final Map<String, Counts> SUITES = new ConcurrentHashMap<>();

    private static final class Counts {
        final AtomicInteger run = new AtomicInteger();
        final AtomicInteger passed = new AtomicInteger();
        final AtomicInteger failed = new AtomicInteger();
        final AtomicInteger skipped = new AtomicInteger();
        final AtomicInteger counted = new AtomicInteger();
        final Set<String> skipReasons = Collections.synchronizedSet(new TreeSet<>());
    }

    private final String table;
    private final List<String> header;

    /** Records into {@code table}. */
    public SuiteRecord(String table) {
        this(table, "cases run", null);
    }

    /**
     * Records into {@code table}, its cases-run column headed {@code runHeader}, with one more column
     * headed {@code countedHeader} (none when null).
     */
    protected SuiteRecord(String table, String runHeader, String countedHeader) {
        this.table = table;
        List<String> columns = new ArrayList<>(List.of("suite", runHeader, "passed", "failed", "skipped, and why"));
        if (countedHeader != null) {
            columns.add(countedHeader);
        }
        this.header = List.copyOf(columns);
    }

    @Override
    public void beforeEach(ExtensionContext context) {}

    /** Whether the finished case counts in the extra column; only asked when there is one. */
    protected boolean counted(ExtensionContext context) {
        return false;
    }

    @Override
    public void testSuccessful(ExtensionContext context) {
        record(context, c -> c.passed, null);
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        record(context, c -> c.failed, null);
    }

    @Override
    public void testAborted(ExtensionContext context, Throwable cause) {
        String reason = cause == null || cause.getMessage() == null
                ? "no reason given"
                : cause.getMessage().replaceFirst("^Assumption failed: ", "");
        record(context, c -> c.skipped, reason);
    }

    private void record(ExtensionContext context, Function<Counts, AtomicInteger> outcome, String reason) {
        String suite = context.getRequiredTestClass().getSimpleName();
        Counts counts = SUITES.computeIfAbsent(table + "/" + suite, s -> new Counts());
        counts.run.incrementAndGet();
        outcome.apply(counts).incrementAndGet();
        if (reason != null) {
            counts.skipReasons.add(reason);
        }
        boolean extraColumn = header.size() > 5;
        if (extraColumn && counted(context)) {
            counts.counted.incrementAndGet();
        }
        String skipped = counts.skipped.get() == 0
                ? "0"
                : counts.skipped.get() + " (" + String.join("; ", counts.skipReasons) + ")";
        List<String> cells = new ArrayList<>(List.of(
                "`" + suite + "`",
                number(counts.run.get()),
                number(counts.passed.get()),
                number(counts.failed.get()),
                skipped));
        if (extraColumn) {
            cells.add(number(counts.counted.get()));
        }
        ReliabilityRecord.row(table, header, suite, cells);
    }

    private static String number(int n) {
        return String.format(Locale.ROOT, "%,d", n);
    }
}
