package dev.httpsd.autoconfigure;

import dev.httpsd.server.Http2Config;
import dev.httpsd.server.HttpServerConfig;
import dev.httpsd.server.InvalidConfigException;
import dev.httpsd.server.UriMatcher;
import dev.httpsd.server.tls.HttpsServerConfig;
import dev.httpsd.server.tls.TlsMaterialException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.ConfigurationPropertyState;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;
import org.springframework.util.unit.DataSize;

/**
 * Builds the {@link HttpsServerConfig} from {@code https-server.*}, the TLS material, the event
 * bridge and the {@link HttpsServerCustomizer} beans, which are applied last and may change
 * anything. A bad value is reported as an error on the property that holds it.
 *
 * <p>With {@code https-server.defaults: esp-idf} the configuration starts from {@link
 * HttpsServerConfig#espIdfDefaults()}, and the properties ESP has a default for take their value
 * only when set: in the {@link Environment} this factory is given (Spring does that for the bean),
 * or, without one, when they differ from httpsd's default.
 */
public final class HttpsServerConfigFactory implements EnvironmentAware {

    /** Config fields whose property name is not simply their kebab-case form. */
    private static final Map<String, String> PROPERTY_NAMES = Map.ofEntries(
            Map.entry("bindAddress", "address"),
            Map.entry("uriMatcher", "uri-match"),
            Map.entry("handshakeTimeout", "tls-handshake-timeout"),
            Map.entry("protocols", "ssl.protocols"),
            Map.entry("cipherSuites", "ssl.cipher-suites"),
            Map.entry("clientAuth", "ssl.client-auth"),
            Map.entry("failOnExpiredCertificate", "ssl.fail-on-expired-certificate"),
            Map.entry("sslContext", "ssl.bundle"),
            Map.entry("engine", "ssl.engine"),
            Map.entry("sessionTicketKeys", "ssl.session-ticket-keys.files"),
            Map.entry("sessionTicketKeyFiles", "ssl.session-ticket-keys.files"));

    private final HttpsServerProperties properties;
    private final TlsMaterialResolver tls;
    private final List<HttpsServerCustomizer> customizers;
    private final ServerEventBridge eventBridge;
    /** httpsd's defaults, for telling a set property from an unset one without an environment. */
    private final HttpsServerProperties httpsdDefaults = new HttpsServerProperties();

    private Environment environment;

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
            HttpsServerConfig.Builder builder =
                    espIdf() ? HttpsServerConfig.espIdfDefaults() : HttpsServerConfig.builder();
            builder.httpd(this::httpd)
                    .transportMode(properties.getTransportMode())
                    .portSecure(properties.getPortSecure())
                    .portInsecure(properties.getPortInsecure())
                    .handshakeTimeout(properties.getTlsHandshakeTimeout())
                    .redirectInsecure(properties.isRedirectInsecure())
                    .protocols(properties.getSsl().getProtocols())
                    .engine(properties.getSsl().getEngine())
                    .failOnExpiredCertificate(properties.getSsl().isFailOnExpiredCertificate());
            preset("session-tickets", HttpsServerProperties::isSessionTickets, builder::sessionTickets);
            preset("alpn-protocols", HttpsServerProperties::getAlpnProtocols, builder::alpnProtocols);
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

    /** Where {@code https-server.defaults: esp-idf} looks for the properties that are set. */
    @Override
    public void setEnvironment(Environment environment) {
        this.environment = environment;
    }

