package dev.httpsd.server;

import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Counts, per test class, the cases that ran, passed, failed and were skipped (with the reasons),
 * and writes them as one row per class of a {@link ReliabilityRecord} table. A suite registers it
 * as {@code @RegisterExtension static final SuiteRecord RECORD = new SuiteRecord("<table>");}; every
 * suite of one table shares the table's counts.
 */
public final class SuiteRecord implements TestWatcher {

    private static final List<String> HEADER = List.of("suite", "cases run", "passed", "failed", "skipped, and why");

    private static final Map<String, Counts> SUITES = new ConcurrentHashMap<>();

    private static final class Counts {
        final AtomicInteger run = new AtomicInteger();
        final AtomicInteger passed = new AtomicInteger();
        final AtomicInteger failed = new AtomicInteger();
        final AtomicInteger skipped = new AtomicInteger();
        final Set<String> skipReasons = Collections.synchronizedSet(new TreeSet<>());
    }

    private final String table;

    /** Records into {@code table}. */
    public SuiteRecord(String table) {
        this.table = table;
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
        String skipped = counts.skipped.get() == 0
                ? "0"
                : counts.skipped.get() + " (" + String.join("; ", counts.skipReasons) + ")";
        ReliabilityRecord.row(
                table,
                HEADER,
                suite,
                List.of(
                        "`" + suite + "`",
                        number(counts.run.get()),
                        number(counts.passed.get()),
                        number(counts.failed.get()),
                        skipped));
    }

    private static String number(int n) {
        return String.format(Locale.ROOT, "%,d", n);
    }
}
