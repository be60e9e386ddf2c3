package dev.httpsd.server.tls;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The last TLS error of a session ({@code esp_https_server_last_error_t}): the exception type,
 * its message, and the TLS alert when one was received or can be read from the message.
 *
 * @param exceptionType simple class name, e.g. {@code SSLHandshakeException}
 * @param message the exception message
 * @param alert the alert description, e.g. {@code certificate_unknown}, or {@code null}
 */
public record TlsError(String exceptionType, String message, String alert) {

    private static final Pattern ALERT = Pattern.compile("alert: ([a-z_]+)");

    static TlsError of(Throwable t) {
        String message = String.valueOf(t.getMessage());
        Matcher matcher = ALERT.matcher(message);
        return new TlsError(t.getClass().getSimpleName(), message, matcher.find() ? matcher.group(1) : null);
    }

    static TlsError of(String type, String message) {
        return new TlsError(type, message, null);
    }

    @Override
    public String toString() {
        return exceptionType + ": " + message + (alert == null ? "" : " (alert " + alert + ")");
    }
}
