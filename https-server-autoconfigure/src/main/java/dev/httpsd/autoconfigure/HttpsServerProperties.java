package dev.httpsd.autoconfigure;

import dev.httpsd.server.proxy.ForwardedHeaders;
import dev.httpsd.server.proxy.TrustedProxies;
import dev.httpsd.server.tls.ClientAuth;
import dev.httpsd.server.tls.SessionTicketKeys;
import dev.httpsd.server.tls.TlsEngine;
import dev.httpsd.server.tls.TransportMode;
import java.net.InetAddress;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;
import org.springframework.boot.convert.DurationUnit;
import org.springframework.util.unit.DataSize;

/**
 * Configuration of the httpsd server: ESP-IDF's {@code httpd_config_t} and {@code
 * httpd_ssl_config_t} fields under their own names in kebab-case, plus the limits a server on
 * the internet needs.
 */
@ConfigurationProperties("https-server")
public class HttpsServerProperties {

    /** Whether to start the server at all. */
    private boolean enabled = true;

    /** Defaults of the unset properties: httpsd's, or ESP-IDF's (HTTPD_SSL_CONFIG_DEFAULT limits, ESP's counting). */
    private Defaults defaults = Defaults.HTTPSD;

    /** SECURE serves TLS on port-secure; INSECURE serves plain HTTP on port-insecure (ESP transport_mode). */
    private TransportMode transportMode = TransportMode.SECURE;

    /** TLS port; 0 picks a free port, published as local.https-server.port (ESP port_secure, default 443). */
    private int portSecure = 8443;

    /**
     * Plain-HTTP port for INSECURE mode or the HTTPS redirect (ESP port_insecure, default 80); 8880, not
     * 8080, so that it never collides with Tomcat, Jetty or Netty from spring-boot-starter-web or -webflux.
     */
    private int portInsecure = 8880;

    /** Local address to bind; every address when unset. */
    private InetAddress address;

    /** Maximum concurrent sessions (ESP max_open_sockets, default 7). */
    private int maxOpenSockets = 10_000;

    /** Maximum registered URI handlers (ESP max_uri_handlers, default 8). */
    private int maxUriHandlers = 1024;

    /** Maximum extra headers per response (ESP max_resp_headers, default 8). */
    private int maxRespHeaders = 64;

    /** Listen backlog (ESP backlog_conn, default 5). */
    private int backlogConn = 1024;

    /** Close the least-recently-used idle session when all session slots are taken (ESP lru_purge_enable; true for HTTPS). */
    private boolean lruPurgeEnable = true;

    /** Longest wait for request bytes while a request is being read; a bare number is seconds (ESP recv_wait_timeout, default 5 s). */
    @DurationUnit(ChronoUnit.SECONDS)
    private Duration recvWaitTimeout = Duration.ofSeconds(20);

    /** Longest a response write may make no progress before the session is closed; a bare number is seconds (ESP send_wait_timeout, default 5 s). */
    @DurationUnit(ChronoUnit.SECONDS)
    private Duration sendWaitTimeout = Duration.ofSeconds(20);

    /** Largest request header block; more is answered 431 (ESP max_req_hdr_len, default 512 B). */
    private DataSize maxReqHdrLen = DataSize.ofKilobytes(8);

    /** Longest request target; more is answered 414 (ESP max_uri_len, default 512 B). */
    private DataSize maxUriLen = DataSize.ofKilobytes(8);

    /** Set SO_LINGER just before a session socket is closed (ESP enable_so_linger). */
    private boolean enableSoLinger = false;

    /** SO_LINGER timeout when enabled, in whole seconds; a bare number is seconds (ESP linger_timeout). */
    @DurationUnit(ChronoUnit.SECONDS)
    private Duration lingerTimeout = Duration.ZERO;

    /** TCP keep-alive probes on sessions; not HTTP keep-alive (ESP keep_alive_enable). */
    private boolean keepAliveEnable = false;

    /** TCP keep-alive idle time before the first probe, in whole seconds; a bare number is seconds (ESP keep_alive_idle). */
    @DurationUnit(ChronoUnit.SECONDS)
    private Duration keepAliveIdle = Duration.ofSeconds(5);

