package dev.httpsd.autoconfigure;

import dev.httpsd.server.tls.HttpsServer;
import dev.httpsd.server.tls.KeyMaterial;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundleKey;
import org.springframework.boot.ssl.SslManagerBundle;
import org.springframework.boot.ssl.SslOptions;
import org.springframework.boot.ssl.SslStoreBundle;

/**
 * The SSL bundle {@value #NAME}: the certificates the running httpsd server presents that no
 * {@code spring.ssl} bundle holds already (the PEM properties, the development certificate,
 * material from a customizer or a core {@code reload}), so that Boot's {@code ssl} health
 * indicator and info contributor report them next to every other bundle. The default certificate
 * is the alias {@value #DEFAULT_ALIAS}, an SNI certificate its server name. It is a view: its key
 * store is built from what the server presents when it is read, so reloads show at once.
 */
final class PresentedCertificatesBundle implements SslBundle {

    /** The name httpsd registers the bundle under. */
    static final String NAME = HttpsServerLifecycle.SSL_BUNDLE;

    static final String DEFAULT_ALIAS = "default";

    private static final String PASSWORD = "";

    private final Supplier<HttpsServer> server;
    private final Predicate<KeyMaterial> shown;
    private final ReentrantLock lock = new ReentrantLock();
    private Map<String, KeyMaterial> cachedChains;
    private KeyStore cachedKeyStore;

    /**
     * @param server the server whose certificates are shown, or {@code null} before the first start
     * @param shown which materials belong here: those not held by a {@code spring.ssl} bundle
     */
    PresentedCertificatesBundle(Supplier<HttpsServer> server, Predicate<KeyMaterial> shown) {
        this.server = server;
        this.shown = shown;
    }

    /** The chains presented now that this bundle shows, by alias. */
    Map<String, KeyMaterial> chains() {
        HttpsServer current = server.get();
        Map<String, KeyMaterial> chains = new LinkedHashMap<>();
        if (current == null) {
            return chains;
        }
        current.serverKey().filter(shown).ifPresent(key -> chains.put(DEFAULT_ALIAS, key));
        current.sniKeys().forEach((name, key) -> {
            if (shown.test(key)) {
                chains.put(name, key);
            }
        });
        return chains;
    }

    @Override
    public SslStoreBundle getStores() {
        return SslStoreBundle.of(keyStore(), PASSWORD, trustStore());
    }

    @Override
    public SslBundleKey getKey() {
        return SslBundleKey.NONE;
    }

    @Override
    public SslOptions getOptions() {
        HttpsServer current = server.get();
        if (current == null) {
            return SslOptions.NONE;
        }
        List<String> ciphers = current.config().cipherSuites();
        List<String> protocols = current.config().protocols();
        return SslOptions.of(
                ciphers == null ? null : ciphers.toArray(String[]::new),
                protocols == null ? null : protocols.toArray(String[]::new));
    }

    @Override
    public String getProtocol() {
        return DEFAULT_PROTOCOL;
    }

    @Override
    public SslManagerBundle getManagers() {
        return SslManagerBundle.from(getStores(), getKey());
    }

    /** Rebuilt only when the presented materials change: protecting a key entry is slow. */
    private KeyStore keyStore() {
        Map<String, KeyMaterial> chains = chains();
        lock.lock();
        try {
            if (cachedKeyStore == null || !sameMaterials(chains, cachedChains)) {
                KeyStore store = emptyStore();
                for (Map.Entry<String, KeyMaterial> chain : chains.entrySet()) {
                    store.setKeyEntry(
                            chain.getKey(),
                            chain.getValue().privateKey(),
                            PASSWORD.toCharArray(),
                            chain.getValue().chain().toArray(Certificate[]::new));
                }
                cachedKeyStore = store;
                cachedChains = chains;
            }
            return cachedKeyStore;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot describe the certificates httpsd presents: " + e, e);
        } finally {
            lock.unlock();
        }
    }

    private KeyStore trustStore() {
        HttpsServer current = server.get();
        List<X509Certificate> authorities = current == null ? List.of() : current.caCertificates();
        if (authorities.isEmpty()) {
            return null;
        }
        try {
            KeyStore store = emptyStore();
            List<X509Certificate> ordered = new ArrayList<>(authorities);
            for (int i = 0; i < ordered.size(); i++) {
                store.setCertificateEntry("ca-" + i, ordered.get(i));
            }
            return store;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot describe the client CAs httpsd trusts: " + e, e);
        }
    }

    private static KeyStore emptyStore() throws GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try {
            store.load(null, null);
        } catch (IOException e) {
            throw new GeneralSecurityException(e);
        }
        return store;
    }

    /** The same aliases holding the very same material objects. */
    private static boolean sameMaterials(Map<String, KeyMaterial> a, Map<String, KeyMaterial> b) {
        if (b == null || a.size() != b.size()) {
            return false;
        }
        for (Map.Entry<String, KeyMaterial> entry : a.entrySet()) {
            if (b.get(entry.getKey()) != entry.getValue()) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "SSL bundle '" + NAME + "' (the certificates httpsd presents: " + chains().keySet() + ")";
    }
}
