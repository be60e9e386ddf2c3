package dev.httpsd.server.proxy;

import static dev.httpsd.server.proxy.ProxyV1Test.address;
import static org.assertj.core.api.Assertions.assertThat;

import dev.httpsd.server.proxy.ForwardedHeaders.Source;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The effective origin from forwarded headers, as tables: a connection from {@code peer} (port
 * 40000) to plain HTTP, Host {@code internal:8080}, with the header lines given ({@code \n}
 * between lines), reads as the scheme, host, port, client and trusted proxies given ({@code -}: no
 * proxies, and the origin is the connection's own). Trusted: {@code 10.0.0.0/8} and {@code
 * 2001:db8:a::/48}.
 */
class ForwardedHeadersTest {

    private static final TrustedProxies TRUSTED = TrustedProxies.of("10.0.0.0/8", "2001:db8:a::/48");

    @ParameterizedTest(name = "[{index}] {0} {1}")
    @CsvSource(delimiter = '|', textBlock = """
            # the client: walk X-Forwarded-For from the right over trusted proxies
            10.0.0.1       | X-Forwarded-For: 203.0.113.7                                | http  | internal        | 8080 | 203.0.113.7:0        | 10.0.0.1
            198.51.100.1   | X-Forwarded-For: 203.0.113.7                                | http  | internal        | 8080 | 198.51.100.1:40000   | -
            10.0.0.1       | X-Forwarded-For: 203.0.113.7, 10.0.0.2                      | http  | internal        | 8080 | 203.0.113.7:0        | 10.0.0.2 10.0.0.1
            10.0.0.1       | X-Forwarded-For: 1.2.3.4, 203.0.113.7                       | http  | internal        | 8080 | 203.0.113.7:0        | 10.0.0.1
            10.0.0.1       | X-Forwarded-For: 10.0.0.3, 10.0.0.2                         | http  | internal        | 8080 | 10.0.0.3:0           | 10.0.0.2 10.0.0.1
            10.0.0.1       | X-Forwarded-For: 203.0.113.7\\nX-Forwarded-For: 10.0.0.2    | http  | internal        | 8080 | 203.0.113.7:0        | 10.0.0.2 10.0.0.1
            10.0.0.1       | X-Forwarded-For: 203.0.113.7,, 10.0.0.2,                    | http  | internal        | 8080 | 203.0.113.7:0        | 10.0.0.2 10.0.0.1
            10.0.0.1       | X-Forwarded-For: 203.0.113.7, unknown                       | http  | internal        | 8080 | 10.0.0.1:40000       | -
            10.0.0.1       | X-Forwarded-For: 203.0.113.7, garbage, 10.0.0.2             | http  | internal        | 8080 | 10.0.0.2:0           | 10.0.0.1
            10.0.0.1       | X-Forwarded-For: 203.0.113.7:5555                           | http  | internal        | 8080 | 203.0.113.7:5555     | 10.0.0.1
            10.0.0.1       | X-Forwarded-For: [2001:db8::7]:4711                         | http  | internal        | 8080 | [2001:db8::7]:4711   | 10.0.0.1
            10.0.0.1       | X-Forwarded-For: 2001:db8::7                                | http  | internal        | 8080 | [2001:db8::7]:0      | 10.0.0.1
            2001:db8:a::1  | X-Forwarded-For: 192.0.2.44, 2001:db8:a::2                  | http  | internal        | 8080 | 192.0.2.44:0         | 2001:db8:a::2 2001:db8:a::1
            ::ffff:10.0.0.1 | X-Forwarded-For: 203.0.113.7                               | http  | internal        | 8080 | 203.0.113.7:0        | 10.0.0.1
            # the scheme: X-Forwarded-Proto (https only when every entry is), the port follows
            10.0.0.1       | X-Forwarded-Proto: https                                    | https | internal        | 443  | 10.0.0.1:40000       | -
            10.0.0.1       | X-Forwarded-Proto: HTTPS                                    | https | internal        | 443  | 10.0.0.1:40000       | -
            10.0.0.1       | X-Forwarded-Proto: https, https                             | https | internal        | 443  | 10.0.0.1:40000       | -
            10.0.0.1       | X-Forwarded-Proto: https, http                              | http  | internal        | 80   | 10.0.0.1:40000       | -
            10.0.0.1       | X-Forwarded-Proto: ftp                                      | http  | internal        | 8080 | 10.0.0.1:40000       | -
            10.0.0.1       | X-Forwarded-Proto: https, ftp                               | http  | internal        | 8080 | 10.0.0.1:40000       | -
            198.51.100.1   | X-Forwarded-Proto: https                                    | http  | internal        | 8080 | 198.51.100.1:40000   | -
            # the host and port: X-Forwarded-Host (one value), X-Forwarded-Port (wins)
            10.0.0.1       | X-Forwarded-Proto: https\\nX-Forwarded-Host: example.com    | https | example.com     | 443  | 10.0.0.1:40000       | -
            10.0.0.1       | X-Forwarded-Proto: https\\nX-Forwarded-Host: example.com:8443 | https | example.com   | 8443 | 10.0.0.1:40000       | -
            10.0.0.1       | X-Forwarded-Host: example.com                               | http  | example.com     | 80   | 10.0.0.1:40000       | -
            10.0.0.1       | X-Forwarded-Host: [2001:db8::1]:8443                        | http  | [2001:db8::1]   | 8443 | 10.0.0.1:40000       | -
            10.0.0.1       | X-Forwarded-Host: a.example, b.example                      | http  | internal        | 8080 | 10.0.0.1:40000       | -
            10.0.0.1       | X-Forwarded-Host: a.example\\nX-Forwarded-Host: b.example   | http  | internal        | 8080 | 10.0.0.1:40000       | -
            10.0.0.1       | X-Forwarded-Host: exa mple.com                              | http  | internal        | 8080 | 10.0.0.1:40000       | -
            10.0.0.1       | X-Forwarded-Host: example.com:0                             | http  | internal        | 8080 | 10.0.0.1:40000       | -
            10.0.0.1       | X-Forwarded-Proto: https\\nX-Forwarded-Host: example.com:9443\\nX-Forwarded-Port: 8443 | https | example.com | 8443 | 10.0.0.1:40000 | -
            10.0.0.1       | X-Forwarded-Port: 8443                                      | http  | internal        | 8443 | 10.0.0.1:40000       | -
            10.0.0.1       | X-Forwarded-Port: 0                                         | http  | internal        | 8080 | 10.0.0.1:40000       | -
            10.0.0.1       | X-Forwarded-Port: +443                                      | http  | internal        | 8080 | 10.0.0.1:40000       | -
            10.0.0.1       | X-Forwarded-Port: 443, 80                                   | http  | internal        | 8080 | 10.0.0.1:40000       | -
            # RFC 7239 Forwarded is not read from this family
            10.0.0.1       | Forwarded: for=203.0.113.7;proto=https                      | http  | internal        | 8080 | 10.0.0.1:40000       | -
            """)
    void xForwardedHeadersGiveTheOriginAsTomcatsRemoteIpValveDoes(
            String peer, String headers, String scheme, String host, int port, String client, String proxies) {
        check(Source.X_FORWARDED, peer, headers, scheme, host, port, client, proxies);
    }

