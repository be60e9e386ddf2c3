package dev.httpsd.server.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The channel's read path over a real loopback connection with a JSSE client: records decrypt
 * straight into the reader's array when they fit, go through the channel's own buffer when they do
 * not, and leave a drained channel holding only its small ciphertext buffer, or none at all once it
 * gave its buffers back for an idle wait.
 */
@ParameterizedClass
@EnumSource(TlsEngine.class)
class TlsChannelTest {

    @Parameter
    TlsEngine engine;

    private TlsContext context;
    private ServerSocket listener;
    private Socket accepted;
    private SSLSocket client;
    private TlsChannel channel;

    @BeforeEach
    void connect() throws Exception {
        listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        context = new TlsContext(HttpsServerConfig.builder()
                .serverKey(TlsFixtures.SERVER)
                .engine(engine)
                .build());
        CompletableFuture<SSLSocket> connecting = CompletableFuture.supplyAsync(() -> {
            try {
                SSLSocket socket = TlsFixtures.connect(TlsFixtures.clientContext(null), listener.getLocalPort());
                socket.startHandshake();
                return socket;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        accepted = listener.accept();
        accepted.setSoTimeout((int) TlsFixtures.PATIENCE.toMillis());
        channel = context.channel(accepted.getInputStream(), accepted.getOutputStream());
        channel.handshake();
        client = connecting.get(TlsFixtures.PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
    }

    @AfterEach
    void close() throws Exception {
        // the server side first: a JSSE TLS 1.3 client closing waits (up to its read timeout) for
        // the server to answer its close_notify when it has nothing unread
        accepted.close();
        client.close();
        listener.close();
        channel.free();
        context.close();
    }

    @Test
    void aSmallRecordLandsInTheReadersArrayAndLeavesNoPlaintextBuffer() throws Exception {
        assertThat(channel.heldBufferBytes()).isEqualTo(512);
        send("GET / HTTP/1.1\r\n\r\n".getBytes());

        byte[] buffer = new byte[512];
        int n = channel.read(buffer, 0, buffer.length);

        assertThat(new String(buffer, 0, n)).isEqualTo("GET / HTTP/1.1\r\n\r\n");
        assertThat(channel.available()).isZero();
        assertThat(channel.heldBufferBytes()).isEqualTo(512);
    }

    @Test
    void aRecordBiggerThanTheRoomIsReadInPiecesAndItsBuffersGoBack() throws Exception {
        byte[] sent = pattern(12_000, 1);
        send(sent);

        byte[] received = readFully(sent.length, 100);

        assertThat(received).isEqualTo(sent);
        assertThat(channel.available()).isZero();
        assertThat(channel.heldBufferBytes()).isEqualTo(512);
    }

    @Test
    void aDrainedChannelGivesItsBuffersBackForAnIdleWaitAndReadsOnAfterwards() throws Exception {
        byte[] first = "GET /1 HTTP/1.1\r\n\r\n".getBytes();
        send(first);
        assertThat(readFully(first.length, 512)).isEqualTo(first);

        assertThat(channel.releaseForIdle()).isTrue();
        assertThat(channel.heldBufferBytes()).isZero();

        byte[] second = "GET /2 HTTP/1.1\r\n\r\n".getBytes();
        send(second);
        assertThat(readFully(second.length, 512)).isEqualTo(second);
        assertThat(channel.heldBufferBytes()).isEqualTo(512);
    }

    @Test
    void aChannelHoldingUnreadPlaintextKeepsItsBuffersAndLosesNoByte() throws Exception {
        byte[] sent = pattern(12_000, 3);
        send(sent);
        byte[] first = readFully(100, 100);

        assertThat(channel.available()).isPositive();
        assertThat(channel.releaseForIdle()).isFalse();

        byte[] rest = readFully(sent.length - 100, 4096);
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.writeBytes(first);
        all.writeBytes(rest);
        assertThat(all.toByteArray()).isEqualTo(sent);
    }

    @Test
    void oneByteReadsSeeEveryByteInOrder() throws Exception {
        byte[] sent = pattern(700, 2);
        send(sent);

        assertThat(readFully(sent.length, 1)).isEqualTo(sent);
    }

    @Test
    void recordsOfEverySizeReadWithEveryRoomArriveIntact() throws Exception {
        Random random = new Random(20261202L);
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (int i = 0; i < 200; i++) {
            all.writeBytes(pattern(1 + random.nextInt(i % 10 == 0 ? 20_000 : 600), i));
        }
        byte[] sent = all.toByteArray();
        CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
            try {
                OutputStream out = client.getOutputStream();
                Random sizes = new Random(7);
                for (int at = 0; at < sent.length; ) {
                    int piece = Math.min(sent.length - at, 1 + sizes.nextInt(3_000));
                    out.write(sent, at, piece); // one or more records per write
                    at += piece;
                }
                out.flush();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });

        ByteArrayOutputStream received = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        while (received.size() < sent.length) {
            int room = 1 + random.nextInt(buffer.length);
            int offset = random.nextInt(buffer.length - room + 1);
            int n = channel.read(buffer, offset, room);
            assertThat(n).isPositive().isLessThanOrEqualTo(room);
            received.write(buffer, offset, n);
        }
        sending.get(TlsFixtures.PATIENCE.toMillis(), TimeUnit.MILLISECONDS);

        assertThat(Arrays.equals(received.toByteArray(), sent)).isTrue();
        assertThat(channel.heldBufferBytes()).isEqualTo(512);
    }

    @Test
    void closeNotifyEndsTheStream() throws Exception {
        send("last".getBytes());
        client.shutdownOutput(); // TLS 1.3 half-close: close_notify

        assertThat(readFully(4, 512)).isEqualTo("last".getBytes());
        assertThat(channel.read(new byte[16], 0, 16)).isEqualTo(-1);
        assertThat(channel.read(new byte[16], 0, 16)).isEqualTo(-1);
    }

    private void send(byte[] bytes) throws Exception {
        client.getOutputStream().write(bytes);
        client.getOutputStream().flush();
    }

    private byte[] readFully(int length, int room) throws Exception {
        byte[] result = new byte[length];
        byte[] buffer = new byte[room];
        for (int at = 0; at < length; ) {
            int n = channel.read(buffer, 0, Math.min(room, length - at));
            assertThat(n).as("bytes read at %d", at).isPositive();
            System.arraycopy(buffer, 0, result, at, n);
            at += n;
        }
        return result;
    }

    private static byte[] pattern(int length, int seed) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (i * 31 + seed);
        }
        return bytes;
    }
}
