package dev.httpsd.server.http2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.httpsd.server.ConnectionContext;
import dev.httpsd.server.Http2Statistics;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;

/** How {@link Http2Writer} groups frames into sends: fewer TLS records, nothing lost or reordered. */
class Http2WriterBatchingTest {

    /** The sends a connection received, one entry per call, and its write lock. */
    private final List<byte[]> sends = Collections.synchronizedList(new ArrayList<>());

    private final ReentrantLock writeLock = new ReentrantLock();

    private final Http2Writer writer = new Http2Writer(connection());

    private ConnectionContext connection() {
        return (ConnectionContext) Proxy.newProxyInstance(
                ConnectionContext.class.getClassLoader(), new Class<?>[] {ConnectionContext.class}, (p, m, args) -> {
                    switch (m.getName()) {
                        case "send" -> {
                            byte[] b = (byte[]) args[0];
                            int offset = (int) args[1];
                            int length = (int) args[2];
                            sends.add(Arrays.copyOfRange(b, offset, offset + length));
                            return null;
                        }
                        case "writeLock" -> {
                            return writeLock;
                        }
                        case "http2Statistics" -> {
                            return new Http2Statistics();
                        }
                        case "toString" -> {
                            return "test connection";
                        }
                        default -> throw new UnsupportedOperationException(m.getName());
                    }
                });
    }

    private List<String> framesSent() throws Exception {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        OutputBuffer settings = new OutputBuffer(16);
        FrameWriter.settings(settings, List.of()); // the reader wants a connection's first frame
        all.write(settings.toByteArray());
        synchronized (sends) {
            for (byte[] send : sends) {
                all.write(send);
            }
        }
        List<String> frames = Frames.readAll(all.toByteArray());
        return frames.subList(1, frames.size());
    }

    @Test
    void aSmallResponsesHeadersAndDataReachTheTransportInOneSend() throws Exception {
        byte[] body = "hello".getBytes(StandardCharsets.US_ASCII);
        Thread stream = Thread.ofVirtual().start(() -> {
            try {
                writer.headersAndData(1, 200, List.of(new HeaderField("content-type", "text/plain")), body, 0, 5);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        stream.join();

        assertThat(sends).hasSize(1);
        List<String> frames = framesSent();
        assertThat(frames).hasSize(2);
        assertThat(frames.get(0)).startsWith("HEADERS 1 ");
        assertThat(frames.get(1)).isEqualTo("DATA 1 end hello (5)");
    }

    @Test
    void framesOfStreamsWaitingForTheWriterGoOutInFewerSendsAndNoneIsLost() throws Exception {
        int streams = 20;
        List<Thread> threads = new ArrayList<>();
        writeLock.lock(); // every stream queues on the writer, as under load
        try {
            for (int i = 0; i < streams; i++) {
                int id = 2 * i + 1;
                byte[] body = ("body-" + id).getBytes(StandardCharsets.US_ASCII);
                threads.add(Thread.ofVirtual().start(() -> {
                    try {
                        writer.data(id, body, 0, body.length, true);
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                }));
            }
            for (Thread thread : threads) {
                while (!writeLock.hasQueuedThread(thread) && thread.isAlive()) {
                    Thread.onSpinWait();
                }
            }
        } finally {
            writeLock.unlock();
        }
        for (Thread thread : threads) {
            thread.join();
        }

        List<String> frames = framesSent();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < streams; i++) {
            int id = 2 * i + 1;
            expected.add("DATA " + id + " end body-" + id + " (" + ("body-" + id).length() + ")");
        }
        assertThat(frames).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(sends).hasSizeLessThan(streams);
    }
}
