package dev.httpsd.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The send timeout measures time without progress (ESP's {@code send_wait_timeout}), not the time
 * a whole write takes: a client that reads slowly but steadily gets a response that takes many
 * timeouts to deliver, one that stops reading is closed about one timeout after it stopped.
 * Socket buffers are kept small on both ends, or the kernel would absorb the whole body.
 */
class SendProgressTest {

    /** The {@code send-and-certificates} table: cases run and passed per suite. */
    @RegisterExtension
    static final SuiteRecord RECORD = new SuiteRecord("send-and-certificates");

    /** {@code -Dhttpsd.long=true}: a body ten times larger, so about 80 s of slow reading. */
    private static final int BODY = (Boolean.getBoolean("httpsd.long") ? 1280 : 128) * 1024;

    /** Half what one 64 KiB piece per 2 s timeout needed, eight times what a 4 KiB piece needs. */
    private static final int READER_BYTES_PER_SECOND = 16 * 1024;

    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(2);

    /** What the stopping client reads first: two seconds of steady progress. */
    private static final int READ_BEFORE_STOPPING = 32 * 1024;

    @RegisterExtension
    final ServerFixture fixture = new ServerFixture();

    private final List<Throwable> failures = new CopyOnWriteArrayList<>();
    private final AtomicLong sendNanos = new AtomicLong();

    private HttpServer startSlowBodyServer(byte[] body) throws IOException {
        HttpServer server = fixture.start(b -> b.sendWaitTimeout(SEND_TIMEOUT)
                .openHook(TransportHook.of(
                        (session, setup) -> setup.socket().setSendBufferSize(SlowReader.SOCKET_BUFFER))));
        fixture.handle("/ping", HttpMethod.GET, (req, resp) -> resp.send("pong"));
        fixture.handle("/body", HttpMethod.GET, (req, resp) -> {
            long started = System.nanoTime();
            try {
                resp.contentType("application/octet-stream").send(body);
            } catch (IOException e) {
                failures.add(e);
                throw e;
            } finally {
                sendNanos.set(System.nanoTime() - started);
            }
        });
        return server;
    }

    @ParameterizedTest(name = "{0} ms -> {1} bytes")
    @CsvSource({"20000, 65536", "60000, 65536", "10000, 32768", "5000, 16384", "2500, 8192", "2000, 4096", "10, 4096"})
    void theProgressASendMustMakeShrinksWithTheTimeout(long timeoutMillis, int piece) {
        assertThat(Sender.sendPiece(Duration.ofMillis(timeoutMillis))).isEqualTo(piece);
    }

    @Test
    void aClientReadingSlowlyButSteadilyGetsTheWholeLargeResponse() throws Exception {
        byte[] body = SlowReader.body(BODY);
        HttpServer server = startSlowBodyServer(body);
        try (Socket socket = fixture.track(SlowReader.smallWindowSocket(server.port()))) {
            InputStream in = socket.getInputStream();
            socket.getOutputStream().write("GET /body HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));

            String head = SlowReader.readHead(in);
            byte[] received = SlowReader.readSlowly(in, BODY, READER_BYTES_PER_SECOND);

            assertThat(head).startsWith("HTTP/1.1 200 OK\r\n").contains("Content-Length: " + BODY + "\r\n");
            assertThat(received).isEqualTo(body);
            Await.until("the handler's send returned", () -> sendNanos.get() > 0);
            assertThat(failures).isEmpty();
            assertThat(Duration.ofNanos(sendNanos.get()))
                    .as("the send itself lasted several timeouts: the client, not the buffers, set the pace")
                    .isGreaterThan(SEND_TIMEOUT.multipliedBy(2));
            System.out.printf(
                    "RELIABILITY slow reader (plain): body=%d B read at %d B/s, send timeout %d ms,"
                            + " send lasted %d ms, received %d B intact, send failures=%d%n",
                    BODY,
                    READER_BYTES_PER_SECOND,
                    SEND_TIMEOUT.toMillis(),
                    TimeUnit.NANOSECONDS.toMillis(sendNanos.get()),
                    received.length,
                    failures.size());
            // the session is still usable
            socket.getOutputStream()
                    .write("GET /ping HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
            assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII))
                    .startsWith("HTTP/1.1 200 OK\r\n")
                    .endsWith("\r\n\r\npong");
        }
        SlowReader.record(
                "plain steady",
                "plain, reading steadily (`SendProgressTest`)",
                BODY,
                READER_BYTES_PER_SECOND,
                SEND_TIMEOUT,
                "received intact; the send lasted more than twice the send timeout; no send failed; the"
                        + " connection then served the next request");
    }

    @Test
    void aClientThatStopsReadingIsClosedAboutTheSendTimeoutAfterItStopped() throws Exception {
        HttpServer server = startSlowBodyServer(SlowReader.body(BODY));
        try (Socket socket = fixture.track(SlowReader.smallWindowSocket(server.port()))) {
            InputStream in = socket.getInputStream();
            socket.getOutputStream().write("GET /body HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            SlowReader.readHead(in);
            SlowReader.readSlowly(in, READ_BEFORE_STOPPING, READER_BYTES_PER_SECOND);
            long stopped = System.nanoTime();

            long closedAfter = SlowReader.awaitStuckSendClosed(failures, stopped, SEND_TIMEOUT, server);
            System.out.printf(
                    "RELIABILITY stopped reader (plain): read %d B at %d B/s then stopped; send failed %d ms"
                            + " later (send timeout %d ms): %s%n",
                    READ_BEFORE_STOPPING,
                    READER_BYTES_PER_SECOND,
                    TimeUnit.NANOSECONDS.toMillis(closedAfter),
                    SEND_TIMEOUT.toMillis(),
                    failures.get(0));
        }
        SlowReader.record(
                "plain stopped",
                "plain, stopping after " + number(READ_BEFORE_STOPPING) + " B (`SendProgressTest`)",
                BODY,
                READER_BYTES_PER_SECOND,
                SEND_TIMEOUT,
                "the handler's send failed with `send made no progress for " + SEND_TIMEOUT.toMillis()
                        + " ms` between " + SEND_TIMEOUT.dividedBy(2).toMillis() + " ms and "
                        + SEND_TIMEOUT.plus(Await.DEADLINE).toSeconds() + " s after the client stopped; the"
                        + " session closed");
    }

    private static String number(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }
}
