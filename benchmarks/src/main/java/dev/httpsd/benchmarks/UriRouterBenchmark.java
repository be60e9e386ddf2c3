package dev.httpsd.benchmarks;

import dev.httpsd.server.HttpMethod;
import dev.httpsd.server.RequestHandler;
import dev.httpsd.server.UriHandler;
import dev.httpsd.server.UriMatcher;
import dev.httpsd.server.UriRouter;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Routing a request path among twenty handlers, exact URIs first then templates as the starter
 * registers them: to an exact URI, to a template, and to a template with its values captured. Run
 * with {@code -prof gc}: routing alone allocates nothing ({@code gc.alloc.rate.norm} 0 B/op);
 * capturing allocates the values.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class UriRouterBenchmark {

    @Param({"exact", "template", "template+capture"})
    String route;

    private final UriRouter router = new UriRouter(64, UriMatcher.template());
    private String path;

    @Setup
    public void setUp() {
        RequestHandler handler = (request, response) -> {};
        for (int i = 0; i < 16; i++) {
            router.register(UriHandler.of("/api/resource" + i, HttpMethod.GET, handler));
        }
        router.register(UriHandler.of("/api/greetings/{name}", HttpMethod.GET, handler));
        router.register(UriHandler.of("/api/users/{id}/orders/{order}", HttpMethod.GET, handler));
        router.register(UriHandler.of("/files/{*path}", HttpMethod.GET, handler));
        router.register(UriHandler.of("/api/last", HttpMethod.GET, handler));
        path = route.equals("exact") ? "/api/resource15" : "/api/greetings/bench";
    }

    @Benchmark
    public Object route() {
        UriRouter.Route found = router.route(path, HttpMethod.GET);
        if (route.equals("template+capture") && found instanceof UriRouter.Found hit) {
            return hit.capture(path);
        }
        return found;
    }
}
