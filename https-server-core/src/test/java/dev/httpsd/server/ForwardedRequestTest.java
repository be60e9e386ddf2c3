package dev.httpsd.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.httpsd.server.proxy.EffectiveOrigin;
import dev.httpsd.server.proxy.ForwardedHeaders;
import dev.httpsd.server.proxy.TrustedProxies;
import java.net.InetAddress;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A request's effective origin ({@link HttpRequest#origin()} and the default methods around it)
 * over real loopback connections: the connection's own view without forwarded headers or from an
 * untrusted peer; what trusted proxies report otherwise, the client found from the right of
 * {@code X-Forwarded-For}; RFC 7239 {@code Forwarded} when that family is chosen; and nothing
 * carried from one request of a connection to the next.
 */
class ForwardedRequestTest {

    @RegisterExtension
    final ServerFixture fixture = new ServerFixture();

    @Test
    void withoutForwardedHeadersConfiguredTheOriginIsTheConnectionsOwn() throws Exception {
        start(null);
        RawClient client = fixture.connect();

        RawClient.Response response = client.exchange("""
                GET /origin HTTP/1.1\r
                Host: shop.example:8080\r
                X-Forwarded-For: 203.0.113.7\r
                X-Forwarded-Proto: https\r
                Forwarded: for=198.51.100.1;proto=https\r
                \r
                """);

        assertThat(response.bodyText())
                .isEqualTo("scheme=http host=shop.example port=8080 client=127.0.0.1:" + client.localPort()
                        + " proxies=[] forwarded=false");
    }

    @Test
    void aTrustedProxysHeadersGiveTheClientAndTheUrlItUsed() throws Exception {
        start(ForwardedHeaders.of(ForwardedHeaders.Source.X_FORWARDED, TrustedProxies.of("127.0.0.0/8", "10.0.0.0/8")));

        RawClient.Response response = fixture.connect().exchange("""
                        GET /origin HTTP/1.1\r
                        Host: 10.0.0.5:8080\r
                        X-Forwarded-For: 203.0.113.7, 10.0.0.2\r
                        X-Forwarded-Proto: https\r
                        X-Forwarded-Host: shop.example\r
                        \r
                        """);

        // 127.0.0.1 (the peer) and 10.0.0.2 are trusted proxies, 203.0.113.7 the client
        assertThat(response.bodyText())
                .isEqualTo("scheme=https host=shop.example port=443 client=203.0.113.7:0"
                        + " proxies=[10.0.0.2, 127.0.0.1] forwarded=true");
    }

    @Test
    void entriesAClientWroteItselfLeftOfTheFirstUntrustedAddressAreNeverRead() throws Exception {
        start(ForwardedHeaders.of(ForwardedHeaders.Source.X_FORWARDED, TrustedProxies.of("127.0.0.1")));

        // the client sent "X-Forwarded-For: 10.1.1.1"; the proxy appended the address it saw
        RawClient.Response response = fixture.connect().exchange("""
                        GET /origin HTTP/1.1\r
                        Host: shop.example\r
                        X-Forwarded-For: 10.1.1.1, 203.0.113.7\r
                        \r
                        """);

        assertThat(response.bodyText()).contains("client=203.0.113.7:0 proxies=[127.0.0.1]");
    }

    @Test
    void anUntrustedPeersForwardedHeadersAreIgnored() throws Exception {
        start(ForwardedHeaders.of(ForwardedHeaders.Source.X_FORWARDED, TrustedProxies.of("192.0.2.0/24")));
        RawClient client = fixture.connect();

        RawClient.Response response = client.exchange("""
                GET /origin HTTP/1.1\r
                Host: localhost:8080\r
                X-Forwarded-For: 203.0.113.7\r
                X-Forwarded-Proto: https\r
                X-Forwarded-Host: bank.example\r
                X-Forwarded-Port: 443\r
                \r
                """);

        assertThat(response.bodyText())
                .isEqualTo("scheme=http host=localhost port=8080 client=127.0.0.1:" + client.localPort()
                        + " proxies=[] forwarded=false");
    }

    @Test
    void withTheForwardedFamilyRfc7239IsReadAndXForwardedIgnored() throws Exception {
        start(ForwardedHeaders.of(ForwardedHeaders.Source.FORWARDED, TrustedProxies.of("127.0.0.0/8")));

        RawClient.Response response = fixture.connect().exchange("""
                        GET /origin HTTP/1.1\r
                        Host: internal:8080\r
                        X-Forwarded-For: 198.51.100.9\r
                        Forwarded: for="[2001:db8::7]:4711";proto=https;host="api.example:8443"\r
                        \r
                        """);

        assertThat(response.bodyText())
                .isEqualTo("scheme=https host=api.example port=8443 client=2001:db8:0:0:0:0:0:7:4711"
                        + " proxies=[127.0.0.1] forwarded=true");
    }

    @Test
    void eachRequestOfAConnectionHasItsOwnOrigin() throws Exception {
        start(ForwardedHeaders.of(ForwardedHeaders.Source.X_FORWARDED, TrustedProxies.of("127.0.0.0/8")));
        RawClient client = fixture.connect();

        String first = client.exchange("""
                        GET /origin HTTP/1.1\r
                        Host: a.example\r
                        X-Forwarded-For: 203.0.113.1\r
                        \r
                        """).bodyText();
        String second = client.exchange("""
                        GET /origin HTTP/1.1\r
                        Host: b.example\r
                        \r
                        """).bodyText();

        assertThat(first).startsWith("scheme=http host=a.example port=80 client=203.0.113.1:0");
        assertThat(second)
                .isEqualTo("scheme=http host=b.example port=80 client=127.0.0.1:" + client.localPort()
                        + " proxies=[] forwarded=false");
    }

    @Test
    void http10WithoutHostHasNoHostAndTheLocalPort() throws Exception {
        HttpServer server = start(null);
        RawClient client = fixture.connect();

        RawClient.Response response = client.exchange("GET /origin HTTP/1.0\r\n\r\n");

        assertThat(response.bodyText()).startsWith("scheme=http host=null port=" + server.port() + " client=");
    }

    private HttpServer start(ForwardedHeaders forwarded) throws Exception {
        HttpServer server = fixture.start(b -> b.forwardedHeaders(forwarded));
        fixture.handle("/origin", HttpMethod.GET, (req, resp) -> {
            EffectiveOrigin origin = req.origin();
            // the default methods answer the same as the origin they come from
            assertThat(req.scheme()).isEqualTo(origin.scheme());
            assertThat(req.host()).isEqualTo(origin.host());
            assertThat(req.port()).isEqualTo(origin.port());
            assertThat(req.clientAddress()).isEqualTo(origin.client());
            resp.send("scheme=" + req.scheme() + " host=" + req.host() + " port=" + req.port()
                    + " client=" + req.clientAddress().getAddress().getHostAddress() + ":"
                    + req.clientAddress().getPort()
                    + " proxies="
                    + origin.proxies().stream()
                            .map(InetAddress::getHostAddress)
                            .collect(Collectors.joining(", ", "[", "]"))
                    + " forwarded=" + origin.forwarded());
        });
        return server;
    }
}
