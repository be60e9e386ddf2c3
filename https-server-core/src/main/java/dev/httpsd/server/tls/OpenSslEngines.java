package dev.httpsd.server.tls;

import dev.httpsd.server.InvalidConfigException;
import java.util.ArrayList;
import java.util.List;

/**
 * The door to {@link TlsEngine#OPENSSL}: checks that its optional libraries are on the class path
 * before any class that needs them is loaded, so that a missing one is a readable error at start
 * and not a {@link NoClassDefFoundError} in the middle of a handshake.
 */
final class OpenSslEngines {

    /** What to add, with the class each one brings. */
    private static final List<String[]> LIBRARIES = List.of(
            new String[] {"io.netty:netty-handler", "io.netty.handler.ssl.OpenSsl"},
            new String[] {"io.netty:netty-tcnative-boringssl-static", "io.netty.internal.tcnative.SSL"});

    private OpenSslEngines() {}

    /**
     * A factory for {@code material} with the configured parameters.
     *
     * @param ticketKeys the session ticket keys; {@code null} lets BoringSSL make its own
     *
     * @throws InvalidConfigException when a library is missing, BoringSSL cannot be loaded, or the
     *     engine lacks a configured protocol or cipher suite
     */
    static EngineFactory factory(HttpsServerConfig config, TlsContext.Material material, SessionTicketKeys ticketKeys) {
        requireLibraries(OpenSslEngines.class.getClassLoader());
        return OpenSslEngineFactory.create(config, material, ticketKeys);
    }

    /** @throws InvalidConfigException naming the libraries {@code loader} cannot see */
    static void requireLibraries(ClassLoader loader) {
        List<String> missing = new ArrayList<>();
        for (String[] library : LIBRARIES) {
            try {
                Class.forName(library[1], false, loader);
            } catch (ClassNotFoundException | LinkageError e) {
                missing.add(library[0]);
            }
        }
        if (!missing.isEmpty()) {
            throw new InvalidConfigException(
                    "HttpsServerConfig",
                    "engine",
                    TlsEngine.OPENSSL,
                    "the OpenSSL engine needs " + String.join(" and ", missing)
                            + " on the class path (Spring Boot's dependency management has their versions); add "
                            + (missing.size() == 1 ? "it" : "them") + " or use the JDK engine");
        }
    }
}
