package dev.httpsd.server.http2;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects and validates the fields of one request header section or trailer section as the HPACK
 * decoder hands them out, and reports the first violation once the block is decoded (the decoder
 * must finish the block either way). A violation makes the request malformed: a stream error of
 * type PROTOCOL_ERROR (§8.1.1), before which the server may answer 400.
 *
 * <ul>
 *   <li>§8.2: names must be lowercase tokens; values must not hold NUL, CR, LF or other controls
 *       but HTAB, nor start or end with SP or HTAB (the HTTP/1.1 parser's value rule too);
 *   <li>§8.2.2: no connection-specific fields ({@code connection}, {@code keep-alive}, {@code
 *       proxy-connection}, {@code transfer-encoding}, {@code upgrade}); {@code te} only as {@code
 *       trailers};
 *   <li>§8.3: pseudo-header fields before regular ones, each at most once, only {@code :method},
 *       {@code :scheme}, {@code :authority} and {@code :path} (no response pseudo-header, no
 *       {@code :protocol}: we do not offer extended CONNECT); none in trailers;
 *   <li>§8.3.1: {@code :method}, {@code :scheme} and a non-empty {@code :path} present; the path in
 *       origin form, or {@code *} for OPTIONS only; {@code :authority} without userinfo, and
 *       equal to {@code host} when both are present; one of them present;
 *   <li>§8.5: CONNECT carries {@code :authority} and neither {@code :scheme} nor {@code :path};
 *   <li>§8.1.1: one content-length of digits only (the HTTP/1.1 parser's rule).
 * </ul>
 *
 * <p>Not thread-safe: one instance per header block.
 */
final class RequestFields implements HeaderListener {

    private static final String[] CONNECTION_SPECIFIC = {
        "connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade"
    };

    private final int streamId;
    private final boolean trailers;
    private final List<HeaderField> fields = new ArrayList<>();
    private String problem;
    private boolean regularSeen;
    private String method;
    private String scheme;
    private String authority;
    private String path;
    private String host;
    private int hosts;
    private String contentLength;
    private int contentLengths;
    private StringBuilder cookie;
    private int cookieIndex = -1;

    private RequestFields(int streamId, boolean trailers) {
        this.streamId = streamId;
        this.trailers = trailers;
    }

    /** For the header section that opens a request. */
    static RequestFields request(int streamId) {
        return new RequestFields(streamId, false);
    }

    /** For a trailer section (§8.1). */
    static RequestFields trailers(int streamId) {
        return new RequestFields(streamId, true);
    }

    @Override
    public void header(String name, String value) {
        if (problem != null) {
            return;
        }
        if (name.isEmpty()) {
            problem = "empty field name";
        } else if (name.charAt(0) == ':') {
            pseudoHeader(name, value);
        } else {
            regularField(name, value);
        }
    }

    private void pseudoHeader(String name, String value) {
        if (trailers) {
            problem = "pseudo-header field " + name + " in trailers";
            return;
        }
        if (regularSeen) {
            problem = "pseudo-header field " + name + " after a regular field";
            return;
        }
        switch (name) {
            case ":method" -> method = once(name, method, value);
            case ":scheme" -> scheme = once(name, scheme, value);
            case ":authority" -> authority = once(name, authority, value);
            case ":path" -> path = once(name, path, value);
            default -> problem = "pseudo-header field " + name + " is not a request pseudo-header";
        }
    }

    private String once(String name, String previous, String value) {
        if (previous != null) {
            problem = "duplicate " + name;
        }
        return value;
    }

    private void regularField(String name, String value) {
        regularSeen = true;
        if (!isLowercaseToken(name)) {
            problem = "invalid field name " + name;
            return;
        }
        if (!isValidValue(value)) {
            problem = "invalid value of field " + name;
            return;
        }
        if (isConnectionSpecific(name)) {
            problem = "connection-specific field " + name;
            return;
        }
        switch (name) {
            case "te" -> {
                if (!value.equalsIgnoreCase("trailers")) {
                    problem = "te other than trailers";
                    return;
                }
            }
            case "host" -> {
                host = value;
                hosts++;
            }
            case "content-length" -> {
                contentLength = value;
                contentLengths++;
            }
            case "cookie" -> {
                // §8.2.3: crumbs travel as separate fields; APIs built for HTTP/1.1 expect one
                if (cookie == null) {
                    cookie = new StringBuilder(value);
                    cookieIndex = fields.size();
                    fields.add(null);
                } else {
                    cookie.append("; ").append(value);
                }
                return;
            }
            default -> {
                // an ordinary field
            }
        }
        fields.add(new HeaderField(name, value));
    }

    /** The validated request, once the header block is decoded. */
    Http2RequestHead request() throws Http2StreamException {
        if (trailers) {
            throw new IllegalStateException("a trailer section is not a request");
        }
        check();
        if (method == null) {
            throw malformed("missing :method");
        }
        if (!isToken(method)) {
            throw malformed("invalid :method");
        }
        if (authority != null && !isAuthority(authority)) {
            throw malformed("invalid :authority");
        }
        if (hosts > 1) {
            throw malformed("more than one host field");
        }
        if (host != null && authority != null && !host.equalsIgnoreCase(authority)) {
            throw malformed("host " + host + " differs from :authority " + authority);
        }
        String effectiveAuthority = authority != null ? authority : host;
        if (effectiveAuthority != null && !isAuthority(effectiveAuthority)) {
            throw malformed("invalid host");
        }
        if (method.equals("CONNECT")) {
            if (scheme != null || path != null) {
                throw malformed("CONNECT with :scheme or :path");
            }
            if (authority == null) {
                throw malformed("CONNECT without :authority");
            }
        } else {
            if (scheme == null) {
                throw malformed("missing :scheme");
            }
            if (!isScheme(scheme)) {
                throw malformed("invalid :scheme");
            }
            if (path == null) {
                throw malformed("missing :path");
            }
            if (path.isEmpty()) {
                throw malformed("empty :path");
            }
            if (path.equals("*") ? !method.equals("OPTIONS") : !isOriginForm(path)) {
                throw malformed("invalid :path " + path);
            }
            if (effectiveAuthority == null) {
                throw malformed("neither :authority nor host");
            }
        }
        return new Http2RequestHead(method, scheme, effectiveAuthority, path, finishedFields(), contentLength());
    }

    /** The validated trailer fields, once the trailer block is decoded. */
    List<HeaderField> trailerFields() throws Http2StreamException {
        if (!trailers) {
            throw new IllegalStateException("a request header section is not trailers");
        }
        check();
        return finishedFields();
    }

    private void check() throws Http2StreamException {
        if (problem != null) {
            throw malformed(problem);
        }
    }

    private List<HeaderField> finishedFields() {
        if (cookie != null) {
            fields.set(cookieIndex, new HeaderField("cookie", cookie.toString()));
        }
        return fields;
    }

    private long contentLength() throws Http2StreamException {
        if (contentLengths == 0) {
            return -1;
        }
        if (contentLengths > 1) {
            throw malformed("more than one content-length");
        }
        if (contentLength.isEmpty() || contentLength.length() > 18) {
            throw malformed("invalid content-length");
        }
        long length = 0;
        for (int i = 0; i < contentLength.length(); i++) {
            char c = contentLength.charAt(i);
            if (c < '0' || c > '9') {
                throw malformed("invalid content-length");
            }
            length = length * 10 + (c - '0');
        }
        return length;
    }

    private Http2StreamException malformed(String what) {
        return new Http2StreamException(streamId, ErrorCode.PROTOCOL_ERROR, "malformed request: " + what);
    }

    /**
     * Whether a lowercase field name is one of HTTP/1.1's connection-specific fields, which HTTP/2
     * forbids in requests and responses alike (§8.2.2): the connection leaves them out of what it
     * sends.
     */
    static boolean isConnectionSpecific(String name) {
        for (String forbidden : CONNECTION_SPECIFIC) {
            if (forbidden.equals(name)) {
                return true;
            }
        }
        return false;
    }

    static boolean isTchar(char c) {
        return (c >= 'a' && c <= 'z')
                || (c >= '0' && c <= '9')
                || (c >= 'A' && c <= 'Z')
                || (c < 128 && "!#$%&'*+-.^_`|~".indexOf(c) >= 0);
    }

    static boolean isToken(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!isTchar(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** A field name as §8.2.1 wants it: a token without uppercase letters. */
    static boolean isLowercaseToken(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if ((c >= 'A' && c <= 'Z') || !isTchar(c)) {
                return false;
            }
        }
        return !name.isEmpty();
    }

    /** §8.2.1 and the HTTP/1.1 parser's rule: no controls but HTAB, no whitespace at either end. */
    static boolean isValidValue(String value) {
        int n = value.length();
        if (n > 0 && (isWhitespace(value.charAt(0)) || isWhitespace(value.charAt(n - 1)))) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7f) {
                return false;
            }
        }
        return true;
    }

    private static boolean isWhitespace(char c) {
        return c == ' ' || c == '\t';
    }

    /** RFC 3986 scheme: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ). */
    private static boolean isScheme(String s) {
        if (s.isEmpty() || !isAlpha(s.charAt(0))) {
            return false;
        }
        for (int i = 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!isAlpha(c) && !(c >= '0' && c <= '9') && c != '+' && c != '-' && c != '.') {
                return false;
            }
        }
        return true;
    }

    private static boolean isAlpha(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    /** An origin-form target: "/" then visible ASCII, as the HTTP/1.1 parser accepts a target. */
    private static boolean isOriginForm(String p) {
        if (p.charAt(0) != '/') {
            return false;
        }
        for (int i = 1; i < p.length(); i++) {
            char c = p.charAt(i);
            if (c <= 0x20 || c >= 0x7f) {
                return false;
            }
        }
        return true;
    }

    /**
     * host [":" port] with the characters of a reg-name, IPv4 address or IP literal; no userinfo
     * (§8.3.1 forbids it for http and https).
     */
    private static boolean isAuthority(String a) {
        if (a.isEmpty()) {
            return false;
        }
        for (int i = 0; i < a.length(); i++) {
            char c = a.charAt(i);
            boolean unreserved = isAlpha(c) || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
            if (!unreserved && "!$&'()*+,;=%:[]".indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }
}
