package dev.httpsd.server.tls;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Picks the server certificate per handshake: the {@link CertificateSelector} first, then the SNI
 * map (exact name, then {@code *.parent} wildcard), then the default certificate. What the
 * selector returns is named by {@link SelectedAliases}, so that the key and chain JSSE looks up
 * are those of the material chosen for this handshake, however many others are chosen meanwhile.
 */
final class SniKeyManager extends X509ExtendedKeyManager {

    private static final String DEFAULT = "default";
    private static final String SNI = "sni:";

    private final KeyMaterial defaultKey;
    private final Map<String, KeyMaterial> sniKeys;
    private final CertificateSelector selector;
    private final SelectedAliases selected = new SelectedAliases("selected:");

    SniKeyManager(KeyMaterial defaultKey, Map<String, KeyMaterial> sniKeys, CertificateSelector selector) {
        this.defaultKey = defaultKey;
        this.sniKeys = sniKeys;
        this.selector = selector;
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        SSLSession handshake = socket instanceof SSLSocket ssl ? ssl.getHandshakeSession() : null;
        return choose(keyType, handshake);
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return choose(keyType, engine == null ? null : engine.getHandshakeSession());
    }

    private String choose(String keyType, SSLSession handshake) {
        String serverName = serverName(handshake);
        if (selector != null) {
            KeyMaterial chosen = selector.select(serverName);
            if (chosen != null) {
                if (!fits(chosen, keyType)) {
                    return null;
                }
                return selected.aliasFor(chosen);
            }
        }
        if (serverName != null) {
            String match = sniKeys.containsKey(serverName) ? serverName : wildcardFor(serverName);
            if (match != null) {
                return fits(sniKeys.get(match), keyType) ? SNI + match : null;
            }
        }
        return defaultKey != null && fits(defaultKey, keyType) ? DEFAULT : null;
    }

    private String wildcardFor(String serverName) {
        int dot = serverName.indexOf('.');
        if (dot < 0) {
            return null;
        }
        String wildcard = "*" + serverName.substring(dot);
        return sniKeys.containsKey(wildcard) ? wildcard : null;
    }

    private KeyMaterial material(String alias) {
        if (alias == null) {
            return null;
        }
        if (alias.equals(DEFAULT)) {
            return defaultKey;
        }
        if (alias.startsWith(SNI)) {
            return sniKeys.get(alias.substring(SNI.length()));
        }
        if (selected.owns(alias)) {
            return selected.material(alias);
        }
        return null;
    }

    /** How many materials returned by the selector are still named (they are held weakly). */
    int selectedMaterials() {
        return selected.size();
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        KeyMaterial material = material(alias);
        return material == null ? null : material.chain().toArray(X509Certificate[]::new);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        KeyMaterial material = material(alias);
        return material == null ? null : material.privateKey();
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return defaultKey != null && fits(defaultKey, keyType) ? new String[] {DEFAULT} : null;
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return null;
    }

    static String serverName(SSLSession handshake) {
        if (handshake instanceof ExtendedSSLSession extended) {
            for (SNIServerName name : extended.getRequestedServerNames()) {
                if (name instanceof SNIHostName host) {
                    return host.getAsciiName().toLowerCase(Locale.ROOT);
                }
            }
        }
        return null;
    }

    private static boolean fits(KeyMaterial material, String keyType) {
        String algorithm = material.privateKey().getAlgorithm();
        return switch (keyType) {
            case "EC" -> algorithm.equals("EC");
            case "RSA" -> algorithm.equals("RSA");
            case "RSASSA-PSS" -> algorithm.equals("RSA") || algorithm.equals("RSASSA-PSS");
            case "EdDSA", "Ed25519", "Ed448" -> algorithm.startsWith("Ed");
            default -> algorithm.equals(keyType);
        };
    }
}
