package dev.httpsd.autoconfigure;

import dev.httpsd.server.HttpServerConfig;
import dev.httpsd.server.UriMatcher;
import dev.httpsd.server.tls.HttpsServerConfig;
import java.lang.reflect.RecordComponent;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.io.ApplicationResourceLoader;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.core.io.ResourceLoader;
import org.springframework.util.unit.DataSize;

/**
 * Builds the {@link HttpsServerConfig} from {@code https-server.*}, the TLS material and the
 * {@link HttpsServerCustomizer} beans. Replace this bean to build the configuration yourself.
 */
public class HttpsServerConfigFactory {

    /** "Invalid HttpServerConfig.field = value: rule", or "Invalid HttpsServerConfig.field: rule" from the TLS layer. */
    private static final Pattern INVALID =
            Pattern.compile("Invalid Https?ServerConfig\\.(\\w+)(?: = (.*?))?: (.*)", Pattern.DOTALL);

    /** Config fields whose property name is not simply their kebab-case form. */
    private static final Map<String, String> PROPERTY_NAMES = Map.of(
            "bindAddress", "address",
            "uriMatcher", "uri-match",
            "handshakeTimeout", "tls-handshake-timeout",
            "protocols", "ssl.protocols",
            "cipherSuites", "ssl.cipher-suites",
            "clientAuth", "ssl.client-auth",
            "failOnExpiredCertificate", "ssl.fail-on-expired-certificate",
            "sslContext", "ssl.bundle",
            "engine", "ssl.engine");

    private final HttpsServerProperties properties;
    private final TlsMaterialResolver tls;
    private final List<HttpsServerCustomizer> customizers;
    private final ServerEventBridge eventListener;

    /**
     * @param sslBundles Spring Boot's SSL bundles, or {@code null} when there are none
     * @param resources resolves certificate locations (plain paths are files)
     * @param publisher receives the server events as Spring events; {@code null} publishes none
     */
    public HttpsServerConfigFactory(
            HttpsServerProperties properties,
            SslBundles sslBundles,
            ResourceLoader resources,
            List<HttpsServerCustomizer> customizers,
            ApplicationEventPublisher publisher) {
        this.properties = properties;
        // plain paths are files (Spring Boot's convention for certificate locations), classpath: works too
        this.tls = new TlsMaterialResolver(properties, sslBundles, ApplicationResourceLoader.get(resources, true));
        this.customizers = List.copyOf(customizers);
        this.eventListener = publisher == null ? null : new ServerEventBridge(publisher);
    }

    /**
     * @throws InvalidConfigurationPropertyValueException naming the property when a value is out of range
     * @throws dev.httpsd.server.tls.TlsMaterialException when certificates or keys are unusable
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
                    .engine(properties.getSsl().getEngine())
                    .failOnExpiredCertificate(properties.getSsl().isFailOnExpiredCertificate());
            if (!properties.getSsl().getCipherSuites().isEmpty()) {
                builder.cipherSuites(properties.getSsl().getCipherSuites());
            }
            tls.apply(builder);
            customizers.forEach(customizer -> customizer.customize(builder));
            return builder.build();
        } catch (IllegalArgumentException e) {
            throw asPropertyError(e);
        }
    }

    TlsMaterialResolver tls() {
        return tls;
    }

    ServerEventBridge bridge() {
        return eventListener;
    }

    List<HttpsServerCustomizer> customizers() {
        return customizers;
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
        if (eventListener != null) {
            httpd.eventListener(eventListener);
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

    /** "Invalid HttpServerConfig.maxOpenSockets = 0: ..." becomes an error on https-server.max-open-sockets. */
    static RuntimeException asPropertyError(IllegalArgumentException e) {
        return asPropertyError(e, null);
    }

    /**
     * Like {@link #asPropertyError(IllegalArgumentException)}; a message without the value (the
     * TLS layer's "not supported by this JVM" at start) takes it from {@code config}.
     */
    static RuntimeException asPropertyError(IllegalArgumentException e, HttpsServerConfig config) {
        if (e instanceof dev.httpsd.server.tls.TlsMaterialException) {
            return e;
        }
        Matcher matcher = INVALID.matcher(String.valueOf(e.getMessage()));
        if (!matcher.matches()) {
            return e;
        }
        String field = matcher.group(1);
        String property = PROPERTY_NAMES.getOrDefault(field, kebab(field));
        Object value = matcher.group(2) != null ? matcher.group(2) : componentValue(config, field);
        return new InvalidConfigurationPropertyValueException("https-server." + property, value, matcher.group(3));
    }

    /** The value of the HTTPS or HTTP config component named {@code field}, or null. */
    private static Object componentValue(HttpsServerConfig config, String field) {
        if (config == null) {
            return null;
        }
        for (Record record : List.<Record>of(config, config.httpd())) {
            for (RecordComponent component : record.getClass().getRecordComponents()) {
                if (component.getName().equals(field)) {
                    try {
                        return component.getAccessor().invoke(record);
                    } catch (ReflectiveOperationException ignored) {
                        return null;
                    }
                }
            }
        }
        return null;
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }
}