    @ParameterizedTest(name = "[{index}] {0} {1}")
    @CsvSource(delimiter = '|', textBlock = """
            # the element where the walk stops gives proto and host
            10.0.0.1 | Forwarded: for=203.0.113.7;proto=https;host=example.com                 | https | example.com | 443  | 203.0.113.7:0      | 10.0.0.1
            10.0.0.1 | Forwarded: for="[2001:db8::7]:4711";proto=https                         | https | internal    | 443  | [2001:db8::7]:4711 | 10.0.0.1
            10.0.0.1 | Forwarded: for=203.0.113.7;host="example.com:8443";proto=https          | https | example.com | 8443 | 203.0.113.7:0      | 10.0.0.1
            10.0.0.1 | Forwarded: for=203.0.113.7;proto=https;host=example.com, for=10.0.0.2;proto=http;host=lb.internal | https | example.com | 443 | 203.0.113.7:0 | 10.0.0.2 10.0.0.1
            10.0.0.1 | Forwarded: for=203.0.113.7;proto=https;host=example.com\\nForwarded: for=10.0.0.2;proto=http | https | example.com | 443 | 203.0.113.7:0 | 10.0.0.2 10.0.0.1
            10.0.0.1 | Forwarded: for=1.2.3.4;host=evil.example, for=203.0.113.7;proto=https;host=example.com | https | example.com | 443 | 203.0.113.7:0 | 10.0.0.1
            10.0.0.1 | Forwarded: for=10.0.0.3, for=10.0.0.2                                   | http  | internal    | 8080 | 10.0.0.3:0         | 10.0.0.2 10.0.0.1
            198.51.100.1 | Forwarded: for=203.0.113.7;proto=https                              | http  | internal    | 8080 | 198.51.100.1:40000 | -
            # no address to go on: the client is the last hop identified
            10.0.0.1 | Forwarded: for=_hidden;proto=https;host=example.com                     | https | example.com | 443  | 10.0.0.1:40000     | -
            10.0.0.1 | Forwarded: for=unknown;proto=https                                      | https | internal    | 443  | 10.0.0.1:40000     | -
            10.0.0.1 | Forwarded: proto=https;host=example.com                                 | https | example.com | 443  | 10.0.0.1:40000     | -
            10.0.0.1 | Forwarded: for=_hidden, for=10.0.0.2;proto=https                        | http  | internal    | 8080 | 10.0.0.2:0         | 10.0.0.1
            10.0.0.1 | Forwarded: for="203.0.113.7:70000"                                      | http  | internal    | 8080 | 10.0.0.1:40000     | -
            10.0.0.1 | Forwarded: for="203.0.113.7:_p1"                                        | http  | internal    | 8080 | 203.0.113.7:0      | 10.0.0.1
            10.0.0.1 | Forwarded: for="[fe80::1%25eth0]"                                       | http  | internal    | 8080 | 10.0.0.1:40000     | -
            # syntax: a line that is not valid Forwarded, and everything left of it, is not read
            10.0.0.1 | Forwarded: for=[2001:db8::7]                                            | http  | internal    | 8080 | 10.0.0.1:40000     | -
            10.0.0.1 | Forwarded: for=203.0.113.7;for=1.2.3.4                                  | http  | internal    | 8080 | 10.0.0.1:40000     | -
            10.0.0.1 | Forwarded: for = 203.0.113.7                                            | http  | internal    | 8080 | 10.0.0.1:40000     | -
            10.0.0.1 | Forwarded: for="203.0.113.7                                             | http  | internal    | 8080 | 10.0.0.1:40000     | -
            10.0.0.1 | Forwarded: for="1.2.3.4\\nForwarded: for=203.0.113.7;proto=https        | https | internal    | 443  | 203.0.113.7:0      | 10.0.0.1
            10.0.0.1 | Forwarded: for=203.0.113.7;proto=https\\nForwarded: for=10.0.0.2;x=y;   | https | internal    | 443  | 203.0.113.7:0      | 10.0.0.2 10.0.0.1
            10.0.0.1 | Forwarded: for=203.0.113.7;proto=https\\nForwarded: for=10.0.0.2 x      | http  | internal    | 8080 | 10.0.0.1:40000     | -
            10.0.0.1 | Forwarded: For=203.0.113.7;PROTO=HTTPS;Host=Example.com                 | https | Example.com | 443  | 203.0.113.7:0      | 10.0.0.1
            10.0.0.1 | Forwarded: for="203.0.113.7";host="ex\\ample.com"                      | http  | example.com | 80   | 203.0.113.7:0      | 10.0.0.1
            10.0.0.1 | Forwarded: for=203.0.113.7 ; proto=https , for=10.0.0.2                 | https | internal    | 443  | 203.0.113.7:0      | 10.0.0.2 10.0.0.1
            10.0.0.1 | Forwarded: , for=203.0.113.7;by=10.0.0.1;secret=abc,                    | http  | internal    | 8080 | 203.0.113.7:0      | 10.0.0.1
            # values that are not valid are ignored; the connection's stand
            10.0.0.1 | Forwarded: for=203.0.113.7;proto=ftp                                    | http  | internal    | 8080 | 203.0.113.7:0      | 10.0.0.1
            10.0.0.1 | Forwarded: for=203.0.113.7;host="a b"                                   | http  | internal    | 8080 | 203.0.113.7:0      | 10.0.0.1
            # X-Forwarded-* is not read from this family
            10.0.0.1 | X-Forwarded-For: 203.0.113.7\\nX-Forwarded-Proto: https                 | http  | internal    | 8080 | 10.0.0.1:40000     | -
            """)
    void rfc7239ForwardedGivesTheOriginFromTheElementWhereTheWalkStops(
            String peer, String headers, String scheme, String host, int port, String client, String proxies) {
        check(Source.FORWARDED, peer, headers, scheme, host, port, client, proxies);
    }

