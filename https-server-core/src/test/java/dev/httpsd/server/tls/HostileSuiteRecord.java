package dev.httpsd.server.tls;

import dev.httpsd.server.ReliabilityRecord;
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
 * Records, per hostile TLS suite, how many cases ran, passed and were skipped (with the reasons)
 * and after how many the shared {@link AfterCaseCheck} passed, as the {@code tls-hostile-suites}
 * table of the {@link ReliabilityRecord}. Both engines' cases are counted.
 */
final class HostileSuiteRecord implements BeforeEachCallback, TestWatcher {

    private static final String TABLE = "tls-hostile-suites";
    private static final List<String> HEADER = List.of(
            "suite", "cases run (both engines)", "passed", "failed", "skipped, and why", "after-case check passed");

    private static final Map<String, Counts> SUITES = new ConcurrentHashMap<>();

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(HostileSuiteRecord.class);

    private static final class Counts {
        final AtomicInteger run = new AtomicInteger();
        final AtomicInteger passed = new AtomicInteger();
        final AtomicInteger failed = new AtomicInteger();
        final AtomicInteger checked = new AtomicInteger();
        final Set<String> skipReasons = Collections.synchronizedSet(new TreeSet<>());
        final AtomicInteger skipped = new AtomicInteger();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getStore(NAMESPACE).put("checks", AfterCaseCheck.passedChecks());
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
        Counts counts = SUITES.computeIfAbsent(suite, s -> new Counts());
        counts.run.incrementAndGet();
        outcome.apply(counts).incrementAndGet();
        if (reason != null) {
            counts.skipReasons.add(reason);
        }
        Long before = context.getStore(NAMESPACE).get("checks", Long.class);
        if (before != null && AfterCaseCheck.passedChecks() > before) {
            counts.checked.incrementAndGet();
        }
        String skipped = counts.skipped.get() == 0
                ? "0"
                : counts.skipped.get() + " (" + String.join("; ", counts.skipReasons) + ")";
        ReliabilityRecord.row(
                TABLE,
                HEADER,
                suite,
                List.of(
                        "`" + suite + "`",
                        number(counts.run.get()),
                        number(counts.passed.get()),
                        number(counts.failed.get()),
                        skipped,
                        number(counts.checked.get())));
    }

    private static String number(int n) {
        return String.format(Locale.ROOT, "%,d", n);
    }
}