    /** TCP keep-alive interval between probes, in whole seconds; a bare number is seconds (ESP keep_alive_interval). */
    @DurationUnit(ChronoUnit.SECONDS)
    private Duration keepAliveInterval = Duration.ofSeconds(5);

    /** TCP keep-alive probes before the connection is dropped (ESP keep_alive_count). */
    private int keepAliveCount = 3;

    /** How handler URIs match request paths: exact, or ESP's wildcard matcher (ESP uri_match_fn); URI templates with {variables} work with both. */
    private UriMatch uriMatch = UriMatch.EXACT;

    /** How long a kept-alive connection may wait for its next request. */
    private Duration idleTimeout = Duration.ofSeconds(30);

    /** The whole request head must arrive within this time once it started; 408 otherwise. */
    private Duration headerReadTimeout = Duration.ofSeconds(20);

    /** Largest request body accepted (413 beyond); unlimited when unset. */
    private DataSize maxContentLength;

    /** Maximum request header fields; more is answered 431. */
    private int maxHeaderCount = 100;

    /** Unread request body discarded to keep a connection; a longer remainder closes it. */
    private DataSize maxDrainLength = DataSize.ofMegabytes(1);

    /** Largest WebSocket frame payload accepted; a longer frame closes the WebSocket with 1009. */
    private DataSize maxWsFrameLength = DataSize.ofMegabytes(16);

    /** Largest WebSocket message (all its fragments) accepted; a longer one closes the WebSocket with 1009. */
    private DataSize maxWsMessageLength = DataSize.ofMegabytes(64);

    /** Disable Nagle's algorithm on sessions. */
    private boolean tcpNoDelay = true;

    /** Let TLS clients resume sessions with tickets or session ids (ESP session_tickets, default false). */
    private boolean sessionTickets = true;

    /** A TLS handshake must finish within this time; a bare number is milliseconds (ESP tls_handshake_timeout_ms, default 10 s). */
    private Duration tlsHandshakeTimeout = Duration.ofSeconds(10);

    /** ALPN protocols offered in preference order (ESP alpn_protos). */
    private List<String> alpnProtocols = new ArrayList<>(List.of("http/1.1"));

    /** In SECURE mode, also listen on port-insecure and redirect every request to HTTPS. */
    private boolean redirectInsecure = false;

    /** Publish server events as Spring application events. */
    private boolean publishEvents = true;

    private final Ssl ssl = new Ssl();

    private final Forwarded forwarded = new Forwarded();

    private final ProxyProtocolProperties proxyProtocol = new ProxyProtocolProperties();

    private final Events events = new Events();

    private final AccessLog accessLog = new AccessLog();

    @NestedConfigurationProperty
    private final CorsProperties cors = new CorsProperties();

    @NestedConfigurationProperty
    private final CompressionProperties compression = new CompressionProperties();

    @NestedConfigurationProperty
    private final CodecProperties codec = new CodecProperties();

    @NestedConfigurationProperty
    private final HstsProperties hsts = new HstsProperties();

    @NestedConfigurationProperty
    private final Http2Properties http2 = new Http2Properties();

    /** Which defaults the properties that are not set take. */
    public enum Defaults {
        /** httpsd's: sized for a JVM server (the values in this class). */
        HTTPSD,
        /**
         * ESP-IDF's {@code HTTPD_SSL_CONFIG_DEFAULT()}, limits counted as ESP counts them: for
         * testing clients against what they meet on a device. Properties that are set still win.
         */
        ESP_IDF
    }

    /** URI matching strategies. */
    public enum UriMatch {
        /** Exact string equality (ESP default). */
        EXACT,
        /** ESP's httpd_uri_match_wildcard: trailing '*' and '?'. */
        WILDCARD
    }

    /**
     * The SSL bundle presented to clients asking for one server name (SNI), the shape of Spring
     * Boot's {@code server.ssl.server-name-bundles} entries.
     *
     * @param serverName a host name, or a wildcard such as {@code *.example.com}
     * @param bundle the name of a Spring Boot SSL bundle ({@code spring.ssl.bundle.*})
     */
    public record ServerNameBundle(String serverName, String bundle) {}

