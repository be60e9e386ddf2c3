package dev.httpsd.benchmarks;

import dev.httpsd.server.HttpMethod;
import dev.httpsd.server.http1.Exchange;
import dev.httpsd.server.http1.Exchanges;
import dev.httpsd.server.http1.HeaderBlock;
import dev.httpsd.server.http1.RequestBody;
import dev.httpsd.server.http1.RequestHead;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The response writer: status line, Content-Type/Content-Length/Date, extra headers and a small
 * body coalesced into one write, over a connection whose sends only count the bytes (so no socket
 * I/O is measured).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ResponseWriterBenchmark {

    private static final byte[] HELLO = "Hello World!".getBytes(StandardCharsets.US_ASCII);

    private DiscardingConnection connection;
    private Exchanges exchanges;
    private RequestHead head;

    @Setup(Level.Trial)
    public void setUp() {
        connection = new DiscardingConnection();
        HeaderBlock headers = new HeaderBlock();
        headers.add("Host", "localhost");
        head = new RequestHead(HttpMethod.GET, "/hello", "/hello", null, false, headers, 0, true, false, new byte[0]);
        exchanges = new Exchanges(connection);
    }

    @Benchmark
    public long smallResponse() throws IOException {
        exchange().response().contentType("text/plain").send(HELLO);
        return connection.written();
    }

    @Benchmark
    public long smallResponseWithHeaders() throws IOException {
        exchange()
                .response()
                .contentType("application/json")
                .header("Cache-Control", "no-store")
                .header("X-Request-Id", "7f3a9c1e")
                .send(HELLO);
        return connection.written();
    }

    private Exchange exchange() {
        return exchanges.next(head, RequestBody.Empty.INSTANCE);
    }
}
