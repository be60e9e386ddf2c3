package dev.httpsd.benchmarks;

import dev.httpsd.server.InputBuffer;
import dev.httpsd.server.http1.RequestHead;
import dev.httpsd.server.http1.RequestHeadParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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

/** The HTTP/1.1 request-head parser and header lookup on in-memory bytes (no socket). */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RequestParserBenchmark {

    static final String WRK = "GET /hello HTTP/1.1\r\nHost: 127.0.0.1:8443\r\n\r\n";

    static final String BROWSER = "GET /search?q=esp32+https&page=2 HTTP/1.1\r\n"
            + "Host: www.example.com\r\n"
            + "User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:131.0) Gecko/20100101 Firefox/131.0\r\n"
            + "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\n"
            + "Accept-Language: en-US,en;q=0.5\r\n"
            + "Accept-Encoding: gzip, deflate, br, zstd\r\n"
            + "Connection: keep-alive\r\n"
            + "Cookie: session=7f3a9c1e5b2d4f60; theme=dark\r\n"
            + "Upgrade-Insecure-Requests: 1\r\n"
            + "Sec-Fetch-Dest: document\r\n"
            + "Sec-Fetch-Mode: navigate\r\n"
            + "\r\n";

    @Param({"wrk", "browser"})
    String request;

    private byte[] bytes;
    private int offset;
    private final RequestHeadParser parser = new RequestHeadParser(8192, 8192, 100, Long.MAX_VALUE);
    private RequestHead parsed;

    @Setup
    public void setUp() throws IOException {
        bytes = (request.equals("wrk") ? WRK : BROWSER).getBytes(StandardCharsets.ISO_8859_1);
        parsed = parse();
    }

    /** Reads the request bytes once, as a socket delivering the whole head in one read. */
    private int read(byte[] buffer, int off, int length, int timeoutMillis) {
        if (offset == bytes.length) {
            return -1;
        }
        int n = Math.min(length, bytes.length - offset);
        System.arraycopy(bytes, offset, buffer, off, n);
        offset += n;
        return n;
    }

    @Benchmark
    public RequestHead parse() throws IOException {
        offset = 0;
        return parser.parse(new InputBuffer(this::read, 512));
    }

    @Benchmark
    public String headerLookup() {
        return parsed.headers().first("accept-encoding");
    }
}