    /** A self-signed certificate for local development, served only when asked for. */
    public static class DevCertificate {

        /** Serve a generated self-signed localhost certificate when no other material is configured; never in production. */
        private boolean enabled = false;

        /** Where the development certificate is kept, so it stays the same across restarts. */
        private String directory = System.getProperty("user.home") + "/.httpsd";

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public String getDirectory() {
            return directory;
        }

        public void setDirectory(String directory) {
            this.directory = directory;
        }
    }

    /** TLS material and settings. */
    public static class Ssl {

        /** Server certificate chain: a PEM file or classpath location, or inline PEM (ESP servercert). */
        private String certificate;

        /** Server private key: a PEM file or classpath location, or inline PEM (ESP prvtkey_pem). */
        private String privateKey;

        /** Password of an encrypted private key. */
        private String privateKeyPassword;

        /** CA certificates that sign client certificates; setting them requires client certificates (ESP cacert_pem). */
        private String caCertificate;

        /**
         * Client certificate mode: none, want or need (Spring Boot's names), or ESP's optional and required;
         * need when a CA is set (ESP) and none otherwise.
         */
        private ClientAuth clientAuth;

        /** Name of a Spring Boot SSL bundle (spring.ssl.bundle.*) holding the server key and trust; reloads follow the bundle. */
        private String bundle;

        /** SSL bundles to present per requested server name (SNI): a list of server-name and bundle pairs, as server.ssl.server-name-bundles; a name may be a wildcard such as *.example.com. */
        private List<ServerNameBundle> serverNameBundles = new ArrayList<>();

        /** Enabled TLS protocol versions. */
        private List<String> protocols = new ArrayList<>(List.of("TLSv1.3", "TLSv1.2"));

        /** Enabled cipher suites in preference order; forward-secret AEAD suites when unset. */
        private List<String> cipherSuites = new ArrayList<>();

        /** Refuse to start with an expired or not-yet-valid certificate instead of warning. */
        private boolean failOnExpiredCertificate = false;

        /** TLS implementation: jdk (JSSE), or openssl (BoringSSL; add io.netty:netty-handler and io.netty:netty-tcnative-boringssl-static). */
        private TlsEngine engine = TlsEngine.JDK;

        private final DevCertificate devCertificate = new DevCertificate();

        private final TicketKeys sessionTicketKeys = new TicketKeys();

        public String getCertificate() {
            return certificate;
        }

        public void setCertificate(String certificate) {
            this.certificate = certificate;
        }

        public String getPrivateKey() {
            return privateKey;
        }

        public void setPrivateKey(String privateKey) {
            this.privateKey = privateKey;
        }

        public String getPrivateKeyPassword() {
            return privateKeyPassword;
        }

        public void setPrivateKeyPassword(String privateKeyPassword) {
            this.privateKeyPassword = privateKeyPassword;
        }

        public String getCaCertificate() {
            return caCertificate;
        }

        public void setCaCertificate(String caCertificate) {
            this.caCertificate = caCertificate;
        }

        public ClientAuth getClientAuth() {
            return clientAuth;
        }

        public void setClientAuth(ClientAuth clientAuth) {
            this.clientAuth = clientAuth;
        }

        public String getBundle() {
            return bundle;
        }

        public void setBundle(String bundle) {
            this.bundle = bundle;
        }

        public List<ServerNameBundle> getServerNameBundles() {
            return serverNameBundles;
        }

        public void setServerNameBundles(List<ServerNameBundle> serverNameBundles) {
            this.serverNameBundles = serverNameBundles;
        }

        public TlsEngine getEngine() {
            return engine;
        }

        public void setEngine(TlsEngine engine) {
            this.engine = engine;
        }

        public List<String> getProtocols() {
            return protocols;
        }

        public void setProtocols(List<String> protocols) {
            this.protocols = protocols;
        }

        public List<String> getCipherSuites() {
            return cipherSuites;
        }

        public void setCipherSuites(List<String> cipherSuites) {
            this.cipherSuites = cipherSuites;
        }

        public boolean isFailOnExpiredCertificate() {
            return failOnExpiredCertificate;
        }

