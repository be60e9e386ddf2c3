package dev.httpsd.server.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.httpsd.server.EventRecorder;
import dev.httpsd.server.HttpMethod;
import dev.httpsd.server.HttpServer;
import dev.httpsd.server.HttpServerConfig;
import dev.httpsd.server.HttpServerEvent;
import dev.httpsd.server.HttpSession;
import dev.httpsd.server.RawClient;
import dev.httpsd.server.UriHandler;
import dev.httpsd.server.proxy.ProxyHeader.Command;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The PROXY protocol on a plain listener, with a PROXY-speaking client over loopback: the header's
 * client becomes the session's remote address (in handlers and events), the balancer stays
 * available, TLVs are kept, a {@code LOCAL} header (a health check) is served as the balancer's
 * own connection; a connection without a valid header, from an untrusted peer, or too slow is
 * closed unserved while other sessions carry on.
 */
class ProxyProtocolServerTest {

    private static final InetSocketAddress CLIENT = new InetSocketAddress("203.0.113.7", 4711);
    private static final InetSocketAddress SERVER = new InetSocketAddress("198.51.100.1", 443);
    private static final String REQUEST = "GET /who HTTP/1.1\r\nHost: shop.example\r\n\r\n";

    private final List<HttpServer> servers = new ArrayList<>();
    private final BlockingQueue<InetSocketAddress> connected = new LinkedBlockingQueue<>();
    private final EventRecorder events = new EventRecorder();

    @AfterEach
    void stop() {
        servers.forEach(HttpServer::stop);
    }

    @Test
    void aVersion1HeaderMakesItsClientTheSessionsRemoteAddress() throws Exception {
        HttpServer server = start(proxy -> proxy);
        try (RawClient balancer = new RawClient(server.port())) {
            balancer.send(ProxyHeaderWriter.concat(
                    ProxyHeaderWriter.v1(CLIENT, SERVER), REQUEST.getBytes(StandardCharsets.US_ASCII)));

            assertThat(balancer.read().bodyText())
                    .isEqualTo("remote=203.0.113.7:4711 via=127.0.0.1:" + balancer.localPort()
                            + " version=1 authority=- client=203.0.113.7");
            assertThat(connected.poll(20, TimeUnit.SECONDS)).isEqualTo(CLIENT);
        }
    }

    @Test
    void aVersion2HeaderKeepsItsTlvs() throws Exception {
        HttpServer server = start(proxy -> proxy);
        InetSocketAddress client = new InetSocketAddress("2001:db8::7", 50000);
        ByteArrayOutputStream tlvs = new ByteArrayOutputStream();
        ProxyHeaderWriter.tlv(tlvs, 0x02, "shop.example".getBytes(StandardCharsets.US_ASCII));
        byte[] addresses = ProxyHeaderWriter.hex("""
                20010db8 00000000 00000000 00000007
                20010db8 00000000 00000000 00000001
                c350 01bb
                """);
        byte[] header = ProxyHeaderWriter.concat(
                ProxyHeaderWriter.fixedPart(Command.PROXY, 0x21, addresses.length + tlvs.size()),
                ProxyHeaderWriter.concat(addresses, tlvs.toByteArray()));
        try (RawClient balancer = new RawClient(server.port())) {
            balancer.send(header).send(REQUEST);

            assertThat(balancer.read().bodyText())
                    .startsWith("remote=" + client.getAddress().getHostAddress() + ":50000 via=127.0.0.1:")
                    .endsWith(" version=2 authority=shop.example client=2001:db8:0:0:0:0:0:7");
        }
    }

    @Test
    void aLocalHeaderIsTheBalancersOwnConnection() throws Exception {
        HttpServer server = start(proxy -> proxy);
        try (RawClient healthCheck = new RawClient(server.port())) {
            healthCheck
                    .send(ProxyHeaderWriter.fixedPart(Command.LOCAL, 0x00, 0))
                    .send(REQUEST);

            assertThat(healthCheck.read().bodyText())
                    .isEqualTo("remote=127.0.0.1:" + healthCheck.localPort()
                            + " via=- version=2 authority=- client=127.0.0.1");
        }
    }

    @Test
    void aConnectionWithoutAHeaderIsClosedUnservedAndOtherSessionsCarryOn() throws Exception {
        HttpServer server = start(proxy -> proxy);
        try (RawClient good = new RawClient(server.port());
                RawClient direct = new RawClient(server.port())) {
            good.send(ProxyHeaderWriter.v1(CLIENT, SERVER)).send(REQUEST);
            assertThat(good.read().status()).isEqualTo(200);

            direct.send(REQUEST);

            assertThat(direct.readToEnd()).as("nothing is answered").isEmpty();
            good.send(REQUEST);
            assertThat(good.read().bodyText()).startsWith("remote=203.0.113.7:4711");
        }
    }