    @Test
    void withoutAnyForwardedHeaderTheDirectOriginIsReturnedItself() {
        EffectiveOrigin direct = direct("10.0.0.1");

        assertThat(ForwardedHeaders.of(Source.X_FORWARDED, TRUSTED).resolve(direct, name -> List.of()))
                .isSameAs(direct);
        assertThat(ForwardedHeaders.of(Source.FORWARDED, TRUSTED).resolve(direct, name -> List.of()))
                .isSameAs(direct);
    }

    @Test
    void theDirectOriginReadsTheHostHeader() {
        InetSocketAddress peer = new InetSocketAddress(address("192.0.2.1"), 5000);

        assertThat(EffectiveOrigin.direct(true, "example.com", 8443, peer))
                .isEqualTo(new EffectiveOrigin("https", "example.com", 443, peer, List.of(), false));
        assertThat(EffectiveOrigin.direct(true, "[::1]:8443", 8443, peer).host())
                .isEqualTo("[::1]");
        assertThat(EffectiveOrigin.direct(true, "[::1]:8443", 8443, peer).port())
                .isEqualTo(8443);
        assertThat(EffectiveOrigin.direct(false, null, 8080, peer).host()).isNull();
        assertThat(EffectiveOrigin.direct(false, null, 8080, peer).port()).isEqualTo(8080);
        assertThat(EffectiveOrigin.direct(false, "example.com:", 8080, peer).port())
                .isEqualTo(80);
    }