        public void setFailOnExpiredCertificate(boolean failOnExpiredCertificate) {
            this.failOnExpiredCertificate = failOnExpiredCertificate;
        }

        public DevCertificate getDevCertificate() {
            return devCertificate;
        }

        public TicketKeys getSessionTicketKeys() {
            return sessionTicketKeys;
        }
    }

    /**
     * Session ticket keys shared by the instances of a fleet, so a client resumes its TLS session
     * on any of them (OpenSSL engine only).
     */
    public static class TicketKeys {

        /** Key files (paths, or file: locations): nginx format one 48-byte key per file, the first encrypting; haproxy format one file of base64 keys. Needs the openssl engine. */
        private List<String> files = new ArrayList<>();

        /** How the key files are written: nginx (ssl_session_ticket_key) or haproxy (tls-ticket-keys, the second-to-last line encrypts). */
        private SessionTicketKeys.Format format = SessionTicketKeys.Format.NGINX;

        /** Read the key files again when they change, after spring.ssl.bundle.watch.file.quiet-period without changes; a broken file keeps the keys in use. */
        private boolean reloadOnUpdate = false;

        public List<String> getFiles() {
            return files;
        }

        public void setFiles(List<String> files) {
            this.files = files;
        }

        public SessionTicketKeys.Format getFormat() {
            return format;
        }

        public void setFormat(SessionTicketKeys.Format format) {
            this.format = format;
        }

        public boolean isReloadOnUpdate() {
            return reloadOnUpdate;
        }

        public void setReloadOnUpdate(boolean reloadOnUpdate) {
            this.reloadOnUpdate = reloadOnUpdate;
        }
    }

    public Defaults getDefaults() {
        return defaults;
    }

    public void setDefaults(Defaults defaults) {
        this.defaults = defaults;
    }

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public TransportMode getTransportMode() {
        return transportMode;
    }

    public void setTransportMode(TransportMode transportMode) {
        this.transportMode = transportMode;
    }

    public int getPortSecure() {
        return portSecure;
    }

    public void setPortSecure(int portSecure) {
        this.portSecure = portSecure;
    }

    public int getPortInsecure() {
        return portInsecure;
    }

    public void setPortInsecure(int portInsecure) {
        this.portInsecure = portInsecure;
    }

    public InetAddress getAddress() {
        return address;
    }

    public void setAddress(InetAddress address) {
        this.address = address;
    }

    public int getMaxOpenSockets() {
        return maxOpenSockets;
    }

    public void setMaxOpenSockets(int maxOpenSockets) {
        this.maxOpenSockets = maxOpenSockets;
    }

    public int getMaxUriHandlers() {
        return maxUriHandlers;
    }

    public void setMaxUriHandlers(int maxUriHandlers) {
        this.maxUriHandlers = maxUriHandlers;
    }

    public int getMaxRespHeaders() {
        return maxRespHeaders;
    }

    public void setMaxRespHeaders(int maxRespHeaders) {
        this.maxRespHeaders = maxRespHeaders;
    }

    public int getBacklogConn() {
        return backlogConn;
    }

    public void setBacklogConn(int backlogConn) {
        this.backlogConn = backlogConn;
    }

    public boolean isLruPurgeEnable() {
        return lruPurgeEnable;
    }

    public void setLruPurgeEnable(boolean lruPurgeEnable) {
        this.lruPurgeEnable = lruPurgeEnable;
    }

    public Duration getRecvWaitTimeout() {
        return recvWaitTimeout;
    }

    public void setRecvWaitTimeout(Duration recvWaitTimeout) {
        this.recvWaitTimeout = recvWaitTimeout;
    }

    public Duration getSendWaitTimeout() {
        return sendWaitTimeout;
    }

    public void setSendWaitTimeout(Duration sendWaitTimeout) {
        this.sendWaitTimeout = sendWaitTimeout;
    }

    public DataSize getMaxReqHdrLen() {
        return maxReqHdrLen;
    }

    public void setMaxReqHdrLen(DataSize maxReqHdrLen) {
        this.maxReqHdrLen = maxReqHdrLen;
    }

