package dev.httpsd.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.httpsd.server.proxy.ForwardedHeaders;
import dev.httpsd.server.proxy.TrustedProxies;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ConfigTest {

    @Test
    void defaultsAreSaneForAJvmServer() {
        HttpServerConfig config = HttpServerConfig.builder().build();

        assertThat(config.serverPort()).isEqualTo(8080);
        assertThat(config.bindAddress()).isNull();
        assertThat(config.maxOpenSockets()).isEqualTo(10_000);
        assertThat(config.maxUriHandlers()).isEqualTo(1024);
        assertThat(config.maxRespHeaders()).isEqualTo(64);
        assertThat(config.backlogConn()).isEqualTo(1024);
        assertThat(config.lruPurgeEnable()).isFalse();
        assertThat(config.recvWaitTimeout()).isEqualTo(Duration.ofSeconds(20));
        assertThat(config.sendWaitTimeout()).isEqualTo(Duration.ofSeconds(20));
        assertThat(config.maxReqHdrLen()).isEqualTo(8 * 1024);
        assertThat(config.maxUriLen()).isEqualTo(8 * 1024);
        assertThat(config.enableSoLinger()).isFalse();
        assertThat(config.keepAliveEnable()).isFalse();
        assertThat(config.keepAliveIdle()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.keepAliveInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.keepAliveCount()).isEqualTo(3);
        assertThat(config.openHook()).isNull();
        assertThat(config.closeHook()).isNull();
        assertThat(config.uriMatcher()).isNull();
        assertThat(config.idleTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.headerReadTimeout()).isEqualTo(Duration.ofSeconds(20));
        assertThat(config.maxContentLength()).isEqualTo(Long.MAX_VALUE);
        assertThat(config.maxHeaderCount()).isEqualTo(100);
        assertThat(config.maxDrainLength()).isEqualTo(1024 * 1024);
        assertThat(config.tcpNoDelay()).isTrue();
        assertThat(config.eventListeners()).isEmpty();
    }

    static Stream<Arguments> invalidValues() {
        return Stream.of(
                invalid("serverPort", b -> b.serverPort(-1)),
                invalid("serverPort", b -> b.serverPort(65536)),
                invalid("maxOpenSockets", b -> b.maxOpenSockets(0)),
                invalid("maxUriHandlers", b -> b.maxUriHandlers(0)),
                invalid("maxRespHeaders", b -> b.maxRespHeaders(-1)),
                invalid("backlogConn", b -> b.backlogConn(0)),
                invalid("recvWaitTimeout", b -> b.recvWaitTimeout(Duration.ZERO)),
                invalid("recvWaitTimeout", b -> b.recvWaitTimeout(null)),
                invalid("sendWaitTimeout", b -> b.sendWaitTimeout(Duration.ofMillis(-1))),
                invalid("maxReqHdrLen", b -> b.maxReqHdrLen(10)),
                invalid("maxUriLen", b -> b.maxUriLen(0)),
                invalid("lingerTimeout", b -> b.lingerTimeout(Duration.ofSeconds(-1))),
                invalid("lingerTimeout", b -> b.lingerTimeout(Duration.ofSeconds(70_000))),
                invalid("lingerTimeout", b -> b.lingerTimeout(Duration.ofMillis(500))),
                invalid("keepAliveIdle", b -> b.keepAliveIdle(Duration.ofMillis(500))),
                invalid("keepAliveInterval", b -> b.keepAliveInterval(Duration.ZERO)),
                invalid("keepAliveCount", b -> b.keepAliveCount(0)),
                invalid("idleTimeout", b -> b.idleTimeout(Duration.ZERO)),
                invalid("headerReadTimeout", b -> b.headerReadTimeout(null)),
                invalid("maxContentLength", b -> b.maxContentLength(-1)),
                invalid("maxHeaderCount", b -> b.maxHeaderCount(0)),
                invalid("maxDrainLength", b -> b.maxDrainLength(-5)));
    }

    private static Arguments invalid(String field, UnaryOperator<HttpServerConfig.Builder> change) {
        return Arguments.of(field, change);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidValues")
    void anInvalidValueFailsAtBuildNamingTheField(String field, UnaryOperator<HttpServerConfig.Builder> change) {
        HttpServerConfig.Builder builder = change.apply(HttpServerConfig.builder());

        assertThatThrownBy(builder::build)
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> {
                    assertThat(e.config()).isEqualTo("HttpServerConfig");
                    assertThat(e.field()).isEqualTo(field);
                    assertThat(e.rule()).isNotBlank();
                })
                .hasMessageContaining("HttpServerConfig." + field + " ");
    }

    @Test
    void anInvalidValueIsCarriedByTheExceptionAsGiven() {
        Duration linger = Duration.ofMillis(1500);

        assertThatThrownBy(
                        () -> HttpServerConfig.builder().lingerTimeout(linger).build())
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> {
                    assertThat(e.value()).isSameAs(linger);
                    assertThat(e.rule()).isEqualTo("SO_LINGER has a resolution of one second");
                });
    }

    @Test
    void theSchemeIsHttpOrHttps() {
        assertThat(HttpServerConfig.builder().build().scheme()).isEqualTo("http");
        assertThatThrownBy(() -> HttpServerConfig.builder().scheme("ftp").build())
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> {
                    assertThat(e.field()).isEqualTo("scheme");
                    assertThat(e.rule()).isEqualTo("http or https");
                });
    }

    @Test
    void zeroIsAValidPortAndAValidHeaderLimit() {
        HttpServerConfig config =
                HttpServerConfig.builder().serverPort(0).maxRespHeaders(0).build();

        assertThat(config.serverPort()).isZero();
        assertThat(config.maxRespHeaders()).isZero();
    }

    @Test
    void toBuilderRoundTripsEveryField() throws Exception {
        Consumer<Object> free = o -> {};
        OpenHook open = s -> {};
        CloseHook close = s -> {};
        ServerEventListener listener = e -> {};
        HttpServerConfig original = HttpServerConfig.builder()
                .serverPort(1234)
                .bindAddress(InetAddress.getLoopbackAddress())
                .maxOpenSockets(3)
                .maxUriHandlers(4)
                .maxRespHeaders(5)
                .backlogConn(6)
                .lruPurgeEnable(true)
                .recvWaitTimeout(Duration.ofSeconds(7))
                .sendWaitTimeout(Duration.ofSeconds(8))
                .maxReqHdrLen(900)
                .maxUriLen(1000)
                .enableSoLinger(true)
                .lingerTimeout(Duration.ofSeconds(11))
                .keepAliveEnable(true)
                .keepAliveIdle(Duration.ofSeconds(12))
                .keepAliveInterval(Duration.ofSeconds(13))
                .keepAliveCount(14)
                .globalUserContext("user", free)
                .globalTransportContext("transport", free)
                .openHook(open)
                .closeHook(close)
                .uriMatcher(UriMatcher.wildcard())
                .idleTimeout(Duration.ofSeconds(15))
                .headerReadTimeout(Duration.ofSeconds(16))
                .maxContentLength(17)
                .maxHeaderCount(18)
                .maxDrainLength(19)
                .tcpNoDelay(false)
                .maxWsFrameLength(20)
                .maxWsMessageLength(21)
                .requestObserver(request -> {})
                .eventListener(listener)
                .espIdfCompatible(true)
                .strictTransportSecurity("max-age=22")
                .scheme("https")
                .forwardedHeaders(
                        ForwardedHeaders.of(ForwardedHeaders.Source.FORWARDED, TrustedProxies.of("10.0.0.0/8")))
                .http2(new Http2Config(true, 7, 1000, 20_000, 2048, 23, 24, 25, 26, Duration.ofSeconds(27)))
                .build();

        HttpServerConfig copy = original.toBuilder().build();

        assertThat(copy).isEqualTo(original);
        assertThat(copy.globalUserContextFree()).isSameAs(free);
        assertThat(copy.openHook()).isSameAs(open);
        assertThat(copy.eventListeners()).containsExactly(listener);
        // every component differs from its default, so a field the copy constructor forgot shows
        assertThat(copy).isNotEqualTo(HttpServerConfig.builder().build());
        assertThat(HttpServerConfig.class.getRecordComponents()).hasSize(40);
        assertThat(copy.http2()).isNotEqualTo(Http2Config.DEFAULTS.withEnabled(true));
        assertThat(Http2Config.class.getRecordComponents()).hasSize(10);
    }

    @Test
    void http2FloodBudgetsDefaultToTheirDocumentedValuesAndMustBePositive() {
        assertThat(Http2Config.DEFAULTS)
                .extracting(
                        Http2Config::resetBudget,
                        Http2Config::settingsBudget,
                        Http2Config::pingBudget,
                        Http2Config::emptyFrameBudget,
                        Http2Config::floodWindow)
                .containsExactly(200, 50, 100, 1000, Duration.ofSeconds(10));
        assertThat(Http2Config.DEFAULTS.withFloodBudgets(1, 2, 3, 4, Duration.ofMillis(5)))
                .extracting(Http2Config::pingBudget, Http2Config::floodWindow)
                .containsExactly(3, Duration.ofMillis(5));
        assertThatThrownBy(() -> Http2Config.DEFAULTS.withFloodBudgets(200, 0, 100, 1000, Duration.ofSeconds(10)))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("http2.settingsBudget");
        assertThatThrownBy(() -> Http2Config.DEFAULTS.withFloodBudgets(200, 50, 100, 1000, Duration.ZERO))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("http2.floodWindow");
    }

    @Test
    void aStrictTransportSecurityValueThatWouldSplitTheHeadIsRefused() {
        assertThatThrownBy(() -> HttpServerConfig.builder()
                        .strictTransportSecurity("max-age=1\r\nSet-Cookie: a=b")
                        .build())
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("strictTransportSecurity")
                .hasMessageContaining("CR, LF or NUL");
    }

    @Test
    void espIdfDefaultsAreHttpdDefaultConfigAndExplicitValuesWin() {
        HttpServerConfig esp = HttpServerConfig.espIdfDefaults().build();

        assertThat(esp.maxOpenSockets()).isEqualTo(7);
        assertThat(esp.maxUriHandlers()).isEqualTo(8);
        assertThat(esp.maxRespHeaders()).isEqualTo(8);
        assertThat(esp.backlogConn()).isEqualTo(5);
        assertThat(esp.lruPurgeEnable()).isFalse();
        assertThat(esp.recvWaitTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(esp.sendWaitTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(esp.maxReqHdrLen()).isEqualTo(512);
        assertThat(esp.maxUriLen()).isEqualTo(512);
        assertThat(esp.espIdfCompatible()).isTrue();
        assertThat(esp.keepAliveEnable()).isFalse();
        assertThat(esp.enableSoLinger()).isFalse();
        assertThat(HttpServerConfig.builder().build().espIdfCompatible()).isFalse();

        HttpServerConfig mine = HttpServerConfig.espIdfDefaults()
                .maxOpenSockets(20)
                .maxUriLen(2048)
                .build();
        assertThat(mine.maxOpenSockets()).isEqualTo(20);
        assertThat(mine.maxUriLen()).isEqualTo(2048);
        assertThat(mine.maxUriHandlers()).isEqualTo(8);
    }

    @Test
    void changingACopyLeavesTheOriginalAlone() {
        HttpServerConfig original = HttpServerConfig.builder().maxOpenSockets(5).build();

        HttpServerConfig changed = original.toBuilder().maxOpenSockets(6).build();

        assertThat(original.maxOpenSockets()).isEqualTo(5);
        assertThat(changed.maxOpenSockets()).isEqualTo(6);
    }

    @Test
    void eventListenerAddsToTheListenersAlreadySet() {
        ServerEventListener first = e -> {};
        ServerEventListener second = e -> {};

        HttpServerConfig config = HttpServerConfig.builder()
                .eventListeners(List.of(first))
                .eventListener(second)
                .build();

        assertThat(config.eventListeners()).containsExactly(first, second);
        assertThatThrownBy(() -> config.eventListeners().add(first)).isInstanceOf(UnsupportedOperationException.class);
    }
}
