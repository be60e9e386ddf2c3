package dev.httpsd.server.tls;

import dev.httpsd.server.ReliabilityRecord;
import dev.httpsd.server.SuiteRecord;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Records, per hostile TLS suite, how many cases ran, passed and were skipped (with the reasons)
 * and after how many the shared {@link AfterCaseCheck} passed, as the {@code tls-hostile-suites}
 * table of the {@link ReliabilityRecord}. Both engines' cases are counted.
 */
final class HostileSuiteRecord extends SuiteRecord {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(HostileSuiteRecord.class);

    HostileSuiteRecord() {
        super("tls-hostile-suites", "cases run (both engines)", "after-case check passed");
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getStore(NAMESPACE).put("checks", AfterCaseCheck.passedChecks());
    }

    @Override
    protected boolean counted(ExtensionContext context) {
        Long before = context.getStore(NAMESPACE).get("checks", Long.class);
        return before != null && AfterCaseCheck.passedChecks() > before;
    }
}
