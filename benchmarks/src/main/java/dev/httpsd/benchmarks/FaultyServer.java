package dev.httpsd.benchmarks;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * A deliberately misbehaving HTTPS server for {@code run.sh --selftest}: it serves the harness's
 * endpoints ({@code GET /hello}, {@code GET /bytes?n=N}) over a plain JSSE socket, and breaks in
 * exactly the way it is told, so that the self-test can show each validity rule of the harness
 * firing. Without faults it is a correct (if simple) server, the self-test's control.
 *
 * <p>Arguments: port, PKCS#12 file, password, then any of
 *
 * <ul>
 *   <li>{@code fail-every=N}: every Nth request is answered {@code 500};
 *   <li>{@code reset-every=N}: every Nth request is answered with a TCP reset instead;
 *   <li>{@code idle-close=S}: connections idle for S seconds are closed (scenario d's alive check);
 *   <li>{@code slow-period=S}: in every other period of S seconds each response waits 2 ms, so
 *       throughput swings between measurement windows;
 *   <li>{@code prefer=SUITE}: the server prefers this TLS 1.3 suite over the client's order;
 *   <li>{@code ignore-close=true}: a request's {@code Connection: close} is ignored and the
 *       connection kept (scenario b's handshake-per-request check).
 * </ul>
 */
public final class FaultyServer {

    private static final byte[] BYTES = new byte[16 * 1024 * 1024];
    private static final byte[] HELLO = "Hello World!".getBytes(StandardCharsets.US_ASCII);

    private final Map<String, String> faults;
    private final AtomicLong requests = new AtomicLong();
    private final long started = System.nanoTime();

    private FaultyServer(Map<String, String> faults) {
        this.faults = faults;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> faults = new HashMap<>();
        for (int i = 3; i < args.length; i++) {
            String[] pair = args[i].split("=", 2);
            if (pair.length != 2) {
                throw new IllegalArgumentException("expected key=value, got " + args[i]);
            }
            faults.put(pair[0], pair[1]);
        }
        char[] password = args[2].toCharArray();
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(Path.of(args[1]))) {
            keys.load(in, password);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, password);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), null, null);
        SSLServerSocket listener = (SSLServerSocket) context.getServerSocketFactory()
                .createServerSocket(Integer.parseInt(args[0]), 1024, InetAddress.getLoopbackAddress());
        SSLParameters parameters = listener.getSSLParameters();
        if (faults.containsKey("prefer")) {
            parameters.setCipherSuites(new String[] {faults.get("prefer"), "TLS_AES_128_GCM_SHA256"});
            parameters.setUseCipherSuitesOrder(true);
        }
        listener.setSSLParameters(parameters);
        System.out.println("tls-engine: FaultyServer, JSSE provider "
                + context.getProvider().getName() + ", faults " + faults);
        new FaultyServer(faults).serve(listener);
    }

    private void serve(ServerSocket listener) throws IOException {
        try (var connections = Executors.newVirtualThreadPerTaskExecutor()) {
            while (true) {
                Socket socket = listener.accept();
                connections.submit(() -> session((SSLSocket) socket));
            }
        }
    }

    private void session(SSLSocket socket) {
        try (socket) {
            socket.setTcpNoDelay(true);
            int idleClose = Integer.parseInt(faults.getOrDefault("idle-close", "0"));
            socket.setSoTimeout((int) TimeUnit.SECONDS.toMillis(idleClose));
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            while (true) {
                String head = readHead(in);
                if (head == null) {
                    return;
                }
                long count = requests.incrementAndGet();
                if (every("reset-every", count)) {
                    socket.setSoLinger(true, 0);
                    return;
                }
                pause();
                boolean close = head.toLowerCase(Locale.ROOT).contains("\r\nconnection: close")
                        && !Boolean.parseBoolean(faults.get("ignore-close"));
                respond(out, head, every("fail-every", count), close);
                if (close) {
                    return;
                }
            }
        } catch (SocketTimeoutException e) {
            // idle-close: the connection was idle too long, which is the fault asked for
        } catch (IOException | InterruptedException e) {
            // the client went away; nothing to report in a fault injector
        }
    }

    private boolean every(String fault, long count) {
        long n = Long.parseLong(faults.getOrDefault(fault, "0"));
        return n > 0 && count % n == 0;
    }

    private void pause() throws InterruptedException {
        long period = TimeUnit.SECONDS.toNanos(Long.parseLong(faults.getOrDefault("slow-period", "0")));
        if (period > 0 && ((System.nanoTime() - started) / period) % 2 == 1) {
            Thread.sleep(2);
        }
    }

    private static void respond(OutputStream out, String head, boolean fail, boolean close) throws IOException {
        String target = head.substring(head.indexOf(' ') + 1, head.indexOf(' ', head.indexOf(' ') + 1));
        int status = fail ? 500 : 200;
        byte[] body = HELLO;
        int length = body.length;
        if (!fail && target.startsWith("/bytes?n=")) {
            body = BYTES;
            length = Math.min(Integer.parseInt(target.substring("/bytes?n=".length())), BYTES.length);
        } else if (!fail && !target.equals("/hello")) {
            status = 404;
        }
        String response = "HTTP/1.1 " + status + (status == 200 ? " OK" : " Error") + "\r\n"
                + "Content-Type: " + (body == BYTES ? "application/octet-stream" : "text/plain") + "\r\n"
                + "Content-Length: " + length + "\r\n"
                + (close ? "Connection: close\r\n" : "")
                + "\r\n";
        out.write(response.getBytes(StandardCharsets.US_ASCII));
        out.write(body, 0, length);
        out.flush();
    }

    /** The request head up to the blank line, or null at end of stream; bodies are not expected. */
    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder(128);
        int b;
        while ((b = in.read()) != -1) {
            head.append((char) b);
            int n = head.length();
            if (n >= 4 && head.charAt(n - 1) == '\n' && head.charAt(n - 2) == '\r' && head.charAt(n - 3) == '\n') {
                return head.toString();
            }
            if (n > 16 * 1024) {
                throw new IOException("request head too long");
            }
        }
        return null;
    }
}