    public DataSize getMaxUriLen() {
        return maxUriLen;
    }

    public void setMaxUriLen(DataSize maxUriLen) {
        this.maxUriLen = maxUriLen;
    }

    public boolean isEnableSoLinger() {
        return enableSoLinger;
    }

    public void setEnableSoLinger(boolean enableSoLinger) {
        this.enableSoLinger = enableSoLinger;
    }

    public Duration getLingerTimeout() {
        return lingerTimeout;
    }

    public void setLingerTimeout(Duration lingerTimeout) {
        this.lingerTimeout = lingerTimeout;
    }

    public boolean isKeepAliveEnable() {
        return keepAliveEnable;
    }

    public void setKeepAliveEnable(boolean keepAliveEnable) {
        this.keepAliveEnable = keepAliveEnable;
    }

    public Duration getKeepAliveIdle() {
        return keepAliveIdle;
    }

    public void setKeepAliveIdle(Duration keepAliveIdle) {
        this.keepAliveIdle = keepAliveIdle;
    }

    public Duration getKeepAliveInterval() {
        return keepAliveInterval;
    }

    public void setKeepAliveInterval(Duration keepAliveInterval) {
        this.keepAliveInterval = keepAliveInterval;
    }

    public int getKeepAliveCount() {
        return keepAliveCount;
    }

    public void setKeepAliveCount(int keepAliveCount) {
        this.keepAliveCount = keepAliveCount;
    }

    public UriMatch getUriMatch() {
        return uriMatch;
    }

    public void setUriMatch(UriMatch uriMatch) {
        this.uriMatch = uriMatch;
    }

    public Duration getIdleTimeout() {
        return idleTimeout;
    }

    public void setIdleTimeout(Duration idleTimeout) {
        this.idleTimeout = idleTimeout;
    }

    public Duration getHeaderReadTimeout() {
        return headerReadTimeout;
    }

    public void setHeaderReadTimeout(Duration headerReadTimeout) {
        this.headerReadTimeout = headerReadTimeout;
    }

    public DataSize getMaxContentLength() {
        return maxContentLength;
    }

    public void setMaxContentLength(DataSize maxContentLength) {
        this.maxContentLength = maxContentLength;
    }

    public int getMaxHeaderCount() {
        return maxHeaderCount;
    }

    public void setMaxHeaderCount(int maxHeaderCount) {
        this.maxHeaderCount = maxHeaderCount;
    }

    public DataSize getMaxDrainLength() {
        return maxDrainLength;
    }

    public void setMaxDrainLength(DataSize maxDrainLength) {
        this.maxDrainLength = maxDrainLength;
    }

    public DataSize getMaxWsFrameLength() {
        return maxWsFrameLength;
    }

    public void setMaxWsFrameLength(DataSize maxWsFrameLength) {
        this.maxWsFrameLength = maxWsFrameLength;
    }

    public DataSize getMaxWsMessageLength() {
        return maxWsMessageLength;
    }

    public void setMaxWsMessageLength(DataSize maxWsMessageLength) {
        this.maxWsMessageLength = maxWsMessageLength;
    }

    public boolean isTcpNoDelay() {
        return tcpNoDelay;
    }

    public void setTcpNoDelay(boolean tcpNoDelay) {
        this.tcpNoDelay = tcpNoDelay;
    }

    public boolean isSessionTickets() {
        return sessionTickets;
    }

    public void setSessionTickets(boolean sessionTickets) {
        this.sessionTickets = sessionTickets;
    }

    public Duration getTlsHandshakeTimeout() {
        return tlsHandshakeTimeout;
    }

    public void setTlsHandshakeTimeout(Duration tlsHandshakeTimeout) {
        this.tlsHandshakeTimeout = tlsHandshakeTimeout;
    }

    public List<String> getAlpnProtocols() {
        return alpnProtocols;
    }

    public void setAlpnProtocols(List<String> alpnProtocols) {
        this.alpnProtocols = alpnProtocols;
    }

    public boolean isRedirectInsecure() {
        return redirectInsecure;
    }

    public void setRedirectInsecure(boolean redirectInsecure) {
        this.redirectInsecure = redirectInsecure;
    }

