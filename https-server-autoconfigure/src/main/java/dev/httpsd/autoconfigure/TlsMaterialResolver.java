package dev.httpsd.autoconfigure;

import dev.httpsd.server.tls.ClientAuth;
import dev.httpsd.server.tls.HttpsServer;
import dev.httpsd.server.tls.HttpsServerConfig;
import dev.httpsd.server.tls.KeyMaterial;
import dev.httpsd.server.tls.TlsMaterialException;
import dev.httpsd.server.tls.TransportMode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundleRegistry;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.ssl.SslOptions;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;
import org.springframework.util.StringUtils;

/**
 * Turns {@code https-server.ssl.*} into TLS material: ESP-style PEM locations or inline PEM, a
 * Spring Boot SSL bundle (with SNI bundles and reload), or, only when nothing else supplies a
 * certificate and {@code https-server.ssl.dev-certificate.enabled} asks for it, the development
 * certificate; and the session ticket key files ({@link TicketKeyFilesResolver}). The certificates the server presents that no {@code spring.ssl} bundle holds are
 * registered in Boot's SSL bundle registry as {@link PresentedCertificatesBundle#NAME}.
 */
final class TlsMaterialResolver {

    private static final Log LOG = LogFactory.getLog(TlsMaterialResolver.class);

    private final HttpsServerProperties properties;
    private final SslBundles bundles;
    private final ResourceLoader resources;
    /** The materials read from SSL bundles, which Boot's registry reports already (weak: reloads replace them). */
    private final Set<KeyMaterial> fromBundles =
            Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

    private volatile HttpsServer following;
    /** The development certificate handed out last, or null when none was. */
    private volatile KeyMaterial development;

    private boolean followingBundles;
    private boolean registered;
    private final AtomicReference<CertificateReloadStatus> reloadStatus =
            new AtomicReference<>(CertificateReloadStatus.NONE);

    /** How long ticket key files must be quiet before they are read again: Boot's bundle watcher's. */
    private final Duration ticketKeyQuietPeriod;

    TlsMaterialResolver(HttpsServerProperties properties, SslBundles bundles, ResourceLoader resources) {
        this(properties, bundles, resources, DEFAULT_QUIET_PERIOD);
    }

    TlsMaterialResolver(
            HttpsServerProperties properties,
            SslBundles bundles,
            ResourceLoader resources,
            Duration ticketKeyQuietPeriod) {
        this.properties = properties;
        this.bundles = bundles;
        this.resources = resources;
        this.ticketKeyQuietPeriod = ticketKeyQuietPeriod;
    }

    /** The default of {@code spring.ssl.bundle.watch.file.quiet-period}. */
    static final Duration DEFAULT_QUIET_PERIOD = Duration.ofSeconds(10);

    void apply(HttpsServerConfig.Builder builder) {
        HttpsServerProperties.Ssl ssl = properties.getSsl();
        builder.clientAuth(ssl.getClientAuth());
        if (!ssl.getServerNameBundles().isEmpty()) {
            builder.sniKeys(sniKeys());
        }
        boolean pem = StringUtils.hasText(ssl.getCertificate()) || StringUtils.hasText(ssl.getPrivateKey());
        if (StringUtils.hasText(ssl.getBundle())) {
            if (pem) {
                throw new TlsMaterialException(
                        TlsMaterialException.Reason.MISSING,
                        "https-server.ssl",
                        "set either https-server.ssl.bundle or https-server.ssl.certificate/private-key, not both");
            }
            SslBundle bundle = bundle(ssl.getBundle());
            builder.serverKey(keyOf(bundle, ssl.getBundle()));
            if (ssl.getClientAuth() != null && ssl.getClientAuth() != ClientAuth.NONE) {
                builder.caCertificates(trustOf(bundle, ssl.getBundle()));
            }
            applyOptions(builder, bundle.getOptions());
        } else if (pem) {
            builder.serverKey(pemKey(ssl));
        }
        if (StringUtils.hasText(ssl.getCaCertificate())) {
            builder.caCertificatesPem(read(ssl.getCaCertificate(), "https-server.ssl.ca-certificate"));
        }
        builder.sessionTicketKeyFiles(
                TicketKeyFilesResolver.resolve(ssl.getSessionTicketKeys(), resources, ticketKeyQuietPeriod));
    }

    /**
     * The certificate to serve when neither the properties nor a customizer supplied any: the
     * development certificate when it is enabled.
     *
     * @throws TlsMaterialException naming the properties that supply a certificate, when the
     *     development certificate is not enabled
     */
    KeyMaterial developmentCertificate() {
        HttpsServerProperties.DevCertificate dev = properties.getSsl().getDevCertificate();
        if (!dev.isEnabled()) {
            throw new TlsMaterialException(
                    TlsMaterialException.Reason.MISSING,
                    "https-server.ssl",
                    "no server certificate is configured for HTTPS (transport-mode secure)");
        }
        KeyMaterial key = DevelopmentCertificate.loadOrCreate(Path.of(dev.getDirectory()));
        development = key;
        return key;
    }

