package dev.httpsd.server.proxy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Where a request really came from and what the client asked for: the scheme, host and port of
 * the URL the client used and the client's address, as a trusted proxy reported them ({@link
 * ForwardedHeaders}) or, without one, as the connection shows them. Immutable.
 *
 * @param scheme {@code http} or {@code https}
 * @param host the host the client asked for, an IPv6 address in brackets ({@code [2001:db8::1]});
 *     {@code null} when the request named none (HTTP/1.0 without Host) and no proxy did
 * @param port the port of the URL the client used, 1-65535
 * @param client the client's address; port 0 when a proxy gave its address without a port
 * @param proxies the trusted proxies the request passed, nearest to the client first, ending with
 *     the connection's peer; empty when the client address is the connection's own
 * @param forwarded whether any of the values came from forwarded headers
 */
public record EffectiveOrigin(
        String scheme, String host, int port, InetSocketAddress client, List<InetAddress> proxies, boolean forwarded) {

    public EffectiveOrigin {
        Objects.requireNonNull(scheme, "scheme");
        scheme = scheme.toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("the scheme is http or https, not " + scheme);
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("the port is 1-65535, not " + port);
        }
        Objects.requireNonNull(client, "client");
        proxies = List.copyOf(proxies);
    }

    /**
     * The origin as the connection shows it, with no proxy involved.
     *
     * @param secure whether the connection is TLS
     * @param hostHeader the request's Host value ({@code example.com:8443}, {@code [::1]}), or
     *     {@code null}; assumed valid (the request parser checked it)
     * @param localPort the port the connection reached, used when there is no Host value (a Host
     *     value without a port means the scheme's default port)
     * @param peer the connection's remote address
     */
    public static EffectiveOrigin direct(boolean secure, String hostHeader, int localPort, InetSocketAddress peer) {
        String scheme = secure ? "https" : "http";
        if (hostHeader == null || hostHeader.isEmpty()) {
            return new EffectiveOrigin(scheme, null, localPort, peer, List.of(), false);
        }
        int colon = hostHeader.startsWith("[")
                ? hostHeader.indexOf(':', hostHeader.indexOf(']'))
                : hostHeader.lastIndexOf(':');
        if (colon < 0) {
            return new EffectiveOrigin(scheme, hostHeader, defaultPort(scheme), peer, List.of(), false);
        }
        int port = ForwardedValues.port(hostHeader.substring(colon + 1));
        return new EffectiveOrigin(
                scheme, hostHeader.substring(0, colon), port > 0 ? port : defaultPort(scheme), peer, List.of(), false);
    }

    /** Whether the client used HTTPS. */
    public boolean secure() {
        return scheme.equals("https");
    }

    /**
     * {@code host} or {@code host:port}, the port left out when it is the scheme's default: what
     * an absolute URL to the client's origin carries. {@code null} without a host.
     */
    public String authority() {
        if (host == null) {
            return null;
        }
        return port == defaultPort(scheme) ? host : host + ":" + port;
    }

    /** 443 for https, 80 for http. */
    public static int defaultPort(String scheme) {
        return scheme.equalsIgnoreCase("https") ? 443 : 80;
    }
}
