package dev.httpsd.test;

import org.springframework.core.Ordered;
import org.springframework.test.context.TestContext;
import org.springframework.test.context.TestContextAnnotationUtils;
import org.springframework.test.context.TestExecutionListener;

/**
 * Clears a {@link RecordServerEvents} test's {@link ServerEventRecorder} before each test method,
 * so each method sees its own events. Registered in {@code META-INF/spring.factories}.
 */
final class ServerEventRecorderResetListener implements TestExecutionListener, Ordered {

    @Override
    public void beforeTestMethod(TestContext testContext) {
        if (TestContextAnnotationUtils.findMergedAnnotation(testContext.getTestClass(), RecordServerEvents.class)
                == null) {
            return;
        }
        testContext
                .getApplicationContext()
                .getBeanProvider(ServerEventRecorder.class)
                .ifAvailable(ServerEventRecorder::clear);
    }

    @Override
    public int getOrder() {
        // before the listeners that run test code around the method (transactions, events)
        return 1900;
    }
}
