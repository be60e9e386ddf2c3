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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Opens N TLS keep-alive connections (a few at a time, so that all are open within seconds, long
 * before any server's idle timeout), makes one request on each, prints {@code open N} and holds
 * them idle until the flag file appears (scenario d measures meanwhile) or the given seconds pass.
 * Then it makes one more request on every connection and prints {@code alive K}: a measurement is
 * only valid if the server kept all of them. Arguments: port, count, seconds, flag file.
 */
public final class IdleClient {

    private static final byte[] REQUEST =
            "GET /hello HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final int OPENERS = 8;

    private IdleClient() {}

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int count = Integer.parseInt(args[1]);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Long.parseLong(args[2]));
        Path flag = Path.of(args[3]);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new TrustAll()}, null);
        List<SSLSocket> sockets = Collections.synchronizedList(new ArrayList<>(count));
        try (ExecutorService openers = Executors.newFixedThreadPool(OPENERS)) {
            List<Future<?>> opened = new ArrayList<>();
            for (int t = 0; t < OPENERS; t++) {
                int share = count / OPENERS + (t < count % OPENERS ? 1 : 0);
                opened.add(openers.submit(() -> {
                    for (int i = 0; i < share; i++) {
                        SSLSocket socket =
                                (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port);
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

    private static void request(SSLSocket socket) throws IOException {
        socket.getOutputStream().write(REQUEST);
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[4096];
        if (in.read(buffer) <= 0) {
            throw new IOException("no response");
        }
    }

    /** The benchmark certificate is self-signed; trust is not what is measured. */
    private static final class TrustAll implements X509TrustManager {
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