    private HttpServerConfig.Builder httpd(HttpServerConfig.Builder httpd) {
        preset("max-open-sockets", HttpsServerProperties::getMaxOpenSockets, httpd::maxOpenSockets);
        preset("max-uri-handlers", HttpsServerProperties::getMaxUriHandlers, httpd::maxUriHandlers);
        preset("max-resp-headers", HttpsServerProperties::getMaxRespHeaders, httpd::maxRespHeaders);
        preset("backlog-conn", HttpsServerProperties::getBacklogConn, httpd::backlogConn);
        preset("lru-purge-enable", HttpsServerProperties::isLruPurgeEnable, httpd::lruPurgeEnable);
        preset("recv-wait-timeout", HttpsServerProperties::getRecvWaitTimeout, httpd::recvWaitTimeout);
        preset("send-wait-timeout", HttpsServerProperties::getSendWaitTimeout, httpd::sendWaitTimeout);
        preset(
                "max-req-hdr-len",
                HttpsServerProperties::getMaxReqHdrLen,
                size -> httpd.maxReqHdrLen(bytes("max-req-hdr-len", size)));
        preset("max-uri-len", HttpsServerProperties::getMaxUriLen, size -> httpd.maxUriLen(bytes("max-uri-len", size)));
        httpd.bindAddress(properties.getAddress())
                .enableSoLinger(properties.isEnableSoLinger())
                .lingerTimeout(properties.getLingerTimeout())
                .keepAliveEnable(properties.isKeepAliveEnable())
                .keepAliveIdle(properties.getKeepAliveIdle())
                .keepAliveInterval(properties.getKeepAliveInterval())
                .keepAliveCount(properties.getKeepAliveCount())
                // templates never change what an ESP URI matches: no request path has a brace
                .uriMatcher(UriMatcher.template(
                        properties.getUriMatch() == HttpsServerProperties.UriMatch.WILDCARD
                                ? UriMatcher.wildcard()
                                : UriMatcher.exact()))
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
                .tcpNoDelay(properties.isTcpNoDelay())
                .strictTransportSecurity(properties.getHsts().headerValue())
                .forwardedHeaders(ForwardHeadersStrategy.resolve(environment, properties.getForwarded()))
                .proxyProtocol(ProxyProtocolResolver.resolve(properties.getProxyProtocol()))
                .http2(http2());
        if (eventBridge != null) {
            httpd.eventListener(eventBridge);
        }
        return httpd;
    }

    private Http2Config http2() {
        Http2Properties h2 = properties.getHttp2();
        boolean enabled = h2.isEnabled();
        if (espIdf()
                && !isSet("http2.enabled", enabled, httpsdDefaults.getHttp2().isEnabled())) {
            enabled = false; // ESP-IDF has no HTTP/2: on in this mode only when the property says so
        }
        return new Http2Config(
                enabled,
                h2.getMaxConcurrentStreams(),
                bytes("http2.initial-window-size", h2.getInitialWindowSize()),
                bytes("http2.max-frame-size", h2.getMaxFrameSize()),
                bytes("http2.max-header-list-size", h2.getMaxHeaderListSize()),
                h2.getResetBudget(),
                h2.getSettingsBudget(),
                h2.getPingBudget(),
                h2.getEmptyFrameBudget(),
                h2.getFloodWindow());
    }

    private boolean espIdf() {
        return properties.getDefaults() == HttpsServerProperties.Defaults.ESP_IDF;
    }

    /**
     * Applies a property ESP-IDF has a default for: always with httpsd's defaults (the builder
     * holds the same value), with ESP-IDF's only when the property is set, so ESP's preset stays.
     */
    private <T> void preset(String name, Function<HttpsServerProperties, T> property, Consumer<T> setter) {
        T value = property.apply(properties);
        if (!espIdf() || isSet(name, value, property.apply(httpsdDefaults))) {
            setter.accept(value);
        }
    }

    private boolean isSet(String name, Object value, Object httpsdDefault) {
        if (environment == null) {
            return !Objects.equals(value, httpsdDefault);
        }
        ConfigurationPropertyName key = ConfigurationPropertyName.of("https-server." + name);
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
            if (source.getConfigurationProperty(key) != null
                    || source.containsDescendantOf(key) == ConfigurationPropertyState.PRESENT) {
                return true;
            }
        }
        return false;
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
