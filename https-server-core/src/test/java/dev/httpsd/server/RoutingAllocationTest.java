package dev.httpsd.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * Routing a request to a handler with an exact URI allocates nothing per request, on a server
 * that matches templates too. Counted with the JVM's per-thread allocation counter, not timed.
 */
class RoutingAllocationTest {

    private static final int ROUTES = 10_000;

    private final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    @Test
    void routingToAnExactUriAllocatesNothingBesideTemplates() {
        UriRouter router = new UriRouter(64, UriMatcher.template());
        RequestHandler handler = (request, response) -> {};
        for (int i = 0; i < 10; i++) {
            router.register(UriHandler.of("/api/exact/" + i, HttpMethod.GET, handler));
        }
        router.register(UriHandler.of("/api/items/{id}", HttpMethod.GET, handler));
        router.register(UriHandler.of("/api/files/{*path}", HttpMethod.GET, handler));
        router.register(UriHandler.of("/api/last", HttpMethod.POST, handler));

        // warm up: class loading and first-call work allocate, a steady state does not
        route(router, "/api/last", HttpMethod.POST, ROUTES);
        route(router, "/api/items/42", HttpMethod.GET, ROUTES);

        long exact = allocatedBy(() -> route(router, "/api/last", HttpMethod.POST, ROUTES));
        long templateMatch = allocatedBy(() -> route(router, "/api/items/42", HttpMethod.GET, ROUTES));

        // less than one byte per routing: the smallest object a routing could allocate is 16 bytes,
        // so any allocation per request shows as 160,000 bytes or more; a one-off allocation of the
        // JVM's on this thread during the loop (a deoptimization, seen as 176 bytes on a busy machine)
        // is not the router's
        assertThat(exact)
                .as("bytes allocated by %d routings to an exact URI", ROUTES)
                .isLessThan(ROUTES);
        assertThat(templateMatch)
                .as("bytes allocated by %d routings to a template (capture not included)", ROUTES)
                .isLessThan(ROUTES);
        assertThat(router.route("/api/items/42", HttpMethod.GET))
                .isInstanceOfSatisfying(
                        UriRouter.Found.class,
                        found -> assertThat(found.template()
                                        .capture("/api/items/42")
                                        .get("id"))
                                .hasValue("42"));
    }

    private static void route(UriRouter router, String path, HttpMethod method, int times) {
        for (int i = 0; i < times; i++) {
            if (!(router.route(path, method) instanceof UriRouter.Found)) {
                throw new AssertionError("not routed: " + path);
            }
        }
    }

    private long allocatedBy(Runnable work) {
        long thread = Thread.currentThread().threadId();
        // the counter's own call allocates nothing, but measure it to be sure
        long before = threads.getThreadAllocatedBytes(thread);
        long calibration = threads.getThreadAllocatedBytes(thread) - before;
        long start = threads.getThreadAllocatedBytes(thread);
        work.run();
        return threads.getThreadAllocatedBytes(thread) - start - calibration;
    }
}
