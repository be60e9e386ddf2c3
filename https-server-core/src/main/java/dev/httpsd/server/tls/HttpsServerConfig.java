package dev.httpsd.server.tls;

import dev.httpsd.server.HttpServerConfig;
import dev.httpsd.server.InvalidConfigException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLContext;

/**
 * Immutable HTTPS server configuration: an equivalent of every {@code httpd_ssl_config_t} field.
 * Build with {@link #builder()}; every default is set there.
 *
 * <p>ESP fields with no JVM meaning: {@code use_ecdsa_peripheral}, {@code ecdsa_key_efuse_blk*},
 * {@code ecdsa_curve}, {@code use_secure_element} (hardware key storage) and {@code ssl_userdata}
 * (capture what the {@link CertificateSelector} needs instead).
 *
 * @param httpd every HTTP setting; its {@code serverPort} is replaced by {@code portSecure} or
 *     {@code portInsecure}, and in SECURE mode its open/close hooks run inside the TLS ones.
 *     Default: {@link HttpServerConfig}'s defaults with {@code lruPurgeEnable} on, as ESP's
 *     {@code HTTPD_SSL_CONFIG_DEFAULT}.
 * @param transportMode SECURE (TLS) or INSECURE (plain HTTP, no TLS objects at all). ESP: SECURE.
 * @param portSecure the TLS port; 0 picks a free one. ESP: 443. Ours: 8443.
 * @param portInsecure the plain-HTTP port (INSECURE mode, or the redirect listener). ESP: 80.
 *     Ours: 8080.
 * @param serverKey the server certificate chain and key ({@code servercert} + {@code prvtkey_pem})
 * @param sniKeys certificates chosen by the server name the client asks for (SNI); keys are host
 *     names, optionally {@code *.example.com}. Not in ESP (use {@code cert_select_cb} there).
 * @param certificateSelector {@code cert_select_cb}: picks a certificate per handshake
 * @param sslContext a ready {@link SSLContext} used instead of the material above; with {@code
 *     sessionTickets} false, create it after {@link HttpsServer} was first used (see "JVM-wide
 *     JSSE settings" there)
 * @param caCertificates CAs that sign client certificates ({@code cacert_pem}); setting them turns
 *     on client authentication
 * @param clientAuth NONE, OPTIONAL or REQUIRED; with CA certificates ESP requires a client
 *     certificate, {@code client_cert_authmode_optional} makes it OPTIONAL
 * @param protocols enabled TLS versions. ESP: any the library offers. Ours: TLSv1.3, TLSv1.2.
 * @param cipherSuites enabled cipher suites, in preference order. Ours: forward-secret AEAD suites
 *     only.
 * @param sessionTickets let clients resume sessions (TLS 1.3 tickets, TLS 1.2 session ids),
 *     per server; resumption is stateful, see "JVM-wide JSSE settings" in {@link HttpsServer}.
 *     ESP: false. Ours: true.
 * @param alpnProtocols ALPN protocols offered, in preference order ({@code alpn_protos}). Ours:
 *     {@code http/1.1}.
 * @param handshakeTimeout a TLS handshake must finish within this time ({@code
 *     tls_handshake_timeout_ms}). ESP and ours: 10 s.
 * @param sessionCallback {@code user_cb}: called on session CREATE, CLOSE and ERROR
 * @param failOnExpiredCertificate refuse to start with an expired or not-yet-valid certificate;
 *     when false a loud warning is logged. Not in ESP. Ours: false.
 * @param redirectInsecure in SECURE mode, also listen on {@code portInsecure} and redirect every
 *     request there to HTTPS; that listener posts no events and tells the request observer
 *     nothing. Not in ESP. Ours: false.
 * @param engine the TLS implementation: {@link TlsEngine#JDK} (JSSE) or {@link TlsEngine#OPENSSL}
 *     (BoringSSL, optional dependencies; not with {@code sslContext}). Not in ESP. Ours: JDK.
 * @param sessionTicketKeys the keys session tickets are encrypted under, shared by the instances of
 *     a fleet so a client resumes on any of them; {@link TlsEngine#OPENSSL} only, with {@code
 *     sessionTickets} on. Not in ESP. Ours: none (BoringSSL makes its own per server, JSSE
 *     resumes from its session cache).
 * @param sessionTicketKeyFiles the same keys read from files when the server starts, and again
 *     when they change if a reload quiet period is set; instead of {@code sessionTicketKeys}. Not
 *     in ESP. Ours: none.
 */
