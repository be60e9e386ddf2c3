package dev.httpsd.server.proxy;

import dev.httpsd.server.proxy.ForwardedParser.Element;
import dev.httpsd.server.proxy.ForwardedValues.HostAndPort;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Reads the headers a reverse proxy adds into the request's {@link EffectiveOrigin}: Spring Boot's
 * {@code server.forward-headers-strategy=native} as Tomcat's {@code RemoteIpValve} applies it, with
 * CIDR blocks for the trusted proxies. Pure: no state, no I/O, safe to share.
 *
 * <h2>Trust</h2>
 *
 * Headers are read only when the connection's peer is a {@link TrustedProxies trusted proxy};
 * from anyone else they are ignored and the origin is the connection's own. The client address is
 * found by walking the proxies' entries from the right (the entry the peer itself added) to the
 * left: an entry naming a trusted proxy is passed over, the first one naming any other address is
 * the client. Everything to its left was written by the client or by untrusted hops and is never
 * read, so a client cannot make itself appear to come from elsewhere by sending these headers
 * itself. When every entry names a trusted proxy, the leftmost is the client (as Tomcat does).
 *
 * <h2>Which headers: one family, chosen, never both</h2>
 *
 * <ul>
 *   <li>{@link Source#X_FORWARDED} (the default, what Tomcat reads): {@code X-Forwarded-For},
 *       {@code X-Forwarded-Proto}, {@code X-Forwarded-Host}, {@code X-Forwarded-Port}. {@code
 *       Forwarded} is ignored.
 *   <li>{@link Source#FORWARDED}: RFC 7239 {@code Forwarded} only; {@code X-Forwarded-*} ignored.
 * </ul>
 *
 * A proxy that only appends {@code X-Forwarded-For} passes a client's own {@code Forwarded} header
 * through untouched: reading both families (or preferring {@code Forwarded} when present, as some
 * servers do) would let that client choose its own address. So the family is configuration.
 *
 * <h2>X-Forwarded-*</h2>
 *
 * <ul>
 *   <li>{@code X-Forwarded-For}: all lines joined in order, split at commas, blanks trimmed, empty
 *       entries skipped; an entry is an IPv4 or IPv6 address, optionally with a port ({@code
 *       192.0.2.1:4711}, {@code [2001:db8::1]:4711}). An entry that is no address ({@code
 *       unknown}, a host name, garbage) ends the walk: the client is the last address identified
 *       (the trusted proxy that wrote the entry).
 *   <li>{@code X-Forwarded-Proto}: a list of {@code http} / {@code https} (any case); the scheme is
 *       https only when every entry says https (Tomcat's rule), http otherwise. Any other entry
 *       makes the header malformed: it is ignored. A scheme given this way also makes the port the
 *       scheme's default (443 or 80) unless a port header or host says otherwise (Tomcat).
 *   <li>{@code X-Forwarded-Host}: one value, {@code host[:port]}; several lines or a list is
 *       malformed and ignored (proxies set it, they do not append). Its port, when given, is the
 *       port; without one the port is the effective scheme's default.
 *   <li>{@code X-Forwarded-Port}: one value 1-65535; it wins over the other ports (Tomcat reads it
 *       only with X-Forwarded-Proto; here it counts alone too).
 * </ul>
 *
 * <h2>Forwarded (RFC 7239)</h2>
 *
 * Elements are walked from the right as above, by their {@code for} parameter: an IPv4 address or
 * a quoted, bracketed IPv6 address, optionally with a port. {@code unknown} and obfuscated names
 * ({@code _hidden}) end the walk: the client is the last address identified. The element where the
 * walk stops was written by a trusted proxy about the client's request, so its {@code proto} and
 * {@code host} give the scheme, host and port (a {@code proto} or {@code host} value that is not
 * valid is ignored; the connection's stands). A line that is not valid {@code Forwarded} syntax
 * cannot be trusted, nor anything left of it: the walk stops before it.
 */
public final class ForwardedHeaders {

    /** Which header family carries the proxies' information. */
    public enum Source {
        /** {@code X-Forwarded-For}, {@code -Proto}, {@code -Host}, {@code -Port}: Tomcat's, and most proxies'. */
        X_FORWARDED,
        /** RFC 7239 {@code Forwarded}. */
        FORWARDED
    }

    /** A request's header values by name, case-insensitively: every field line in order, empty when none. */
    @FunctionalInterface
    public interface HeaderLookup {
        List<String> values(String name);
    }

    private final Source source;
    private final TrustedProxies trusted;

    private ForwardedHeaders(Source source, TrustedProxies trusted) {
        this.source = Objects.requireNonNull(source, "source");
        this.trusted = Objects.requireNonNull(trusted, "trusted");
    }

    /** Reads {@code source}'s headers from requests whose connection comes from {@code trusted}. */
    public static ForwardedHeaders of(Source source, TrustedProxies trusted) {
        return new ForwardedHeaders(source, trusted);
    }

    public Source source() {
        return source;
    }

    public TrustedProxies trustedProxies() {
        return trusted;
    }

    /**
     * The origin of one request.
     *
     * @param direct the origin as the connection shows it ({@link EffectiveOrigin#direct})
     * @param headers the request's headers
     * @return {@code direct} itself when the peer is not trusted or no header applies
     */
    public EffectiveOrigin resolve(EffectiveOrigin direct, HeaderLookup headers) {
        Objects.requireNonNull(direct, "direct");
        Objects.requireNonNull(headers, "headers");
        if (!trusted.contains(direct.client().getAddress())) {
            return direct;
        }
        return source == Source.FORWARDED ? forwarded(direct, headers) : xForwarded(direct, headers);
    }

    private EffectiveOrigin xForwarded(EffectiveOrigin direct, HeaderLookup headers) {
        Walk walk = new Walk(direct.client());
        for (String entry : reversedEntries(headers.values("X-Forwarded-For"))) {
            if (!walk.step(ForwardedValues.addressEntry(entry))) {
                break;
            }
        }
        String scheme = direct.scheme();
        String host = direct.host();
        int port = direct.port();
        boolean changed = walk.moved();
        String proto = forwardedProto(headers.values("X-Forwarded-Proto"));
        if (proto != null) {
            scheme = proto;
            port = EffectiveOrigin.defaultPort(scheme);
            changed = true;
        }
        HostAndPort forwardedHost = single(headers.values("X-Forwarded-Host"));
        if (forwardedHost != null) {
            host = forwardedHost.host();
            port = forwardedHost.port() > 0 ? forwardedHost.port() : EffectiveOrigin.defaultPort(scheme);
            changed = true;
        }
        List<String> portValues = headers.values("X-Forwarded-Port");
        int forwardedPort =
                portValues.size() == 1 ? ForwardedValues.port(portValues.get(0).strip()) : -1;
        if (forwardedPort > 0) {
            port = forwardedPort;
            changed = true;
        }
        return changed ? new EffectiveOrigin(scheme, host, port, walk.client(), walk.proxies(), true) : direct;
    }

    private EffectiveOrigin forwarded(EffectiveOrigin direct, HeaderLookup headers) {
        List<String> lines = headers.values("Forwarded");
        Walk walk = new Walk(direct.client());
        Element stop = null;
        walking:
        for (int i = lines.size() - 1; i >= 0; i--) {
            List<Element> elements = ForwardedParser.parse(lines.get(i));
            if (elements == null) {
                break; // nothing from here leftwards can be trusted
            }
            for (int j = elements.size() - 1; j >= 0; j--) {
                stop = elements.get(j);
                InetSocketAddress node = stop.forNode() == null ? null : ForwardedValues.node(stop.forNode());
                if (!walk.step(node)) {
                    break walking;
                }
            }
        }
        if (stop == null) {
            return direct; // no line could be read
        }
        String scheme = direct.scheme();
        String host = direct.host();
        int port = direct.port();
        String proto = stop.proto() == null ? null : scheme(stop.proto());
        if (proto != null) {
            scheme = proto;
            port = EffectiveOrigin.defaultPort(scheme);
        }
        HostAndPort forwardedHost = stop.host() == null ? null : ForwardedValues.hostAndPort(stop.host());
        if (forwardedHost != null) {
            host = forwardedHost.host();
            port = forwardedHost.port() > 0 ? forwardedHost.port() : EffectiveOrigin.defaultPort(scheme);
        }
        if (!walk.moved() && proto == null && forwardedHost == null) {
            return direct;
        }
        return new EffectiveOrigin(scheme, host, port, walk.client(), walk.proxies(), true);
    }

    /**
     * The client search: starts at the connection's peer (trusted), moves left one identified
     * trusted hop at a time.
     */
    private final class Walk {

        private InetSocketAddress current;
        private final List<InetAddress> passed = new ArrayList<>();
        private boolean done;

        Walk(InetSocketAddress peer) {
            this.current = peer;
        }

        /**
         * One entry to the left of the current hop, which wrote it.
         *
         * @param node the address it names, {@code null} when it names none
         * @return whether the walk goes on (the entry named a trusted proxy)
         */
        boolean step(InetSocketAddress node) {
            if (done) {
                return false;
            }
            if (node == null) {
                done = true;
                return false;
            }
            passed.add(0, current.getAddress());
            current = node;
            if (!trusted.contains(node.getAddress())) {
                done = true;
                return false;
            }
            return true;
        }

        boolean moved() {
            return !passed.isEmpty();
        }

        InetSocketAddress client() {
            return current;
        }

        List<InetAddress> proxies() {
            return passed;
        }
    }

    /** The entries of all lines, split at commas, blanks trimmed, empty ones skipped, rightmost first. */
    private static List<String> reversedEntries(List<String> lines) {
        List<String> entries = new ArrayList<>();
        for (int i = lines.size() - 1; i >= 0; i--) {
            String[] parts = lines.get(i).split(",", -1);
            for (int j = parts.length - 1; j >= 0; j--) {
                String entry = parts[j].strip();
                if (!entry.isEmpty()) {
                    entries.add(entry);
                }
            }
        }
        return entries;
    }

    /** https when every entry is https, http when all are http or https; {@code null} when absent or malformed. */
    private static String forwardedProto(List<String> lines) {
        List<String> entries = reversedEntries(lines);
        if (entries.isEmpty()) {
            return null;
        }
        boolean allHttps = true;
        for (String entry : entries) {
            String scheme = scheme(entry);
            if (scheme == null) {
                return null;
            }
            allHttps &= scheme.equals("https");
        }
        return allHttps ? "https" : "http";
    }

    private static String scheme(String value) {
        if (value.equalsIgnoreCase("https")) {
            return "https";
        }
        return value.equalsIgnoreCase("http") ? "http" : null;
    }

    /** The one {@code host[:port]} of a header that may hold only one; {@code null} otherwise. */
    private static HostAndPort single(List<String> lines) {
        if (lines.size() != 1 || lines.get(0).indexOf(',') >= 0) {
            return null;
        }
        return ForwardedValues.hostAndPort(lines.get(0).strip());
    }

    @Override
    public String toString() {
        return "ForwardedHeaders[" + source + " from " + trusted + "]";
    }
}