    @Test
    void aPeerOutsideTheTrustedSourcesIsRefusedEvenWithAValidHeader() throws Exception {
        HttpServer server = start(proxy -> ProxyProtocol.trusting(TrustedProxies.of("192.0.2.0/24")));
        try (RawClient spoofer = new RawClient(server.port())) {
            spoofer.send(ProxyHeaderWriter.v1(CLIENT, SERVER)).send(REQUEST);

            assertThat(spoofer.readToEnd()).isEmpty();
            assertRefused(ProxyHeaderException.Reason.UNTRUSTED_SOURCE, spoofer, "is not a trusted source");
        }
        assertThat(connected).as("no session was connected").isEmpty();
    }

    @Test
    void aMalformedHeaderIsRefused() throws Exception {
        HttpServer server = start(proxy -> proxy);
        try (RawClient broken = new RawClient(server.port())) {
            broken.send("PROXY TCP4 203.0.113.7 198.51.100.1 4711 99999\r\n" + REQUEST);

            assertThat(broken.readToEnd()).isEmpty();
            assertRefused(ProxyHeaderException.Reason.BAD_ADDRESS, broken, "99999");
        }
    }

    @Test
    void aHeaderThatDoesNotArriveInTimeIsRefused() throws Exception {
        HttpServer server = start(proxy -> proxy.headerTimeout(Duration.ofMillis(300)));
        try (RawClient slow = new RawClient(server.port())) {
            slow.send("PROXY TCP4 203.0.113.7 ");

            // closed by the server's timeout, long before the client's 30 s read timeout
            assertThat(slow.closedByServer()).isTrue();
            assertRefused(ProxyHeaderException.Reason.TIMEOUT, slow, "");
        }
    }

    @Test
    void aConnectionWithoutAHeaderIsRefusedAndItsSessionIsDisconnectedWithoutBeingConnected() throws Exception {
        HttpServer server = start(proxy -> proxy);
        try (RawClient direct = new RawClient(server.port())) {
            direct.send(REQUEST);

            assertThat(direct.readToEnd()).isEmpty();
            HttpServerEvent.ProxyRefused refused =
                    assertRefused(ProxyHeaderException.Reason.NOT_PROXY_PROTOCOL, direct, "not a PROXY header");
            events.awaitEvent(HttpServerEvent.Id.DISCONNECTED, refused.sessionId());
            assertThat(events.idsOf(refused.sessionId()))
                    .containsExactly(HttpServerEvent.Id.PROXY_REFUSED, HttpServerEvent.Id.DISCONNECTED);
        }
    }

    /** The refusal was posted for this client's connection, with its peer and the reason. */
    private HttpServerEvent.ProxyRefused assertRefused(
            ProxyHeaderException.Reason reason, RawClient client, String messagePart) throws InterruptedException {
        InetSocketAddress peer = new InetSocketAddress(InetAddress.getLoopbackAddress(), client.localPort());
        HttpServerEvent.ProxyRefused refused = (HttpServerEvent.ProxyRefused) events.await(
                event -> event instanceof HttpServerEvent.ProxyRefused r
                        && r.remoteAddress().equals(peer),
                Duration.ofSeconds(20));
        assertThat(refused.reason()).isEqualTo(reason);
        assertThat(refused.message()).contains(messagePart);
        return refused;
    }

    @Test
    void theConfigurationRefusesAnEmptyTrustListAndABadTimeout() {
        assertThatThrownBy(() -> ProxyProtocol.trusting(TrustedProxies.none()))
                .hasMessageContaining("no trusted source");
        assertThatThrownBy(() ->
                        ProxyProtocol.trusting(TrustedProxies.of("10.0.0.0/8")).headerTimeout(Duration.ZERO))
                .hasMessageContaining("must be positive");
        assertThatThrownBy(() ->
                        ProxyProtocol.trusting(TrustedProxies.of("10.0.0.0/8")).maxHeaderBytes(100))
                .hasMessageContaining("between 232");
    }

    private HttpServer start(UnaryOperator<ProxyProtocol> tune) throws Exception {
        ProxyProtocol proxy = tune.apply(ProxyProtocol.trusting(TrustedProxies.of("127.0.0.0/8")));
        HttpServer server = HttpServer.start(HttpServerConfig.builder()
                .serverPort(0)
                .bindAddress(InetAddress.getLoopbackAddress())
                .proxyProtocol(proxy)
                .eventListener(event -> {
                    if (event instanceof HttpServerEvent.OnConnected on) {
                        connected.add(on.remoteAddress());
                    }
                })
                .eventListener(events)
                .build());
        servers.add(server);
        server.registerUriHandler(UriHandler.of("/who", HttpMethod.GET, (req, resp) -> {
            HttpSession session = req.session();
            ProxyHeader header = session.proxyHeader().orElseThrow();
            resp.send("remote=" + address(session.remoteAddress())
                    + " via="
                    + session.proxiedFrom()
                            .map(ProxyProtocolServerTest::address)
                            .orElse("-")
                    + " version=" + header.version()
                    + " authority=" + header.authority().orElse("-")
                    + " client=" + req.clientAddress().getAddress().getHostAddress());
        }));
        return server;
    }

    private static String address(InetSocketAddress address) {
        return address.getAddress().getHostAddress() + ":" + address.getPort();
    }
}
