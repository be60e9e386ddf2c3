package dev.httpsd.server.tls;

import io.netty.handler.ssl.OpenSslCertificateException;
import io.netty.internal.tcnative.CertificateVerifier;
import java.net.Socket;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The OpenSSL engine's check of client certificates: the JDK's trust manager decides, exactly as
 * on the JDK engine; this only tells BoringSSL which X.509 error a refusal was, so that the client
 * gets the alert that names it. Netty classifies expiry itself and reports every other refusal as
 * {@code X509_V_ERR_UNSPECIFIED}, which BoringSSL answers with {@code internal_error}, as if the
 * server had failed rather than the certificate.
 */
final class OpenSslClientTrust extends X509ExtendedTrustManager {

    private static final String CLIENT_AUTH_USAGE = "1.3.6.1.5.5.7.3.2";
    private static final String ANY_USAGE = "2.5.29.37.0";

    private final X509ExtendedTrustManager jdk;

    private OpenSslClientTrust(X509ExtendedTrustManager jdk) {
        this.jdk = jdk;
    }

    /** The trust manager of {@code factory} (the JDK's PKIX one), classifying its refusals. */
    static TrustManager of(TrustManagerFactory factory) {
        for (TrustManager manager : factory.getTrustManagers()) {
            if (manager instanceof X509ExtendedTrustManager x509) {
                return new OpenSslClientTrust(x509);
            }
        }
        throw new IllegalStateException(
                "the trust manager factory " + factory.getAlgorithm() + " made no X509ExtendedTrustManager");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        try {
            jdk.checkClientTrusted(chain, authType);
        } catch (CertificateException e) {
            throw classified(chain, e);
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        try {
            jdk.checkClientTrusted(chain, authType, socket);
        } catch (CertificateException e) {
            throw classified(chain, e);
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        try {
            jdk.checkClientTrusted(chain, authType, engine);
        } catch (CertificateException e) {
            throw classified(chain, e);
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        jdk.checkServerTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        jdk.checkServerTrusted(chain, authType, socket);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        jdk.checkServerTrusted(chain, authType, engine);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return jdk.getAcceptedIssuers();
    }

    /**
     * The refusal with the X.509 error it stands for, its message and cause kept (they are what
     * the server's error event reports): no path to a configured CA is an unknown issuer, or a
     * self-signed certificate; a certificate whose extended key usage excludes clients has the
     * wrong purpose. Anything else is left to Netty.
     */
    static CertificateException classified(X509Certificate[] chain, CertificateException refusal) {
        int error;
        if (causedBy(refusal, CertPathBuilderException.class)) {
            error = selfSigned(chain)
                    ? CertificateVerifier.X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT
                    : CertificateVerifier.X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY;
        } else if (notForClients(chain)) {
            error = CertificateVerifier.X509_V_ERR_INVALID_PURPOSE;
        } else {
            return refusal;
        }
        return new OpenSslCertificateException(refusal.getMessage(), refusal, error);
    }

    private static boolean causedBy(Throwable failure, Class<? extends Throwable> kind) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (kind.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static boolean selfSigned(X509Certificate[] chain) {
        return chain != null
                && chain.length == 1
                && chain[0].getSubjectX500Principal().equals(chain[0].getIssuerX500Principal());
    }

    private static boolean notForClients(X509Certificate[] chain) {
        if (chain == null || chain.length == 0) {
            return false;
        }
        try {
            List<String> usages = chain[0].getExtendedKeyUsage();
            return usages != null && !usages.contains(CLIENT_AUTH_USAGE) && !usages.contains(ANY_USAGE);
        } catch (CertificateParsingException e) {
            return false;
        }
    }
}
