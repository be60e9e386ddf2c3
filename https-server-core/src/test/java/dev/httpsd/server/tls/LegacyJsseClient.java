package dev.httpsd.server.tls;

import java.io.IOException;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A JSSE client offering one old protocol version, run in a JVM of its own: the JDK refuses to
 * offer SSLv3, TLS 1.0 and 1.1 unless {@code jdk.tls.disabledAlgorithms} is relaxed, a security
 * property read once per JVM, which the test JVM (and its servers) must keep. Prints one line per
 * protocol: {@code TLSv1: SSLHandshakeException: Received fatal alert: protocol_version}.
 */
final class LegacyJsseClient {

    private LegacyJsseClient() {}

    /** Arguments: the server's loopback port, then the protocols to offer, one connection each. */
    public static void main(String[] args) throws GeneralSecurityException {
        int port = Integer.parseInt(args[0]);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, null, null);
        for (int i = 1; i < args.length; i++) {
            String protocol = args[i];
            try (SSLSocket socket =
                    (SSLSocket) context.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port)) {
                socket.setSoTimeout(20_000);
                socket.setEnabledProtocols(new String[] {protocol});
                socket.startHandshake();
                System.out.println(
                        protocol + ": CONNECTED " + socket.getSession().getProtocol());
            } catch (IOException | IllegalArgumentException e) {
                System.out.println(protocol + ": " + e.getClass().getSimpleName() + ": " + e.getMessage());
            }
        }
    }
}
