package dev.httpsd.server.http1;

import dev.httpsd.server.ConnectionContext;
import dev.httpsd.server.Protocol;
import dev.httpsd.server.ProtocolFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * HTTP/1.1 for the server's new connections, with the {@link Upgrade}s the protocol packages
 * provide (found with {@link ServiceLoader}, once per server).
 */
public final class Http1ProtocolFactory implements ProtocolFactory {

    private final List<Upgrade> upgrades;

    /** Called by {@link ServiceLoader}. */
    public Http1ProtocolFactory() {
        List<Upgrade> found = new ArrayList<>();
        ServiceLoader.load(Upgrade.class, Upgrade.class.getClassLoader()).forEach(found::add);
        this.upgrades = List.copyOf(found);
    }

    @Override
    public String name() {
        return HTTP_1_1;
    }

    @Override
    public Protocol create(ConnectionContext connection) {
        return new Http1Protocol(connection, upgrades);
    }
}