public record HttpsServerConfig(
        HttpServerConfig httpd,
        TransportMode transportMode,
        int portSecure,
        int portInsecure,
        KeyMaterial serverKey,
        Map<String, KeyMaterial> sniKeys,
        CertificateSelector certificateSelector,
        SSLContext sslContext,
        List<X509Certificate> caCertificates,
        ClientAuth clientAuth,
        List<String> protocols,
        List<String> cipherSuites,
        boolean sessionTickets,
        List<String> alpnProtocols,
        Duration handshakeTimeout,
        TlsSessionCallback sessionCallback,
        boolean failOnExpiredCertificate,
        boolean redirectInsecure,
        TlsEngine engine,
        SessionTicketKeys sessionTicketKeys,
        SessionTicketKeyFiles sessionTicketKeyFiles) {

    /** Forward-secret AEAD suites: TLS 1.3's three, and ECDHE with GCM or ChaCha20 for TLS 1.2. */
    public static final List<String> DEFAULT_CIPHER_SUITES = List.of(
            "TLS_AES_128_GCM_SHA256",
            "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

    public static final List<String> DEFAULT_PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    private static final List<String> KNOWN_PROTOCOLS = List.of("TLSv1.3", "TLSv1.2", "TLSv1.1", "TLSv1");

    public HttpsServerConfig {
        Objects.requireNonNull(httpd, "httpd");
        Objects.requireNonNull(transportMode, "transportMode");
        requirePort("portSecure", portSecure);
        requirePort("portInsecure", portInsecure);
        sniKeys = Map.copyOf(sniKeys == null ? Map.of() : lowerCaseKeys(sniKeys));
        caCertificates = List.copyOf(caCertificates == null ? List.of() : caCertificates);
        protocols = List.copyOf(Objects.requireNonNull(protocols, "protocols"));
        cipherSuites = List.copyOf(Objects.requireNonNull(cipherSuites, "cipherSuites"));
        alpnProtocols = List.copyOf(Objects.requireNonNull(alpnProtocols, "alpnProtocols"));
        Objects.requireNonNull(clientAuth, "clientAuth");
        Objects.requireNonNull(engine, "engine");
        if (protocols.isEmpty()) {
            throw invalid("protocols", protocols, "at least one protocol is needed");
        }
        for (String protocol : protocols) {
            if (!KNOWN_PROTOCOLS.contains(protocol)) {
                throw invalid("protocols", protocols, "unknown protocol '" + protocol + "', use " + KNOWN_PROTOCOLS);
            }
        }
        if (cipherSuites.isEmpty()) {
            throw invalid("cipherSuites", cipherSuites, "at least one cipher suite is needed");
        }
        if (handshakeTimeout == null || handshakeTimeout.isNegative() || handshakeTimeout.isZero()) {
            throw invalid("handshakeTimeout", handshakeTimeout, "must be a positive duration");
        }
        if (transportMode == TransportMode.SECURE) {
            if (sslContext == null && serverKey == null && certificateSelector == null && sniKeys.isEmpty()) {
                throw new TlsMaterialException(
                        TlsMaterialException.Reason.MISSING,
                        null,
                        "no server certificate supplied: set serverKey, sniKeys, certificateSelector or sslContext");
            }
            if (sslContext != null
                    && (serverKey != null
                            || !sniKeys.isEmpty()
                            || certificateSelector != null
                            || !caCertificates.isEmpty())) {
                throw invalid(
                        "sslContext",
                        sslContext,
                        "a ready SSLContext carries its own keys and trust: do not also set serverKey, sniKeys, certificateSelector or caCertificates");
            }
            if (sslContext != null && engine != TlsEngine.JDK) {
                throw invalid(
                        "engine",
                        engine,
                        "a ready SSLContext is the JDK's own TLS and works only with the JDK engine: give"
                                + " serverKey, sniKeys or certificateSelector (and caCertificates) instead");
            }
            if (clientAuth != ClientAuth.NONE && caCertificates.isEmpty() && sslContext == null) {
                throw invalid(
                        "clientAuth", clientAuth, "client authentication needs caCertificates to verify clients with");
            }
            checkTicketKeys(sessionTicketKeys, sessionTicketKeyFiles, engine, sessionTickets);
            if (httpd.globalTransportContext() != null) {
                throw new IllegalStateException(
                        "httpd.globalTransportContext should not be used with esp_https_server: the HTTPS layer owns it");
            }
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder preset to ESP-IDF's {@code HTTPD_SSL_CONFIG_DEFAULT()}: the HTTP settings of
     * {@link HttpServerConfig#espIdfDefaults()} with 4 sessions and LRU purge on, no session
     * tickets and no ALPN. Values set on the builder afterwards win ({@code httpd(h -> …)} changes
     * the preset HTTP settings). The ports stay ours (8443 and 8080): ESP's 443 and 80 need
     * privileges on most systems. TLS versions and cipher suites stay ours too (mbedTLS's defaults
     * differ by build).
     */
    public static Builder espIdfDefaults() {
        return new Builder()
                .httpd(HttpServerConfig.espIdfDefaults()
                        .maxOpenSockets(4)
                        .lruPurgeEnable(true)
                        .build())
                .sessionTickets(false)
                .alpnProtocols(List.of());
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    private static Map<String, KeyMaterial> lowerCaseKeys(Map<String, KeyMaterial> map) {
        Map<String, KeyMaterial> lower = new LinkedHashMap<>();
        map.forEach((name, key) -> lower.put(name.toLowerCase(Locale.ROOT), Objects.requireNonNull(key, name)));
        return lower;
    }

    private static void checkTicketKeys(
            SessionTicketKeys keys, SessionTicketKeyFiles files, TlsEngine engine, boolean sessionTickets) {
        if (keys == null && files == null) {
            return;
        }
        String field = keys != null ? "sessionTicketKeys" : "sessionTicketKeyFiles";
        Object value = keys != null ? keys : files;
        if (keys != null && files != null) {
            throw invalid(field, value, "set either sessionTicketKeys or sessionTicketKeyFiles, not both");
        }
        if (engine != TlsEngine.OPENSSL) {
            throw invalid(field, value, TlsContext.JDK_TICKET_KEYS);
        }
        if (!sessionTickets) {
            throw invalid(field, value, "session ticket keys need sessionTickets on");
        }
    }

    private static void requirePort(String field, int port) {
        if (port < 0 || port > 65535) {
            throw invalid(field, port, "must be between 0 and 65535");
        }
    }

    private static InvalidConfigException invalid(String field, Object value, String rule) {
        return new InvalidConfigException("HttpsServerConfig", field, value, rule);
    }

    /**
     * The ALPN protocols the server offers: {@link #alpnProtocols}, with {@code h2} first when
     * {@code httpd().http2()} enables HTTP/2 (and the list offers any protocol at all).
     */
    public List<String> offeredApplicationProtocols() {
        if (!httpd.http2().enabled() || alpnProtocols.isEmpty() || alpnProtocols.contains("h2")) {
            return alpnProtocols;
        }
        List<String> offered = new java.util.ArrayList<>(alpnProtocols.size() + 1);
        offered.add("h2");
        offered.addAll(alpnProtocols);
        return List.copyOf(offered);
    }

    /** Builds {@link HttpsServerConfig}; every default lives here. */
    public static final class Builder {
        // ESP's HTTPD_SSL_CONFIG_DEFAULT turns LRU purge on: TLS sessions are costly to hold
        private HttpServerConfig httpd =
                HttpServerConfig.builder().lruPurgeEnable(true).build();
        private TransportMode transportMode = TransportMode.SECURE;
        private int portSecure = 8443;
        private int portInsecure = 8080;
        private KeyMaterial serverKey;
        private Map<String, KeyMaterial> sniKeys = new LinkedHashMap<>();
        private CertificateSelector certificateSelector;
        private SSLContext sslContext;
        private List<X509Certificate> caCertificates = List.of();
        private ClientAuth clientAuth;
        private List<String> protocols = DEFAULT_PROTOCOLS;
        private List<String> cipherSuites = DEFAULT_CIPHER_SUITES;
        private boolean sessionTickets = true;
        private List<String> alpnProtocols = List.of("http/1.1");
        private Duration handshakeTimeout = Duration.ofSeconds(10);
        private TlsSessionCallback sessionCallback;
        private boolean failOnExpiredCertificate;
        private boolean redirectInsecure;
        private TlsEngine engine = TlsEngine.JDK;
        private SessionTicketKeys sessionTicketKeys;
        private SessionTicketKeyFiles sessionTicketKeyFiles;

        private Builder() {}

        private Builder(HttpsServerConfig c) {
            httpd = c.httpd;
            transportMode = c.transportMode;
            portSecure = c.portSecure;
            portInsecure = c.portInsecure;
            serverKey = c.serverKey;
            sniKeys = new LinkedHashMap<>(c.sniKeys);
            certificateSelector = c.certificateSelector;
            sslContext = c.sslContext;
            caCertificates = c.caCertificates;
            clientAuth = c.clientAuth;
            protocols = c.protocols;
            cipherSuites = c.cipherSuites;
            sessionTickets = c.sessionTickets;
            alpnProtocols = c.alpnProtocols;
            handshakeTimeout = c.handshakeTimeout;
            sessionCallback = c.sessionCallback;
            failOnExpiredCertificate = c.failOnExpiredCertificate;
            redirectInsecure = c.redirectInsecure;
            engine = c.engine;
            sessionTicketKeys = c.sessionTicketKeys;
            sessionTicketKeyFiles = c.sessionTicketKeyFiles;
        }

        public Builder httpd(HttpServerConfig httpd) {
            this.httpd = httpd;
            return this;
        }

        /** Changes the HTTP settings set so far, e.g. {@code httpd(h -> h.eventListener(listener))}. */
        public Builder httpd(UnaryOperator<HttpServerConfig.Builder> change) {
            this.httpd = change.apply(httpd.toBuilder()).build();
            return this;
        }

        public Builder transportMode(TransportMode transportMode) {
            this.transportMode = transportMode;
            return this;
        }

        public Builder portSecure(int portSecure) {
            this.portSecure = portSecure;
            return this;
        }

        public Builder portInsecure(int portInsecure) {
            this.portInsecure = portInsecure;
            return this;
        }

        public Builder serverKey(KeyMaterial serverKey) {
            this.serverKey = serverKey;
            return this;
        }

        /** Adds a certificate for one server name (SNI), e.g. {@code api.example.com} or {@code *.example.com}. */
        public Builder sniKey(String serverName, KeyMaterial key) {
            this.sniKeys.put(serverName, key);
            return this;
        }

        public Builder sniKeys(Map<String, KeyMaterial> sniKeys) {
            this.sniKeys = new LinkedHashMap<>(sniKeys);
            return this;
        }

        public Builder certificateSelector(CertificateSelector certificateSelector) {
            this.certificateSelector = certificateSelector;
            return this;
        }

        public Builder sslContext(SSLContext sslContext) {
            this.sslContext = sslContext;
            return this;
        }

        public Builder caCertificates(List<X509Certificate> caCertificates) {
            this.caCertificates = caCertificates == null ? List.of() : caCertificates;
            return this;
        }

        /** CA certificates from PEM text ({@code cacert_pem}). */
        public Builder caCertificatesPem(String pem) {
            return caCertificates(PemReader.certificates(pem, "inline CA PEM"));
        }

        /** CA certificates from a PEM file. */
        public Builder caCertificatesFile(Path file) {
            return caCertificates(PemReader.certificates(KeyMaterial.read(file), file.toString()));
        }

        /** Overrides the client authentication mode; by default it follows {@code caCertificates}. */
        public Builder clientAuth(ClientAuth clientAuth) {
            this.clientAuth = clientAuth;
            return this;
        }

        public Builder protocols(List<String> protocols) {
            this.protocols = protocols;
            return this;
        }

        public Builder cipherSuites(List<String> cipherSuites) {
            this.cipherSuites = cipherSuites;
            return this;
        }

        public Builder sessionTickets(boolean sessionTickets) {
            this.sessionTickets = sessionTickets;
            return this;
        }

        public Builder alpnProtocols(List<String> alpnProtocols) {
            this.alpnProtocols = alpnProtocols;
            return this;
        }

        public Builder handshakeTimeout(Duration handshakeTimeout) {
            this.handshakeTimeout = handshakeTimeout;
            return this;
        }

        public Builder sessionCallback(TlsSessionCallback sessionCallback) {
            this.sessionCallback = sessionCallback;
            return this;
        }

        public Builder failOnExpiredCertificate(boolean failOnExpiredCertificate) {
            this.failOnExpiredCertificate = failOnExpiredCertificate;
            return this;
        }

        public Builder redirectInsecure(boolean redirectInsecure) {
            this.redirectInsecure = redirectInsecure;
            return this;
        }

        /**
         * The TLS implementation; {@link TlsEngine#OPENSSL} needs its optional dependencies on the
         * class path, or the server refuses to start and names them.
         */
        public Builder engine(TlsEngine engine) {
            this.engine = engine;
            return this;
        }

        /**
         * Session ticket keys shared by the instances of a fleet (OpenSSL engine only); {@code
         * null} for none. {@link HttpsServer#reloadTicketKeys} replaces them at run time.
         */
        public Builder sessionTicketKeys(SessionTicketKeys sessionTicketKeys) {
            this.sessionTicketKeys = sessionTicketKeys;
            return this;
        }

        /**
         * Session ticket keys read from files at start, and again when they change if {@link
         * SessionTicketKeyFiles#reloadedAfter} set a quiet period (OpenSSL engine only); {@code
         * null} for none.
         */
        public Builder sessionTicketKeyFiles(SessionTicketKeyFiles sessionTicketKeyFiles) {
            this.sessionTicketKeyFiles = sessionTicketKeyFiles;
            return this;
        }

        /**
         * @throws InvalidConfigException naming the first invalid field
         * @throws TlsMaterialException when SECURE mode has no certificate
         */
        public HttpsServerConfig build() {
            ClientAuth resolved =
                    clientAuth != null ? clientAuth : caCertificates.isEmpty() ? ClientAuth.NONE : ClientAuth.REQUIRED;
            return new HttpsServerConfig(
                    httpd,
                    transportMode,
                    portSecure,
                    portInsecure,
                    serverKey,
                    sniKeys,
                    certificateSelector,
                    sslContext,
                    caCertificates,
                    resolved,
                    protocols,
                    cipherSuites,
                    sessionTickets,
                    alpnProtocols,
                    handshakeTimeout,
                    sessionCallback,
                    failOnExpiredCertificate,
                    redirectInsecure,
                    engine,
                    sessionTicketKeys,
                    sessionTicketKeyFiles);
        }
    }
}