    /** Whether {@code server} presents the development certificate to new handshakes now. */
    boolean servesDevelopmentCertificate(HttpsServer server) {
        KeyMaterial dev = development;
        return dev != null
                && server.serverKey()
                        .filter(key -> key.certificate().equals(dev.certificate()))
                        .isPresent();
    }

    /**
     * Follows bundle updates: a reloaded bundle hot-swaps the running server's certificates. The
     * handlers are registered once; after a stop and start they serve the new server.
     */
    void followBundleUpdates(HttpsServer server) {
        HttpsServerProperties.Ssl ssl = properties.getSsl();
        following = server;
        if (bundles == null || server.transportMode() != TransportMode.SECURE) {
            return;
        }
        registerPresentedCertificates();
        if (followingBundles) {
            return;
        }
        followingBundles = true;
        List<String> names = new ArrayList<>(ssl.getServerNameBundles().stream()
                .map(HttpsServerProperties.ServerNameBundle::bundle)
                .toList());
        if (StringUtils.hasText(ssl.getBundle())) {
            names.add(ssl.getBundle());
        }
        for (String name : names.stream().distinct().toList()) {
            bundles.addBundleUpdateHandler(name, updated -> {
                HttpsServer current = following;
                if (current != null && !current.httpServer().isStopped()) {
                    reloadKeepingTheOldOnFailure(current, name);
                }
            });
        }
    }

    /** The reloads bundle updates asked for so far, and how they ended. */
    CertificateReloadStatus reloadStatus() {
        return reloadStatus.get();
    }

    /**
     * A bundle whose files were rewritten may hold material the server cannot use (a certificate
     * written before its key, an expired chain): the server then keeps presenting what it had, and
     * the failure is logged, counted and shown in health instead of being thrown into Spring's file
     * watcher thread, which would log it as an unexpected error.
     */
    private void reloadKeepingTheOldOnFailure(HttpsServer server, String bundleName) {
        try {
            reload(server);
            reloadStatus.updateAndGet(status -> status.success(Instant.now()));
        } catch (RuntimeException e) {
            String reason = "SSL bundle '" + bundleName + "': " + e.getMessage();
            // logged before it is counted: whoever sees the failure in health or metrics finds the log
            LOG.warn("Reloading the TLS material failed, so new handshakes still get the certificate "
                    + server.serverKey()
                            .map(TlsMaterialResolver::describeCertificate)
                            .orElse("presented before") + ". "
                    + reason);
            reloadStatus.updateAndGet(status -> status.failure(Instant.now(), reason));
        }
    }

    private static String describeCertificate(KeyMaterial key) {
        X509Certificate certificate = key.certificate();
        return "'" + certificate.getSubjectX500Principal().getName() + "' (serial "
                + certificate.getSerialNumber().toString(16) + ", valid until "
                + certificate.getNotAfter().toInstant() + ")";
    }

    /**
     * Registers {@link PresentedCertificatesBundle} once the server presents a certificate that no
     * SSL bundle holds; afterwards it follows the server (restarts and reloads included). Boot's
     * {@code SslBundles} bean is its registry ({@code DefaultSslBundleRegistry}).
     */
    private void registerPresentedCertificates() {
        if (registered || !(bundles instanceof SslBundleRegistry registry)) {
            return;
        }
        PresentedCertificatesBundle presented =
                new PresentedCertificatesBundle(() -> following, material -> !fromBundles.contains(material));
        if (presented.chains().isEmpty()) {
            return;
        }
        registered = true;
        if (bundles.getBundleNames().contains(PresentedCertificatesBundle.NAME)) {
            LOG.warn("An SSL bundle named '" + PresentedCertificatesBundle.NAME + "' exists already: the"
                    + " certificates httpsd presents are not registered under that name, so Spring Boot's ssl"
                    + " health and info do not cover them");
            return;
        }
        registry.registerBundle(PresentedCertificatesBundle.NAME, presented);
    }

    private void reload(HttpsServer server) {
        HttpsServerProperties.Ssl ssl = properties.getSsl();
        KeyMaterial serverKey = StringUtils.hasText(ssl.getBundle())
                ? keyOf(bundle(ssl.getBundle()), ssl.getBundle())
                : server.config().serverKey();
        List<X509Certificate> ca = StringUtils.hasText(ssl.getBundle())
                        && ssl.getClientAuth() != null
                        && ssl.getClientAuth() != ClientAuth.NONE
                ? trustOf(bundle(ssl.getBundle()), ssl.getBundle())
                : server.config().caCertificates();
        server.reload(serverKey, sniKeys(), ca);
    }

