package dev.httpsd.autoconfigure;

import dev.httpsd.server.proxy.ProxyProtocol;
import dev.httpsd.server.proxy.TrustedProxies;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * Turns {@code https-server.proxy-protocol.*} into the core's {@link ProxyProtocol}, reporting a
 * bad value on the property that holds it.
 */
final class ProxyProtocolResolver {

    private static final String PREFIX = "https-server.proxy-protocol.";

    private ProxyProtocolResolver() {}

    /**
     * @return {@code null} unless enabled
     * @throws InvalidConfigurationPropertyValueException when enabled without trusted sources, or
     *     with an entry that is no CIDR block, a timeout that is not positive, or a size out of
     *     range
     */
    static ProxyProtocol resolve(HttpsServerProperties.ProxyProtocolProperties properties) {
        if (!properties.isEnabled()) {
            return null;
        }
        String sources = String.join(",", properties.getTrustedSources());
        TrustedProxies trusted;
        try {
            trusted = TrustedProxies.of(properties.getTrustedSources());
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigurationPropertyValueException(PREFIX + "trusted-sources", sources, e.getMessage());
        }
        if (trusted.isEmpty()) {
            throw new InvalidConfigurationPropertyValueException(
                    PREFIX + "trusted-sources",
                    sources,
                    "with the PROXY protocol enabled, name the balancers' addresses (CIDR blocks): only they may"
                            + " send the header that sets a client's address");
        }
        ProxyProtocol proxy = ProxyProtocol.trusting(trusted);
        try {
            proxy = proxy.headerTimeout(properties.getHeaderTimeout());
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigurationPropertyValueException(
                    PREFIX + "header-timeout", properties.getHeaderTimeout(), e.getMessage());
        }
        long bytes = properties.getMaxHeaderSize().toBytes();
        try {
            return proxy.maxHeaderBytes((int) Math.min(bytes, Integer.MAX_VALUE));
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigurationPropertyValueException(
                    PREFIX + "max-header-size", properties.getMaxHeaderSize(), e.getMessage());
        }
    }
}
