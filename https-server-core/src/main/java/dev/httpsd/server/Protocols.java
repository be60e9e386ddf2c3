package dev.httpsd.server;

import java.lang.System.Logger.Level;
import java.util.HashMap;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * The protocols one server speaks, by application-protocol name, found with {@link ServiceLoader}
 * at start: HTTP/1.1 always, others (HTTP/2) where a protocol package provides them.
 */
final class Protocols {

    private static final System.Logger LOG = System.getLogger(HttpServer.class.getName());

    private final Map<String, ProtocolFactory> byName;
    private final ProtocolFactory http11;

    private Protocols(Map<String, ProtocolFactory> byName) {
        this.byName = byName;
        this.http11 = byName.get(ProtocolFactory.HTTP_1_1);
        if (http11 == null) {
            throw new IllegalStateException("no HTTP/1.1 protocol found: the service file "
                    + "META-INF/services/" + ProtocolFactory.class.getName() + " of the httpsd core jar is"
                    + " missing (a repackaged jar must keep its service files)");
        }
    }

    static Protocols load() {
        Map<String, ProtocolFactory> byName = new HashMap<>();
        for (ProtocolFactory factory :
                ServiceLoader.load(ProtocolFactory.class, ProtocolFactory.class.getClassLoader())) {
            ProtocolFactory other = byName.putIfAbsent(factory.name(), factory);
            if (other != null) {
                throw new IllegalStateException("two protocols named " + factory.name() + ": "
                        + other.getClass().getName() + " and "
                        + factory.getClass().getName());
            }
        }
        return new Protocols(Map.copyOf(byName));
    }

    /** The protocol a connection starts with: the one its transport agreed on, else HTTP/1.1. */
    Protocol first(ConnectionContext connection, String applicationProtocol) {
        if (applicationProtocol == null || applicationProtocol.equals(ProtocolFactory.HTTP_1_1)) {
            return http11.create(connection);
        }
        ProtocolFactory factory = byName.get(applicationProtocol);
        if (factory == null) {
            LOG.log(Level.DEBUG, () -> connection + ": no " + applicationProtocol + " here, speaking HTTP/1.1");
            return http11.create(connection);
        }
        return factory.create(connection);
    }
}
