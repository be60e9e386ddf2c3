package dev.httpsd.autoconfigure.actuate;

import dev.httpsd.server.tls.HttpsServer;
import dev.httpsd.server.tls.KeyMaterial;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Describes the certificate chains a server presents, for health and info. */
final class CertificateChains {

    /** A chain presented for {@code name} ("default" or an SNI host name). */
    record Chain(String name, KeyMaterial material) {}

    private CertificateChains() {}

    /** The chains the server presents now: the default one and one per SNI name. */
    static List<Chain> of(HttpsServer server) {
        List<Chain> chains = new ArrayList<>();
        server.serverKey().ifPresent(key -> chains.add(new Chain("default", key)));
        server.sniKeys().forEach((name, key) -> chains.add(new Chain(name, key)));
        return chains;
    }

    static Map<String, Object> describe(Chain chain, Instant now, Duration warningThreshold) {
        Map<String, Object> description = new LinkedHashMap<>();
        description.put("name", chain.name());
        description.put("source", chain.material().source());
        List<Map<String, Object>> certificates = new ArrayList<>();
        for (X509Certificate certificate : chain.material().chain()) {
            certificates.add(describe(certificate, now, warningThreshold));
        }
        description.put("certificates", certificates);
        return description;
    }

    static Map<String, Object> describe(X509Certificate certificate, Instant now, Duration warningThreshold) {
        Map<String, Object> description = new LinkedHashMap<>();
        description.put("subject", certificate.getSubjectX500Principal().getName());
        description.put("issuer", certificate.getIssuerX500Principal().getName());
        description.put("serialNumber", certificate.getSerialNumber().toString(16));
        description.put("validityStarts", certificate.getNotBefore().toInstant().toString());
        description.put("validityEnds", certificate.getNotAfter().toInstant().toString());
        description.put("validity", validity(certificate, now, warningThreshold).name());
        description.put("subjectAlternativeNames", alternativeNames(certificate));
        return description;
    }

    enum Validity {
        VALID,
        WILL_EXPIRE_SOON,
        EXPIRED,
        NOT_YET_VALID
    }

    static Validity validity(X509Certificate certificate, Instant now, Duration warningThreshold) {
        Instant notBefore = certificate.getNotBefore().toInstant();
        Instant notAfter = certificate.getNotAfter().toInstant();
        if (now.isBefore(notBefore)) {
            return Validity.NOT_YET_VALID;
        }
        if (now.isAfter(notAfter)) {
            return Validity.EXPIRED;
        }
        return now.plus(warningThreshold).isAfter(notAfter) ? Validity.WILL_EXPIRE_SOON : Validity.VALID;
    }

    /** The worst validity in a chain: NOT_YET_VALID/EXPIRED over WILL_EXPIRE_SOON over VALID. */
    static Validity worst(KeyMaterial material, Instant now, Duration warningThreshold) {
        Validity worst = Validity.VALID;
        for (X509Certificate certificate : material.chain()) {
            Validity validity = validity(certificate, now, warningThreshold);
            if (validity == Validity.EXPIRED || validity == Validity.NOT_YET_VALID) {
                return validity;
            }
            if (validity == Validity.WILL_EXPIRE_SOON) {
                worst = validity;
            }
        }
        return worst;
    }

    private static List<String> alternativeNames(X509Certificate certificate) {
        List<String> names = new ArrayList<>();
        try {
            var alternatives = certificate.getSubjectAlternativeNames();
            if (alternatives != null) {
                for (List<?> entry : alternatives) {
                    names.add(String.valueOf(entry.get(1)));
                }
            }
        } catch (CertificateParsingException e) {
            names.add("unreadable: " + e.getMessage());
        }
        return names;
    }
}
