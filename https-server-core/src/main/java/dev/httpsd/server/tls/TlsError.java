package dev.httpsd.server.tls;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The last TLS error of a session ({@code esp_https_server_last_error_t}): the exception type,
 * its message, and the TLS alert when one was received or can be read from the message.
 *
 * @param exceptionType simple name of the exception's JDK class, e.g. {@code SSLHandshakeException}
 *     (an engine's own subclass is reported as the JDK class it extends)
 * @param message the exception message
 * @param alert the alert description, e.g. {@code certificate_unknown}, or {@code null}
 */
public record TlsError(String exceptionType, String message, String alert) {

    /** JSSE's "Received fatal alert: bad_certificate", BoringSSL's "SSLV3_ALERT_BAD_CERTIFICATE". */
    private static final Pattern ALERT = Pattern.compile("alert: ([a-z_]+)|(?:SSLV3|TLSV1)_ALERT_([A-Z_]+)");

    static TlsError of(Throwable t) {
        String message = String.valueOf(t.getMessage());
        Matcher matcher = ALERT.matcher(message);
        String alert = !matcher.find()
                ? null
                : matcher.group(1) != null ? matcher.group(1) : matcher.group(2).toLowerCase(Locale.ROOT);
        return new TlsError(standardType(t.getClass()), message, alert);
    }

    /**
     * The simple name of the first JDK class of {@code type}: an engine's own exception (Netty's
     * {@code OpenSslHandshakeException}) is reported as what it is ({@code SSLHandshakeException}),
     * so listeners see the same types whichever engine runs.
     */
    private static String standardType(Class<?> type) {
        Class<?> standard = type;
        while (standard.getName().startsWith("io.netty.") && standard.getSuperclass() != null) {
            standard = standard.getSuperclass();
        }
        return standard.getSimpleName();
    }

    static TlsError of(String type, String message) {
        return new TlsError(type, message, null);
    }

    @Override
    public String toString() {
        return exceptionType + ": " + message + (alert == null ? "" : " (alert " + alert + ")");
    }
}
