package dev.httpsd.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sendFile} on a plain session: the file goes to the socket's own channel with {@code
 * transferTo} (the kernel's sendfile), and the send timeout still measures progress, as it does
 * for {@code send} ({@link SendProgressTest}): a slow but steady reader gets the whole file, one
 * that stops reading is closed about one timeout after it stopped.
 */
class PlainSendFileTest {

    /** Larger than the socket buffers on loopback, and not a multiple of any piece size. */
    private static final int LARGE = 8 * 1024 * 1024 + 12_345;

    /** As in {@link SendProgressTest}: several send timeouts to deliver through small buffers. */
    private static final int SLOW_BODY = 128 * 1024;

    private static final int READER_BYTES_PER_SECOND = 16 * 1024;
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(2);
    private static final int READ_BEFORE_STOPPING = 32 * 1024;

    @RegisterExtension
    final ServerFixture fixture = new ServerFixture();

    @TempDir
    Path dir;

    private final List<Throwable> failures = new CopyOnWriteArrayList<>();
    private final AtomicLong sendNanos = new AtomicLong();

    @Test
    void theFileGoesToTheSocketsOwnChannelByTransferToAndArrivesWhole() throws Exception {
        byte[] content = new byte[LARGE];
        new Random(5).nextBytes(content);
        Path file = Files.write(dir.resolve("large.bin"), content);
        AtomicReference<TransferRecordingFileChannel> recorded = new AtomicReference<>();
        HttpServer server = fixture.start();
        fixture.handle("/file", HttpMethod.GET, (request, response) -> {
            try (var channel = new TransferRecordingFileChannel(FileChannel.open(file))) {
                response.contentType("application/octet-stream").sendFile(channel, 0, LARGE);
                recorded.set(channel); // once sendFile returned: the client may read the end first
            }
        });

        HttpResponse<byte[]> response;
        try (HttpClient client =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            response = client.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/file"))
                            .timeout(Duration.ofSeconds(60))
                            .build(),
                    BodyHandlers.ofByteArray());
        }

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(content);
        Await.until("the handler's sendFile returned", () -> recorded.get() != null);
        TransferRecordingFileChannel channel = recorded.get();
        assertThat(channel.targets())
                .as("every transferTo went to the socket's own channel, not to a channel over its stream")
                .isNotEmpty()
                .allMatch(target -> target instanceof SocketChannel);
        // a piece read into a buffer only waits for room when the socket's buffer is full
        assertThat(channel.transferred() + channel.read()).isEqualTo(LARGE);
        assertThat(channel.transferred()).as("sent by transferTo").isGreaterThan(LARGE / 2);
    }

    @Test
    void aClientReadingSlowlyButSteadilyGetsTheWholeFile() throws Exception {
        byte[] body = SlowReader.body(SLOW_BODY);
        HttpServer server = startSlowFileServer(Files.write(dir.resolve("slow.bin"), body));
        try (Socket socket = fixture.track(SlowReader.smallWindowSocket(server.port()))) {
            InputStream in = socket.getInputStream();
            socket.getOutputStream().write("GET /file HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));

            String head = SlowReader.readHead(in);
            byte[] received = SlowReader.readSlowly(in, SLOW_BODY, READER_BYTES_PER_SECOND);

            assertThat(head).startsWith("HTTP/1.1 200 OK\r\n").contains("Content-Length: " + SLOW_BODY + "\r\n");
            assertThat(received).isEqualTo(body);
            Await.until("the handler's sendFile returned", () -> sendNanos.get() > 0);
            assertThat(failures).isEmpty();
            assertThat(Duration.ofNanos(sendNanos.get()))
                    .as("the send itself lasted several timeouts: the client, not the buffers, set the pace")
                    .isGreaterThan(SEND_TIMEOUT.multipliedBy(2));
        }
    }

    @Test
    void aClientThatStopsReadingMidFileIsClosedAboutTheSendTimeoutAfterItStopped() throws Exception {
        HttpServer server = startSlowFileServer(Files.write(dir.resolve("slow.bin"), SlowReader.body(SLOW_BODY)));
        try (Socket socket = fixture.track(SlowReader.smallWindowSocket(server.port()))) {
            InputStream in = socket.getInputStream();
            socket.getOutputStream().write("GET /file HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            SlowReader.readHead(in);
            SlowReader.readSlowly(in, READ_BEFORE_STOPPING, READER_BYTES_PER_SECOND);
            long stopped = System.nanoTime();

            SlowReader.awaitStuckSendClosed(failures, stopped, SEND_TIMEOUT, server);
        }
    }

    /** Small send buffers, as in {@link SendProgressTest}, or the kernel would absorb the file. */
    private HttpServer startSlowFileServer(Path file) throws IOException {
        HttpServer server = fixture.start(b -> b.sendWaitTimeout(SEND_TIMEOUT)
                .openHook(TransportHook.of(
                        (session, setup) -> setup.socket().setSendBufferSize(SlowReader.SOCKET_BUFFER))));
        fixture.handle("/file", HttpMethod.GET, (request, response) -> {
            long started = System.nanoTime();
            try {
                response.contentType("application/octet-stream").sendFile(file);
            } catch (IOException e) {
                failures.add(e);
                throw e;
            } finally {
                sendNanos.set(System.nanoTime() - started);
            }
        });
        return server;
    }
}
