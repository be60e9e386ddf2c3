package dev.httpsd.autoconfigure;

import dev.httpsd.server.tls.TlsMaterialException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Unusable certificates or keys as a readable failure analysis with what to do about it. */
final class TlsMaterialFailureAnalyzer extends AbstractFailureAnalyzer<TlsMaterialException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, TlsMaterialException cause) {
        String action = switch (cause.reason()) {
            case UNREADABLE ->
                "Check that the file exists and is readable by this process, and that"
                        + " https-server.ssl.certificate / private-key / ca-certificate point to it"
                        + " (file path, file: or classpath: location, or inline PEM).";
            case MALFORMED ->
                "Provide PEM text ('-----BEGIN CERTIFICATE-----' / '-----BEGIN PRIVATE KEY-----')"
                        + " or a valid keystore; check that certificate and key were not swapped.";
            case WRONG_PASSWORD ->
                "Set https-server.ssl.private-key-password (or the SSL bundle's key"
                        + " password) to the password the key was encrypted with.";
            case KEY_MISMATCH ->
                "Configure the private key that was generated together with this"
                        + " certificate (compare 'openssl x509 -noout -pubkey' with 'openssl pkey -pubout').";
            case EXPIRED, NOT_YET_VALID ->
                "Renew the certificate, or check the system clock; set"
                        + " https-server.ssl.fail-on-expired-certificate=false to start with a warning instead.";
            case MISSING ->
                "Configure the server certificate: https-server.ssl.certificate and https-server.ssl.private-key"
                        + " (PEM files, classpath: locations or inline PEM), or https-server.ssl.bundle naming a"
                        + " Spring Boot SSL bundle (spring.ssl.bundle.*). For local development only,"
                        + " https-server.ssl.dev-certificate.enabled=true serves a generated self-signed certificate.";
        };
        return new FailureAnalysis(
                "The httpsd server cannot use its TLS material: " + cause.getMessage(), action, cause);
    }
}
