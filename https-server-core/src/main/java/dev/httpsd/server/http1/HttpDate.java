package dev.httpsd.server.http1;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** The {@code Date} response header (RFC 9110 IMF-fixdate), formatted at most once a second. */
final class HttpDate {

    private static final DateTimeFormatter IMF_FIXDATE = DateTimeFormatter.ofPattern(
                    "EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
            .withZone(ZoneOffset.UTC);

    private record Cached(long epochSecond, byte[] headerLine) {}

    private static volatile Cached cached = new Cached(-1, new byte[0]);

    private HttpDate() {}

    /** {@code "Date: ...\r\n"} as bytes for the current second. */
    static byte[] headerLine() {
        long now = System.currentTimeMillis() / 1000;
        Cached current = cached;
        if (current.epochSecond != now) {
            String line = "Date: " + IMF_FIXDATE.format(Instant.ofEpochSecond(now)) + "\r\n";
            current = new Cached(now, line.getBytes(StandardCharsets.US_ASCII));
            cached = current;
        }
        return current.headerLine;
    }
}