    private Map<String, KeyMaterial> sniKeys() {
        Map<String, KeyMaterial> keys = new LinkedHashMap<>();
        List<HttpsServerProperties.ServerNameBundle> entries =
                properties.getSsl().getServerNameBundles();
        for (int i = 0; i < entries.size(); i++) {
            HttpsServerProperties.ServerNameBundle entry = entries.get(i);
            String property = "https-server.ssl.server-name-bundles[" + i + "]";
            if (!StringUtils.hasText(entry.serverName()) || !StringUtils.hasText(entry.bundle())) {
                throw new InvalidConfigurationPropertyValueException(
                        property, entry, "each entry needs both server-name and bundle");
            }
            if (keys.containsKey(entry.serverName())) {
                throw new InvalidConfigurationPropertyValueException(
                        property + ".server-name", entry.serverName(), "the server name is listed twice");
            }
            keys.put(entry.serverName(), keyOf(bundle(entry.bundle()), entry.bundle()));
        }
        return keys;
    }

    private SslBundle bundle(String name) {
        if (bundles == null) {
            throw new TlsMaterialException(
                    TlsMaterialException.Reason.MISSING,
                    "https-server.ssl.bundle",
                    "SSL bundle '" + name + "' is configured but no SslBundles bean exists");
        }
        return bundles.getBundle(name);
    }

    private KeyMaterial keyOf(SslBundle bundle, String name) {
        KeyMaterial material = readKey(bundle, name);
        fromBundles.add(material);
        return material;
    }

    private static KeyMaterial readKey(SslBundle bundle, String name) {
        KeyStore keyStore = bundle.getStores().getKeyStore();
        if (keyStore == null) {
            throw new TlsMaterialException(
                    TlsMaterialException.Reason.MISSING, "SSL bundle " + name, "the bundle has no key store");
        }
        String password = bundle.getKey().getPassword() != null
                ? bundle.getKey().getPassword()
                : bundle.getStores().getKeyStorePassword();
        return KeyMaterial.fromKeyStore(
                keyStore,
                password == null ? new char[0] : password.toCharArray(),
                bundle.getKey().getAlias(),
                "SSL bundle " + name);
    }

    private static List<X509Certificate> trustOf(SslBundle bundle, String name) {
        KeyStore trust = bundle.getStores().getTrustStore();
        if (trust == null) {
            throw new TlsMaterialException(
                    TlsMaterialException.Reason.MISSING,
                    "SSL bundle " + name,
                    "client authentication is on but the bundle has no trust store with client CAs");
        }
        try {
            List<X509Certificate> certificates = new ArrayList<>();
            for (String alias : Collections.list(trust.aliases())) {
                if (trust.getCertificate(alias) instanceof X509Certificate certificate) {
                    certificates.add(certificate);
                }
            }
            return certificates;
        } catch (KeyStoreException e) {
            throw new TlsMaterialException(
                    TlsMaterialException.Reason.MALFORMED, "SSL bundle " + name, e.getMessage(), e);
        }
    }

    private static void applyOptions(HttpsServerConfig.Builder builder, SslOptions options) {
        if (options == null) {
            return;
        }
        if (options.getEnabledProtocols() != null) {
            builder.protocols(Arrays.asList(options.getEnabledProtocols()));
        }
        if (options.getCiphers() != null) {
            builder.cipherSuites(Arrays.asList(options.getCiphers()));
        }
    }

    private KeyMaterial pemKey(HttpsServerProperties.Ssl ssl) {
        if (!StringUtils.hasText(ssl.getCertificate()) || !StringUtils.hasText(ssl.getPrivateKey())) {
            String missing = StringUtils.hasText(ssl.getCertificate()) ? "private-key" : "certificate";
            throw new TlsMaterialException(
                    TlsMaterialException.Reason.MISSING,
                    "https-server.ssl." + missing,
                    "https-server.ssl.certificate and https-server.ssl.private-key must be set together; " + missing
                            + " is missing");
        }
        String certificate = read(ssl.getCertificate(), "https-server.ssl.certificate");
        String key = read(ssl.getPrivateKey(), "https-server.ssl.private-key");
        char[] password = ssl.getPrivateKeyPassword() == null
                ? null
                : ssl.getPrivateKeyPassword().toCharArray();
        try {
            return KeyMaterial.fromPem(certificate, key, password);
        } catch (TlsMaterialException e) {
            throw new TlsMaterialException(
                    e.reason(),
                    describe(ssl.getCertificate()) + " + " + describe(ssl.getPrivateKey()),
                    stripSource(e),
                    e);
        }
    }

    /** Inline PEM, or a file/classpath location read as text. */
    private String read(String value, String property) {
        if (value.contains("-----BEGIN")) {
            return value;
        }
        Resource resource = resources.getResource(value);
        if (!resource.exists()) {
            throw new TlsMaterialException(
                    TlsMaterialException.Reason.UNREADABLE, value, property + " points to nothing: file not found");
        }
        try (InputStream in = resource.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new TlsMaterialException(
                    TlsMaterialException.Reason.UNREADABLE, value, property + " cannot be read: " + e.getMessage(), e);
        }
    }

    private static String describe(String value) {
        return value.contains("-----BEGIN") ? "inline PEM" : value;
    }

    private static String stripSource(TlsMaterialException e) {
        String message = e.getMessage();
        int bracket = message.lastIndexOf(" [");
        return bracket > 0 ? message.substring(0, bracket) : message;
    }
}
