package dev.httpsd.autoconfigure;

import java.time.Instant;

/**
 * What became of the reloads of the server's TLS material that SSL bundle updates asked for
 * ({@code spring.ssl.bundle.*.reload-on-update}), since the application started. A failed reload
 * leaves the server presenting the material it had: the counts tell how often that happened, the
 * last failure why. Reported in the {@code httpsd} health component and the {@code
 * httpsd.ssl.reloads} meter.
 *
 * @param succeeded reloads that replaced the material
 * @param failed reloads refused (unusable key store, key not matching the certificate, expired
 *     certificate with {@code fail-on-expired-certificate}); the old material kept serving
 * @param lastSuccess when the last reload succeeded, null if none did
 * @param lastFailure when the last reload failed, null if none did
 * @param lastFailureReason the last failure's message (bundle and cause), null if none failed
 */
public record CertificateReloadStatus(
        long succeeded, long failed, Instant lastSuccess, Instant lastFailure, String lastFailureReason) {

    static final CertificateReloadStatus NONE = new CertificateReloadStatus(0, 0, null, null, null);

    /** Whether the latest reload failed, so the server presents older material than its bundle holds. */
    public boolean lastReloadFailed() {
        return lastFailure != null && (lastSuccess == null || lastFailure.isAfter(lastSuccess));
    }

    CertificateReloadStatus success(Instant at) {
        return new CertificateReloadStatus(succeeded + 1, failed, at, lastFailure, lastFailureReason);
    }

    CertificateReloadStatus failure(Instant at, String reason) {
        return new CertificateReloadStatus(succeeded, failed + 1, lastSuccess, at, reason);
    }
}
