package dev.httpsd.autoconfigure;

import dev.httpsd.server.HttpServerConfig;
import dev.httpsd.server.InvalidConfigException;
import dev.httpsd.server.UriMatcher;
import dev.httpsd.server.tls.HttpsServerConfig;
import dev.httpsd.server.tls.TlsMaterialException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.util.unit.DataSize;

/**
 * Builds the {@link HttpsServerConfig} from {@code https-server.*}, the TLS material, the event
 * bridge and the {@link HttpsServerCustomizer} beans, which are applied last and may change
 * anything. A bad value is reported as an error on the property that holds it.
 */
public final class HttpsServerConfigFactory {

    /** Config fields whose property name is not simply their kebab-case form. */
    private static final Map<String, String> PROPERTY_NAMES = Map.of(
            "bindAddress", "address",
            "uriMatcher", "uri-match",
            "handshakeTimeout", "tls-handshake-timeout",
            "protocols", "ssl.protocols",
            "cipherSuites", "ssl.cipher-suites",
            "clientAuth", "ssl.client-auth",
            "failOnExpiredCertificate", "ssl.fail-on-expired-certificate",
            "sslContext", "ssl.bundle");

    private final HttpsServerProperties properties;
    private final TlsMaterialResolver tls;
    private final List<HttpsServerCustomizer> customizers;
    private final ServerEventBridge eventBridge;

    /**
     * @param eventBridge turns server events into Spring events; {@code null} when {@code
     *     https-server.publish-events} is off
     */
    HttpsServerConfigFactory(
            HttpsServerProperties properties,
            TlsMaterialResolver tls,
            List<HttpsServerCustomizer> customizers,
            ServerEventBridge eventBridge) {
        this.properties = properties;
        this.tls = tls;
        this.customizers = List.copyOf(customizers);
        this.eventBridge = eventBridge;
    }

    /**
     * @throws InvalidConfigurationPropertyValueException naming the property when a value is out of range
     * @throws TlsMaterialException when certificates or keys are missing or unusable
     */
    public HttpsServerConfig create() {
        try {
            HttpsServerConfig.Builder builder = HttpsServerConfig.builder()
                    .httpd(httpd())
                    .transportMode(properties.getTransportMode())
                    .portSecure(properties.getPortSecure())
                    .portInsecure(properties.getPortInsecure())
                    .sessionTickets(properties.isSessionTickets())
                    .handshakeTimeout(properties.getTlsHandshakeTimeout())
                    .alpnProtocols(properties.getAlpnProtocols())
                    .redirectInsecure(properties.isRedirectInsecure())
                    .protocols(properties.getSsl().getProtocols())
                    .failOnExpiredCertificate(properties.getSsl().isFailOnExpiredCertificate());
            if (!properties.getSsl().getCipherSuites().isEmpty()) {
                builder.cipherSuites(properties.getSsl().getCipherSuites());
            }
            tls.apply(builder);
            customizers.forEach(customizer -> customizer.customize(builder));
            return build(builder);
        } catch (InvalidConfigException e) {
            throw asPropertyError(e);
        }
    }

    /**
     * Builds; when nothing supplied a certificate (no properties, no customizer) the development
     * certificate is the last resort, or the failure names the properties to set.
     */
    private HttpsServerConfig build(HttpsServerConfig.Builder builder) {
        try {
            return builder.build();
        } catch (TlsMaterialException e) {
            if (e.reason() != TlsMaterialException.Reason.MISSING) {
                throw e;
            }
            return builder.serverKey(tls.developmentCertificate()).build();
        }
    }

    private HttpServerConfig httpd() {
        HttpServerConfig.Builder httpd = HttpServerConfig.builder()
                .bindAddress(properties.getAddress())
                .maxOpenSockets(properties.getMaxOpenSockets())
                .maxUriHandlers(properties.getMaxUriHandlers())
                .maxRespHeaders(properties.getMaxRespHeaders())
                .backlogConn(properties.getBacklogConn())
                .lruPurgeEnable(properties.isLruPurgeEnable())
                .recvWaitTimeout(properties.getRecvWaitTimeout())
                .sendWaitTimeout(properties.getSendWaitTimeout())
                .maxReqHdrLen(bytes("max-req-hdr-len", properties.getMaxReqHdrLen()))
                .maxUriLen(bytes("max-uri-len", properties.getMaxUriLen()))
                .enableSoLinger(properties.isEnableSoLinger())
                .lingerTimeout(properties.getLingerTimeout())
                .keepAliveEnable(properties.isKeepAliveEnable())
                .keepAliveIdle(properties.getKeepAliveIdle())
                .keepAliveInterval(properties.getKeepAliveInterval())
                .keepAliveCount(properties.getKeepAliveCount())
                .uriMatcher(
                        properties.getUriMatch() == HttpsServerProperties.UriMatch.WILDCARD
                                ? UriMatcher.wildcard()
                                : UriMatcher.exact())
                .idleTimeout(properties.getIdleTimeout())
                .headerReadTimeout(properties.getHeaderReadTimeout())
                .maxContentLength(
                        properties.getMaxContentLength() == null
                                ? Long.MAX_VALUE
                                : properties.getMaxContentLength().toBytes())
                .maxHeaderCount(properties.getMaxHeaderCount())
                .maxDrainLength(properties.getMaxDrainLength().toBytes())
                .maxWsFrameLength(properties.getMaxWsFrameLength().toBytes())
                .maxWsMessageLength(properties.getMaxWsMessageLength().toBytes())
                .tcpNoDelay(properties.isTcpNoDelay());
        if (eventBridge != null) {
            httpd.eventListener(eventBridge);
        }
        return httpd.build();
    }

    private static int bytes(String property, DataSize size) {
        long bytes = size.toBytes();
        if (bytes > Integer.MAX_VALUE) {
            throw new InvalidConfigurationPropertyValueException("https-server." + property, size, "too large");
        }
        return (int) bytes;
    }

    /** A core validation failure as an error on the {@code https-server.*} property holding the value. */
    static InvalidConfigurationPropertyValueException asPropertyError(InvalidConfigException e) {
        String property = PROPERTY_NAMES.getOrDefault(e.field(), kebab(e.field()));
        return new InvalidConfigurationPropertyValueException("https-server." + property, e.value(), e.rule());
    }

    /** {@code maxOpenSockets} → {@code max-open-sockets}. */
    private static String kebab(String camel) {
        StringBuilder kebab = new StringBuilder(camel.length() + 4);
        for (int i = 0; i < camel.length(); i++) {
            char c = camel.charAt(i);
            if (Character.isUpperCase(c)) {
                kebab.append('-').append(Character.toLowerCase(c));
            } else {
                kebab.append(c);
            }
        }
        return kebab.toString().toLowerCase(Locale.ROOT);
    }
}
