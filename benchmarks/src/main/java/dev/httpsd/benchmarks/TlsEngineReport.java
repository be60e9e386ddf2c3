package dev.httpsd.benchmarks;

import dev.httpsd.server.HttpServer;
import dev.httpsd.server.tls.TlsServerContext;

/**
 * The {@code tls-engine:} line the benchmark harness reads from a server's output to check that a
 * row runs the TLS engine it claims (benchmarks/README.md, rule 7). It is read from the running
 * server's global transport context, not from the configuration that asked for an engine.
 */
public final class TlsEngineReport {

    private TlsEngineReport() {}

    /**
     * E.g. {@code tls-engine: httpsd core, OpenSSL engine, BoringSSL through Netty's OpenSSL
     * SSLEngine, tcpNoDelay true}.
     *
     * @throws IllegalStateException when {@code server} serves no TLS
     */
    public static String line(String name, HttpServer server) {
        TlsServerContext tls = TlsServerContext.of(server)
                .orElseThrow(() -> new IllegalStateException(name + " serves no TLS: nothing to report"));
        String engine = switch (tls.engine()) {
            case JDK ->
                "JDK engine, JSSE provider " + tls.sslContext().getProvider().getName();
            case OPENSSL ->
                "OpenSSL engine, " + io.netty.handler.ssl.OpenSsl.versionString()
                        + " through Netty's OpenSSL SSLEngine";
        };
        return "tls-engine: " + name + ", " + engine + ", tcpNoDelay "
                + server.config().tcpNoDelay();
    }
}