    @Test
    void theAuthorityLeavesOutTheSchemesDefaultPort() {
        InetSocketAddress peer = new InetSocketAddress(address("192.0.2.1"), 5000);

        assertThat(new EffectiveOrigin("https", "example.com", 443, peer, List.of(), true).authority())
                .isEqualTo("example.com");
        assertThat(new EffectiveOrigin("https", "example.com", 8443, peer, List.of(), true).authority())
                .isEqualTo("example.com:8443");
        assertThat(new EffectiveOrigin("http", "[2001:db8::1]", 80, peer, List.of(), true).authority())
                .isEqualTo("[2001:db8::1]");
        assertThat(new EffectiveOrigin("http", null, 80, peer, List.of(), false).authority())
                .isNull();
    }

    private static void check(
            Source source,
            String peer,
            String headers,
            String scheme,
            String host,
            int port,
            String client,
            String proxies) {
        List<String[]> fields = new ArrayList<>();
        for (String line : headers.split("\\\\n")) {
            int colon = line.indexOf(':');
            fields.add(new String[] {
                line.substring(0, colon).strip(), line.substring(colon + 1).strip()
            });
        }
        ForwardedHeaders.HeaderLookup lookup = name -> fields.stream()
                .filter(field -> field[0].toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT)))
                .map(field -> field[1])
                .toList();
        EffectiveOrigin direct = direct(peer);

        EffectiveOrigin origin = ForwardedHeaders.of(source, TRUSTED).resolve(direct, lookup);

        assertThat(origin.scheme()).as("scheme").isEqualTo(scheme);
        assertThat(origin.host()).as("host").isEqualTo(host);
        assertThat(origin.port()).as("port").isEqualTo(port);
        assertThat(origin.client()).as("client").isEqualTo(socketAddress(client));
        List<InetAddress> expected = proxies.equals("-")
                ? List.of()
                : Arrays.stream(proxies.split(" ")).map(ProxyV1Test::address).toList();
        assertThat(origin.proxies()).as("proxies").isEqualTo(expected);
        boolean unchanged = origin.scheme().equals("http")
                && "internal".equals(origin.host())
                && origin.port() == 8080
                && origin.client().equals(direct.client());
        assertThat(origin.forwarded()).as("forwarded").isEqualTo(!unchanged);
        if (unchanged) {
            assertThat(origin).isSameAs(direct);
        }
    }

    private static EffectiveOrigin direct(String peer) {
        return EffectiveOrigin.direct(false, "internal:8080", 8080, new InetSocketAddress(address(peer), 40000));
    }

    private static InetSocketAddress socketAddress(String text) {
        int colon = text.lastIndexOf(':');
        String host = text.substring(0, colon);
        if (host.startsWith("[")) {
            host = host.substring(1, host.length() - 1);
        }
        return new InetSocketAddress(address(host), Integer.parseInt(text.substring(colon + 1)));
    }
}
