package dev.httpsd.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A client that reads a response slowly but steadily, through a small receive window, so that a
 * large body waits in the server rather than in socket buffers. Shared by the plain and TLS send
 * progress tests.
 */
public final class SlowReader {

    /**
     * The client's receive and the server's send buffer. Linux reopens a closed receive window in
     * steps of about the buffer, so the sender progresses in bursts one buffer apart: 16 KiB
     * buffers made gaps of nearly 2 s at 16 KiB/s, 4 KiB ones gaps of at most about 0.5 s.
     */
    public static final int SOCKET_BUFFER = 4 * 1024;

    private SlowReader() {}

    /**
     * Waits for the server's send to a reader that stopped reading at {@code stoppedNanos} to fail
     * with the stuck-send timeout, checks that it failed about that long after the stop, and waits
     * for the session to close. The last piece may have started a little before the client
     * stopped: half the timeout is far below that, and the upper bound only a safety net for a
     * busy machine.
     *
     * @return nanoseconds from the stop to the failure
     */
    public static long awaitStuckSendClosed(
            List<Throwable> failures, long stoppedNanos, Duration sendTimeout, HttpServer server) {
        Await.until("the send fails", () -> !failures.isEmpty());
        long closedAfter = System.nanoTime() - stoppedNanos;
        assertThat(failures)
                .singleElement()
                .isInstanceOfSatisfying(
                        SocketTimeoutException.class,
                        e -> assertThat(e.getMessage())
                                .isEqualTo("send made no progress for " + sendTimeout.toMillis() + " ms"));
        assertThat(Duration.ofNanos(closedAfter))
                .isGreaterThan(sendTimeout.dividedBy(2))
                .isLessThan(sendTimeout.plus(Await.DEADLINE));
        Await.until("the session is closed", () -> server.openSessions() == 0);
        return closedAfter;
    }

    /** A body whose every byte says where it belongs, so a lost or repeated piece shows. */
    public static byte[] body(int length) {
        byte[] body = new byte[length];
        for (int i = 0; i < length; i++) {
            body[i] = (byte) (i * 31 + (i >>> 12));
        }
        return body;
    }

    /** A loopback socket whose receive buffer is set before connecting, so the window stays small. */
    public static Socket smallWindowSocket(int port) throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(SOCKET_BUFFER);
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 10_000);
        socket.setSoTimeout(30_000);
        return socket;
    }

    /** Reads a response head byte by byte, leaving the body unread in the stream. */
    public static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                throw new EOFException("closed inside the response head: " + head);
            }
            head.append((char) c);
        }
        return head.toString();
    }

    /**
     * Reads {@code length} body bytes at most {@code bytesPerSecond}, in reads of at most 4 KiB:
     * the pause between reads is the slowness under test, not a wait for something.
     */
    public static byte[] readSlowly(InputStream in, int length, int bytesPerSecond) throws IOException {
        byte[] received = new byte[length];
        long start = System.nanoTime();
        int done = 0;
        while (done < length) {
            int n = in.read(received, done, Math.min(4096, length - done));
            if (n < 0) {
                throw new EOFException("closed after " + done + " of " + length + " body bytes");
            }
            done += n;
            long due = start + TimeUnit.SECONDS.toNanos(done) / bytesPerSecond;
            for (long left; (left = due - System.nanoTime()) > 0; ) {
                LockSupport.parkNanos(left);
            }
        }
        return received;
    }

    /**
     * A row of the {@code send-progress} table ({@code send-progress.long} in a long run), written
     * by the plain and the TLS send progress tests once a case's checks have passed.
     */
    public static void record(
            String key, String reader, int body, int bytesPerSecond, Duration sendTimeout, String asserted) {
        ReliabilityRecord.row(
                Boolean.getBoolean("httpsd.long") ? "send-progress.long" : "send-progress",
                List.of("reader", "response body", "reading", "send timeout", "asserted"),
                key,
                List.of(
                        reader,
                        String.format(Locale.ROOT, "%,d B", body),
                        String.format(
                                Locale.ROOT, "%,d B/s through %,d B socket buffers", bytesPerSecond, SOCKET_BUFFER),
                        sendTimeout.toMillis() + " ms",
                        asserted));
    }
}
