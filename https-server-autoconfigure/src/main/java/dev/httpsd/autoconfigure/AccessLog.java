package dev.httpsd.autoconfigure;

import dev.httpsd.server.CompletedRequest;
import dev.httpsd.server.HttpRequest;
import dev.httpsd.server.RequestObserver;
import dev.httpsd.server.tls.HttpsServerConfig;
import dev.httpsd.server.tls.TlsSession;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.core.Ordered;

/**
 * The access log ({@code https-server.access-log.enabled}): one line per completed request at
 * INFO on the logger {@value #LOGGER}, in the combined log format followed by the session id, the
 * TLS protocol and cipher suite, and the duration in microseconds:
 *
 * <pre>
 * 127.0.0.1 - - [06/Dec/2026:09:14:03 +0000] "GET /hello?name=x HTTP/1.1" 200 12 "-" "curl/8.14.1" 7 TLSv1.3 TLS_AES_128_GCM_SHA256 412
 * </pre>
 *
 * The first field is the client: behind a balancer speaking the PROXY protocol its header's
 * client, behind trusted proxies ({@code server.forward-headers-strategy=native}) the client they
 * report ({@link HttpRequest#clientAddress()}). Error responses the server writes itself are
 * logged too; a request whose head could not be
 * parsed has {@code "-"} as its request line. {@code -} stands for what is absent (no body, no
 * header, plain HTTP); quotes, backslashes and control characters in quoted fields are escaped
 * ({@code \"}, {@code \\}, {@code \xhh}). The line is written on the session's thread before the
 * request's observation stops, so a logging pattern with {@code %X{traceId}} shows the request's
 * trace. Not configured, nothing of this runs; with the logger off, nothing is formatted.
 */
final class AccessLog implements RequestObserver, HttpsServerCustomizer, Ordered {

    /** The logger's name. */
    static final String LOGGER = "dev.httpsd.access";

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH)
            .withZone(ZoneId.systemDefault());

    private final Log log;

    AccessLog() {
        this(LogFactory.getLog(LOGGER));
    }

    AccessLog(Log log) {
        this.log = log;
    }

    @Override
    public void customize(HttpsServerConfig.Builder config) {
        config.httpd(httpd -> httpd.addRequestObserver(this));
    }

    /** After the starter's other observers: their scopes (the request's trace) enclose the line. */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }

    @Override
    public void requestCompleted(CompletedRequest completed) {
        if (log.isInfoEnabled()) {
            log.info(line(completed, Instant.now()));
        }
    }

    static String line(CompletedRequest completed, Instant now) {
        StringBuilder line = new StringBuilder(160);
        HttpRequest request = completed.request();
        // the client: the connection's peer, the PROXY header's client, or what trusted proxies report
        InetSocketAddress remote =
                request != null ? request.clientAddress() : completed.session().remoteAddress();
        line.append(remote == null ? "-" : remote.getAddress().getHostAddress());
        line.append(" - - [");
        TIME.formatTo(now.minusNanos(completed.durationNanos()), line);
        line.append("] \"");
        if (completed.method() == null || request == null) {
            line.append('-');
        } else {
            escaped(line, completed.method().token() + ' ' + request.uri() + ' ' + request.protocol());
        }
        line.append("\" ").append(completed.status()).append(' ');
        if (completed.bodyBytesSent() == 0) {
            line.append('-');
        } else {
            line.append(completed.bodyBytesSent());
        }
        line.append(' ');
        quotedHeader(line, request, "Referer");
        line.append(' ');
        quotedHeader(line, request, "User-Agent");
        line.append(' ').append(completed.session().id());
        Optional<TlsSession> tls = TlsSession.of(completed.session());
        if (tls.isPresent()) {
            line.append(' ')
                    .append(tls.get().protocol())
                    .append(' ')
                    .append(tls.get().cipherSuite());
        } else {
            line.append(" - -");
        }
        line.append(' ').append(completed.durationNanos() / 1000);
        return line.toString();
    }

    private static void quotedHeader(StringBuilder line, HttpRequest request, String name) {
        String value = request == null ? null : request.header(name).orElse(null);
        line.append('"');
        if (value == null) {
            line.append('-');
        } else {
            escaped(line, value);
        }
        line.append('"');
    }

    /** Apache's escaping: a quoted field cannot be ended early, nor a line broken, by what a client sent. */
    static void escaped(StringBuilder line, String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                line.append('\\').append(c);
            } else if (c < 0x20 || c == 0x7f) {
                line.append("\\x").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 0xf, 16));
            } else {
                line.append(c);
            }
        }
    }
}
