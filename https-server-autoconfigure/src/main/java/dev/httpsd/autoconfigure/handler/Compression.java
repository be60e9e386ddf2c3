package dev.httpsd.autoconfigure.handler;

import dev.httpsd.server.HttpMethod;
import dev.httpsd.server.HttpRequest;
import dev.httpsd.server.HttpResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.springframework.util.InvalidMimeTypeException;
import org.springframework.util.MimeType;
import org.springframework.util.MimeTypeUtils;

/**
 * gzip for response bodies sent whole ({@code send}), as Spring Boot's {@code server.compression}
 * decides for Tomcat: when the body is at least {@code minResponseSize} bytes of a listed MIME
 * type and the client accepts gzip; never for {@code HEAD}, a request with {@code Range}, a
 * response that has a {@code Content-Encoding} already, or a {@code 1xx}, {@code 204}, {@code
 * 206} or {@code 304}. Every response whose compression depends on the client's {@code
 * Accept-Encoding} says {@code Vary: Accept-Encoding}. Streamed bodies ({@code sendChunk},
 * {@code outputStream}) are sent as written: their size is unknown when their headers go out.
 */
final class Compression {

    private final List<MimeType> mimeTypes;
    private final long minResponseSize;

    /**
     * @throws IllegalArgumentException naming a MIME type that does not parse
     */
    Compression(List<String> mimeTypes, long minResponseSize) {
        this.mimeTypes = mimeTypes.stream()
                .map(type -> MediaTypes.declared(type, "https-server.compression.mime-types"))
                .toList();
        this.minResponseSize = minResponseSize;
    }

    void send(HttpRequest request, HandlerResponse response, HttpResponse delegate, byte[] body, int offset, int length)
            throws IOException {
        if (!compressible(request, response)) {
            delegate.send(body, offset, length);
            return;
        }
        if (length < minResponseSize) {
            // no client gets this body compressed: it does not vary with Accept-Encoding
            delegate.send(body, offset, length);
            return;
        }
        delegate.header("Vary", "Accept-Encoding");
        if (request.method() == HttpMethod.HEAD || !acceptsGzip(request.headers("Accept-Encoding"))) {
            delegate.send(body, offset, length);
            return;
        }
        byte[] gzipped = gzip(body, offset, length);
        delegate.header("Content-Encoding", "gzip");
        delegate.send(gzipped, 0, gzipped.length);
    }

    /** Whether the response may be compressed for a client that accepts gzip, size aside. */
    private boolean compressible(HttpRequest request, HandlerResponse response) {
        int status = response.statusCode();
        if (status < 200 || status == 204 || status == 206 || status == 304) {
            return false;
        }
        if (response.encoded() || request.header("Range").isPresent()) {
            return false;
        }
        // the server's default when nothing was set (ESP's text/html)
        String type = response.contentType() == null ? "text/html" : response.contentType();
        MimeType mimeType;
        try {
            mimeType = MimeTypeUtils.parseMimeType(type);
        } catch (InvalidMimeTypeException e) {
            return false;
        }
        for (MimeType listed : mimeTypes) {
            if (listed.isCompatibleWith(mimeType)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether {@code Accept-Encoding} takes gzip (RFC 9110 §12.5.3): {@code gzip} or {@code
     * x-gzip} with a non-zero quality, or {@code *} with one when gzip is not listed.
     */
    static boolean acceptsGzip(List<String> acceptEncoding) {
        Boolean gzip = null;
        boolean any = false;
        for (String header : acceptEncoding) {
            for (String entry : header.split(",")) {
                int semicolon = entry.indexOf(';');
                String coding = (semicolon < 0 ? entry : entry.substring(0, semicolon)).strip();
                boolean accepted = semicolon < 0 || quality(entry.substring(semicolon + 1)) > 0;
                if (coding.equalsIgnoreCase("gzip") || coding.equalsIgnoreCase("x-gzip")) {
                    gzip = gzip == null ? accepted : gzip || accepted;
                } else if (coding.equals("*")) {
                    any = accepted;
                }
            }
        }
        return gzip != null ? gzip : any;
    }

    private static double quality(String parameters) {
        for (String parameter : parameters.split(";")) {
            String p = parameter.strip();
            if (p.length() > 2 && (p.charAt(0) == 'q' || p.charAt(0) == 'Q') && p.charAt(1) == '=') {
                try {
                    return Double.parseDouble(p.substring(2).strip());
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 1;
    }

    private static byte[] gzip(byte[] body, int offset, int length) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, length / 4));
        try (GZIPOutputStream gzip = new GZIPOutputStream(out, 8192)) {
            gzip.write(body, offset, length);
        }
        return out.toByteArray();
    }
}
