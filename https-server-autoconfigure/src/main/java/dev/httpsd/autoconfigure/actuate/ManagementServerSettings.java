package dev.httpsd.autoconfigure.actuate;

import java.net.InetAddress;
import org.springframework.boot.actuate.endpoint.web.EndpointMapping;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * Boot's {@code management.server.*} as the management listener uses them. Read with Boot's
 * binder rather than through {@code ManagementServerProperties}, whose SSL settings belong to
 * Boot's web-server module, which an httpsd application does not have.
 *
 * @param port {@code management.server.port}
 * @param address {@code management.server.address}; loopback when unset, unlike Boot's own
 *     servers, since the listener is plain HTTP
 * @param basePath {@code management.server.base-path}, normalized ("" or "/path")
 * @param ssl {@code management.server.ssl.enabled}
 */
record ManagementServerSettings(int port, InetAddress address, String basePath, boolean ssl) {

    static ManagementServerSettings of(Environment environment) {
        Binder binder = Binder.get(environment);
        int port = binder.bind("management.server.port", Integer.class).orElse(-1);
        InetAddress address =
                binder.bind("management.server.address", InetAddress.class).orElseGet(InetAddress::getLoopbackAddress);
        String basePath = new EndpointMapping(
                        binder.bind("management.server.base-path", String.class).orElse(""))
                .getPath();
        boolean ssl =
                binder.bind("management.server.ssl.enabled", Boolean.class).orElse(false);
        return new ManagementServerSettings(port, address, basePath, ssl);
    }
}
