package dev.httpsd.server.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.httpsd.server.CompletedRequest;
import dev.httpsd.server.HttpMethod;
import dev.httpsd.server.HttpServer;
import dev.httpsd.server.HttpServerEvent;
import dev.httpsd.server.RawClient;
import dev.httpsd.server.UriHandler;
import dev.httpsd.server.proxy.ForwardedHeaders;
import dev.httpsd.server.proxy.ProxyHeaderWriter;
import dev.httpsd.server.proxy.ProxyProtocol;
import dev.httpsd.server.proxy.TrustedProxies;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code redirectInsecure} in SECURE mode: plain HTTP on {@code portInsecure} is answered 308
 * with {@code Location: https://host:securePort/uri}. Not in ESP.
 */
class RedirectTest {

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} {1} with Host {2}")
    @CsvSource(
            delimiter = '|',
            value = {
                "GET  | /            | localhost        | https://localhost:SECURE/",
                "GET  | /a/b?x=1&y=2 | localhost:8080   | https://localhost:SECURE/a/b?x=1&y=2",
                "POST | /form        | example.com      | https://example.com:SECURE/form",
                "GET  | /v6          | [::1]:8080       | https://[::1]:SECURE/v6",
                "GET  | http://localhost:8080/abs?q=1 | localhost:8080 | https://localhost:SECURE/abs?q=1",
                "GET  | http://example.com/abs | other.example | https://example.com:SECURE/abs"
            })
    void plainRequestsAreRedirectedToTheSameUriOverHttps(String method, String target, String host, String location)
            throws Exception {
        try (TlsTestServer server = TlsTestServer.start(b -> b.redirectInsecure(true))) {
            HttpServer redirect = server.https().redirectServer().orElseThrow();
            try (RawClient plain = new RawClient(redirect.port())) {
                RawClient.Response response = plain.exchange(
                        method + " " + target + " HTTP/1.1\r\nHost: " + host + "\r\nContent-Length: 0\r\n\r\n");

                assertThat(response.status()).isEqualTo(308);
                assertThat(response.header("Location"))
                        .isEqualTo(location.replace("SECURE", String.valueOf(server.port())));
            }
        }
    }

    @Test
    void behindATrustedProxyTheRedirectGoesToTheForwardedHostOnHttpsDefaultPort() throws Exception {
        try (TlsTestServer server = TlsTestServer.start(b -> b.redirectInsecure(true)
                        .httpd(h -> h.forwardedHeaders(ForwardedHeaders.of(
                                ForwardedHeaders.Source.X_FORWARDED, TrustedProxies.of("127.0.0.0/8")))));
                RawClient plain = new RawClient(
                        server.https().redirectServer().orElseThrow().port())) {
            RawClient.Response response = plain.exchange("""
                    GET /cart?id=7 HTTP/1.1\r
                    Host: 10.0.0.5:8080\r
                    X-Forwarded-For: 203.0.113.7\r
                    X-Forwarded-Proto: http\r
                    X-Forwarded-Host: shop.example\r
                    \r
                    """);

            // the client reached the proxy, never this server's secure port
            assertThat(response.status()).isEqualTo(308);
            assertThat(response.header("Location")).isEqualTo("https://shop.example/cart?id=7");
        }
    }

    @Test
    void whenATrustedProxySaysTheClientAlreadyUsesHttpsItIsToldInsteadOfLooping() throws Exception {
        try (TlsTestServer server = TlsTestServer.start(b -> b.redirectInsecure(true)
                        .httpd(h -> h.forwardedHeaders(ForwardedHeaders.of(
                                ForwardedHeaders.Source.X_FORWARDED, TrustedProxies.of("127.0.0.0/8")))));
                RawClient plain = new RawClient(
                        server.https().redirectServer().orElseThrow().port())) {
            RawClient.Response response = plain.exchange("""
                    GET /cart HTTP/1.1\r
                    Host: shop.example\r
                    X-Forwarded-Proto: https\r
                    \r
                    """);

            assertThat(response.status()).isEqualTo(421);
            assertThat(response.header("Location")).isNull();
            assertThat(response.bodyText()).contains("forward these requests to the HTTPS port");
        }
    }

    @Test
    void anUntrustedPeerCannotRedirectClientsElsewhere() throws Exception {
        try (TlsTestServer server = TlsTestServer.start(b -> b.redirectInsecure(true)
                        .httpd(h -> h.forwardedHeaders(ForwardedHeaders.of(
                                ForwardedHeaders.Source.X_FORWARDED, TrustedProxies.of("192.0.2.1")))));
                RawClient plain = new RawClient(
                        server.https().redirectServer().orElseThrow().port())) {
            RawClient.Response response = plain.exchange("""
                    GET /login HTTP/1.1\r
                    Host: localhost\r
                    X-Forwarded-Host: evil.example\r
                    X-Forwarded-Proto: https\r
                    \r
                    """);

            assertThat(response.status()).isEqualTo(308);
            assertThat(response.header("Location")).isEqualTo("https://localhost:" + server.port() + "/login");
        }
    }

    @Test
    void requestsOnTheTlsPortHaveTheHttpsSchemeAndAHostWithoutPortItsDefault() throws Exception {
        try (TlsTestServer server = TlsTestServer.start(b -> b.redirectInsecure(true))) {
            server.https()
                    .httpServer()
                    .registerUriHandler(UriHandler.of(
                            "/origin",
                            HttpMethod.GET,
                            (req, resp) -> resp.send(req.scheme() + " " + req.host() + " " + req.port())));

            RawClient.Response secure =
                    TlsFixtures.fetch(TlsFixtures.clientContext(null), server.port(), "/origin", p -> {});

            // the client named no port (fetch sends "Host: localhost"): https means 443
            assertThat(secure.bodyText()).isEqualTo("https localhost 443");
        }
    }

    @Test
    void withoutAHostHeaderTheLocalAddressIsUsed() throws Exception {
        try (TlsTestServer server = TlsTestServer.start(b -> b.redirectInsecure(true));
                RawClient plain = new RawClient(new Socket(
                        InetAddress.getByName("127.0.0.1"),
                        server.https().redirectServer().orElseThrow().port()))) {
            RawClient.Response response = plain.exchange("GET /old HTTP/1.0\r\n\r\n");

            assertThat(response.status()).isEqualTo(308);
            assertThat(response.header("Location")).isEqualTo("https://127.0.0.1:" + server.port() + "/old");
        }
    }

    @ParameterizedTest(name = "Host ''{0}''")
    @CsvSource(value = {"''", ":8080"})
    void anEmptyHostNameIsReplacedByTheLocalAddress(String host) throws Exception {
        try (TlsTestServer server = TlsTestServer.start(b -> b.redirectInsecure(true));
                RawClient plain = new RawClient(new Socket(
                        InetAddress.getByName("127.0.0.1"),
                        server.https().redirectServer().orElseThrow().port()))) {
            RawClient.Response response = plain.exchange("GET /old HTTP/1.1\r\nHost: " + host + "\r\n\r\n");

            assertThat(response.status()).isEqualTo(308);
            assertThat(response.header("Location")).isEqualTo("https://127.0.0.1:" + server.port() + "/old");
        }
    }

    @Test
    void curlFollowsTheRedirectToTheTlsServer() throws Exception {
        try (TlsTestServer server = TlsTestServer.start(b -> b.redirectInsecure(true))) {
            int insecure = server.https().redirectServer().orElseThrow().port();
            ExternalProcess.Result curl = ExternalProcess.run(
                    Duration.ofSeconds(30),
                    "curl",
                    "-sS",
                    "-L",
                    "--max-time",
                    "20",
                    "--cacert",
                    TlsFixtures.writeCa(dir).toString(),
                    "-w",
                    "\nfinal=%{url_effective} status=%{http_code}",
                    "http://localhost:" + insecure + "/tls");

            assertThat(curl.exitCode()).as(curl.output()).isZero();
            assertThat(curl.output())
                    .startsWith("protocol=TLSv1.3")
                    .contains("final=https://localhost:" + server.port() + "/tls status=200");
        }
    }

    @Test
    void theRedirectListenerStopsWithTheServerAndIsAbsentByDefault() throws Exception {
        HttpServer redirect;
        try (TlsTestServer server = TlsTestServer.start(b -> b.redirectInsecure(true))) {
            redirect = server.https().redirectServer().orElseThrow();
            assertThat(redirect.port()).isPositive().isNotEqualTo(server.port());
            assertThat(redirect.state()).isNotEqualTo(HttpServerEvent.Id.STOP);
        }
        // not by connecting to the freed port: another process may have taken it meanwhile
        assertThat(redirect.state()).isEqualTo(HttpServerEvent.Id.STOP);
        try (TlsTestServer server = TlsTestServer.start()) {
            assertThat(server.https().redirectServer()).isEmpty();
        }
    }

    @Test
    void redirectedRequestsAreNotReportedToTheSecureServersRequestObserver() throws Exception {
        BlockingQueue<CompletedRequest> observed = new LinkedBlockingQueue<>();
        try (TlsTestServer server =
                TlsTestServer.start(b -> b.redirectInsecure(true).httpd(h -> h.requestObserver(observed::add)))) {
            try (RawClient plain =
                    new RawClient(server.https().redirectServer().orElseThrow().port())) {
                assertThat(plain.exchange("GET /old HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                                .status())
                        .isEqualTo(308);
                // the session closes only after its observer returned: nothing can still be on its way
                assertThat(plain.closedByServer()).isTrue();
            }
            assertThat(observed)
                    .as("the redirect listener has no observer of its own")
                    .isEmpty();

            assertThat(TlsFixtures.fetch(TlsFixtures.clientContext(null), server.port(), "/tls", p -> {})
                            .status())
                    .isEqualTo(200);
            CompletedRequest secure = observed.poll(TlsFixtures.PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(secure).isNotNull();
            assertThat(secure.path()).isEqualTo("/tls");
            assertThat(secure.status()).isEqualTo(200);
        }
    }

    @Test
    void behindAProxyProtocolBalancerTheRedirectListenerAlsoReadsTheHeaderFirst() throws Exception {
        try (TlsTestServer server = TlsTestServer.start(b -> b.redirectInsecure(true)
                        .httpd(h -> h.proxyProtocol(ProxyProtocol.trusting(TrustedProxies.of("127.0.0.1")))));
                RawClient proxied = new RawClient(
                        server.https().redirectServer().orElseThrow().port());
                RawClient direct = new RawClient(
                        server.https().redirectServer().orElseThrow().port())) {
            proxied.send(ProxyHeaderWriter.v1(
                    new InetSocketAddress("203.0.113.7", 4711), new InetSocketAddress("198.51.100.1", 80)));
            RawClient.Response response = proxied.exchange("GET /cart HTTP/1.1\r\nHost: shop.example\r\n\r\n");

            assertThat(response.status()).isEqualTo(308);
            assertThat(response.header("Location")).isEqualTo("https://shop.example:" + server.port() + "/cart");
            direct.send("GET /cart HTTP/1.1\r\nHost: shop.example\r\n\r\n");
            assertThat(direct.readToEnd()).as("no header, nothing answered").isEmpty();
        }
    }

    @Test
    void theRedirectIsOnlyForSecureMode() throws Exception {
        HttpsServer plain = HttpsServer.start(HttpsServerConfig.builder()
                .transportMode(TransportMode.INSECURE)
                .portInsecure(0)
                .redirectInsecure(true)
                .build());
        try {
            assertThat(plain.redirectServer()).isEmpty();
            plain.httpServer()
                    .registerUriHandler(UriHandler.of("/", HttpMethod.GET, (req, resp) -> resp.send("plain")));
            try (RawClient client = new RawClient(plain.port())) {
                assertThat(client.exchange("GET / HTTP/1.1\r\nHost: x\r\n\r\n").bodyText())
                        .isEqualTo("plain");
            }
        } finally {
            plain.stop();
        }
    }
}
