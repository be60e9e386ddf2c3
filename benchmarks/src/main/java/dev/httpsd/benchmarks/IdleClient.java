package dev.httpsd.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Opens N TLS keep-alive connections (a few at a time, so that all are open within seconds, long
 * before any server's idle timeout), makes one request on each, prints {@code open N} and holds
 * them idle until the flag file appears (scenario d measures meanwhile) or the given seconds pass.
 * Then it makes one more request on every connection and prints {@code alive K}: a measurement is
 * only valid if the server kept all of them. Like the harness's other clients it offers exactly
 * one cipher suite, TLS 1.3's {@code TLS_AES_128_GCM_SHA256}, and it prints the suites its
 * connections negotiated ({@code suites ...}). Arguments: port, count, seconds, flag file.
 */
public final class IdleClient {

    private static final byte[] REQUEST =
            "GET /hello HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final int OPENERS = 8;
    private static final Pattern CONTENT_LENGTH = Pattern.compile("(?im)^content-length:\\s*(\\d+)\\s*$");
    static final String[] PROTOCOLS = {"TLSv1.3"};
    static final String[] SUITES = {"TLS_AES_128_GCM_SHA256"};

    private IdleClient() {}

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int count = Integer.parseInt(args[1]);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Long.parseLong(args[2]));
        Path flag = Path.of(args[3]);
        List<SSLSocket> sockets = openAll(port, count);
        System.out.println("suites " + suites(sockets));
        System.out.println("open " + sockets.size());
        System.out.flush();
        while (!Files.exists(flag) && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(100);
        }
        int alive = 0;
        for (SSLSocket socket : sockets) {
            try {
                request(socket);
                alive++;
            } catch (IOException e) {
                // the server closed it while idle
            }
            socket.close();
        }
        System.out.println("alive " + alive);
    }

    /**
     * Opens {@code count} TLS connections, a few at a time, each offering only the harness's suite,
     * and makes one request on each.
     */
    static List<SSLSocket> openAll(int port, int count) throws Exception {
        SSLContext context = trustingContext();
        List<SSLSocket> sockets = Collections.synchronizedList(new ArrayList<>(count));
        try (ExecutorService openers = Executors.newFixedThreadPool(OPENERS)) {
            List<Future<?>> opened = new ArrayList<>();
            for (int t = 0; t < OPENERS; t++) {
                int share = count / OPENERS + (t < count % OPENERS ? 1 : 0);
                opened.add(openers.submit(() -> {
                    for (int i = 0; i < share; i++) {
                        SSLSocket socket =
                                (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port);
                        socket.setEnabledProtocols(PROTOCOLS);
                        socket.setEnabledCipherSuites(SUITES);
                        socket.setTcpNoDelay(true);
                        socket.setSoTimeout(10_000);
                        sockets.add(socket);
                        request(socket);
                    }
                    return null;
                }));
            }
            for (Future<?> f : opened) {
                f.get();
            }
        }
        return sockets;
    }

    /** A client TLS context that trusts the benchmark's self-signed certificate. */
    static SSLContext trustingContext() throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new TrustAll()}, null);
        return context;
    }

    /** The suites the connections negotiated, comma-separated and sorted. */
    static String suites(List<SSLSocket> sockets) {
        return String.join(
                ",",
                new TreeSet<>(sockets.stream()
                        .map(socket -> socket.getSession().getCipherSuite())
                        .toList()));
    }

    /**
     * One request and its whole response (head, then Content-Length bytes of body): a response
     * left half-read would answer the next request's read and count a closed connection alive.
     */
    static void request(SSLSocket socket) throws IOException {
        socket.getOutputStream().write(REQUEST);
        InputStream in = socket.getInputStream();
        StringBuilder head = new StringBuilder(256);
        while (head.length() < 4 || !head.substring(head.length() - 4).equals("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("no response");
            }
            head.append((char) b);
            if (head.length() > 16 * 1024) {
                throw new IOException("response head too long");
            }
        }
        Matcher length = CONTENT_LENGTH.matcher(head);
        if (!head.toString().startsWith("HTTP/1.1 200") || !length.find()) {
            throw new IOException("unexpected response " + head.toString().strip());
        }
        long remaining = Long.parseLong(length.group(1));
        while (remaining > 0) {
            long skipped = in.skip(remaining);
            if (skipped <= 0) {
                if (in.read() < 0) {
                    throw new IOException("response body cut short");
                }
                skipped = 1;
            }
            remaining -= skipped;
        }
    }

    /** The benchmark certificate is self-signed; trust is not what is measured. */
    static final class TrustAll implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String type) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String type) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
