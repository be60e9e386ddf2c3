package dev.httpsd.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Opens N TLS keep-alive connections, makes one request on each, then holds them idle for the
 * given seconds (scenario d). Prints "open N" once all are established. Arguments: port, count,
 * seconds.
 */
public final class IdleClient {

    private IdleClient() {}

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int count = Integer.parseInt(args[1]);
        long seconds = Long.parseLong(args[2]);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new TrustAll()}, null);
        byte[] request = "GET /hello HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        List<SSLSocket> sockets = new ArrayList<>(count);
        byte[] buffer = new byte[4096];
        for (int i = 0; i < count; i++) {
            SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port);
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request);
            InputStream in = socket.getInputStream();
            if (in.read(buffer) <= 0) {
                throw new IOException("no response on connection " + i);
            }
            sockets.add(socket);
        }
        System.out.println("open " + sockets.size());
        System.out.flush();
        TimeUnit.SECONDS.sleep(seconds);
        for (SSLSocket socket : sockets) {
            socket.close();
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