    public boolean isPublishEvents() {
        return publishEvents;
    }

    public void setPublishEvents(boolean publishEvents) {
        this.publishEvents = publishEvents;
    }

    public Ssl getSsl() {
        return ssl;
    }

    public CorsProperties getCors() {
        return cors;
    }

    public CompressionProperties getCompression() {
        return compression;
    }

    public CodecProperties getCodec() {
        return codec;
    }

    public Http2Properties getHttp2() {
        return http2;
    }

    public HstsProperties getHsts() {
        return hsts;
    }

    public Forwarded getForwarded() {
        return forwarded;
    }

    public ProxyProtocolProperties getProxyProtocol() {
        return proxyProtocol;
    }

    /** The PROXY protocol (v1 and v2) on the server's listeners, for TCP (L4) balancers. */
    public static class ProxyProtocolProperties {

        /** Require a PROXY protocol header (v1 or v2) at the start of every connection, before TLS; connections without a valid one, or from outside trusted-sources, are closed unserved. */
        private boolean enabled = false;

        /** The balancers allowed to send the header, as CIDR blocks or single addresses; required when enabled. */
        private List<String> trustedSources = new ArrayList<>();

        /** The whole header must arrive within this time after the connection opens. */
        private Duration headerTimeout = Duration.ofSeconds(3);

        /** Largest version 2 header accepted, TLVs included (version 1 lines are at most 107 bytes). */
        private DataSize maxHeaderSize = DataSize.ofKilobytes(2);

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public List<String> getTrustedSources() {
            return trustedSources;
        }

        public void setTrustedSources(List<String> trustedSources) {
            this.trustedSources = trustedSources;
        }

        public Duration getHeaderTimeout() {
            return headerTimeout;
        }

        public void setHeaderTimeout(Duration headerTimeout) {
            this.headerTimeout = headerTimeout;
        }

        public DataSize getMaxHeaderSize() {
            return maxHeaderSize;
        }

        public void setMaxHeaderSize(DataSize maxHeaderSize) {
            this.maxHeaderSize = maxHeaderSize;
        }
    }

    /**
     * Whose forwarded headers count, and which ones, when Spring Boot's {@code
     * server.forward-headers-strategy} is {@code native}.
     */
    public static class Forwarded {

        /** Peers whose forwarded headers are believed, as CIDR blocks or single addresses; by default loopback and the private networks, as Tomcat's internal-proxies. Also skipped when walking X-Forwarded-For from the right to find the client. */
        private List<String> trustedProxies = new ArrayList<>(TrustedProxies.PRIVATE_NETWORKS);

        /** Which header family the proxies write: x-forwarded (X-Forwarded-For, -Proto, -Host, -Port) or forwarded (RFC 7239); never both. */
        private ForwardedHeaders.Source headers = ForwardedHeaders.Source.X_FORWARDED;

        public List<String> getTrustedProxies() {
            return trustedProxies;
        }

        public void setTrustedProxies(List<String> trustedProxies) {
            this.trustedProxies = trustedProxies;
        }

        public ForwardedHeaders.Source getHeaders() {
            return headers;
        }

        public void setHeaders(ForwardedHeaders.Source headers) {
            this.headers = headers;
        }
    }

    public Events getEvents() {
        return events;
    }

    public AccessLog getAccessLog() {
        return accessLog;
    }

    /** Which server events become Spring events (with publish-events on). */
    public static final class Events {

        /** Server events to publish as Spring events: all, http, https, or ESP event names such as HTTPS_SERVER_EVENT_ON_DATA; when empty, the events a listener asks for by type (a catch-all ApplicationListener of ApplicationEvent or Object does not count). */
        private List<String> publish = new ArrayList<>();

        public List<String> getPublish() {
            return publish;
        }

        public void setPublish(List<String> publish) {
            this.publish = publish;
        }
    }

    /** The access log. */
    public static final class AccessLog {

        /** Log one line per completed request, server error responses included, to the logger dev.httpsd.access: the combined log format plus session id, TLS protocol and cipher suite, and duration. */
        private boolean enabled = false;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }
    }
}
