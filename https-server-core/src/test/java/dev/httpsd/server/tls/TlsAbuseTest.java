package dev.httpsd.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.httpsd.server.EventRecorder;
import dev.httpsd.server.HttpError;
import dev.httpsd.server.HttpMethod;
import dev.httpsd.server.HttpServer;
import dev.httpsd.server.HttpServerConfig;
import dev.httpsd.server.HttpServerEvent;
import dev.httpsd.server.LogCapture;
import dev.httpsd.server.RawClient;
import dev.httpsd.server.ServerEvent;
import dev.httpsd.server.UriHandler;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hostile bytes on the TLS port, before and after the handshake: each case pins down what the
 * client sees (an alert, a close), the HTTPS ERROR event that reports it, that no handler ran, and
 * that nobody else noticed: a kept-alive bystander and a new client are served right after, and
 * the abusive session's resources are given back (no session left open, no CLOSE_WAIT socket, no
 * live OpenSSL engine). Each engine's own alert and wording are pinned: JSSE's messages, and
 * BoringSSL's error reasons ({@code error:…:OPENSSL_internal:REASON}).
 */
@ParameterizedClass
@EnumSource(TlsEngine.class)
@ExtendWith(HostileSuiteRecord.class)
class TlsAbuseTest {

    @Parameter
    TlsEngine engine;

    private static final String PROBE = "GET /probe HTTP/1.1\r\nHost: localhost\r\n\r\n";
    private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(2);

    private final EventRecorder events = new EventRecorder();
    private final AtomicInteger handlerCalls = new AtomicInteger();
    // the HTTP core and the HTTPS layer both log under dev.httpsd.server
    private final LogCapture log = new LogCapture("dev.httpsd.server");
    private TlsTestServer server;
    private AfterCaseCheck check;

    @BeforeEach
    void startServerAndBystander() throws Exception {
        server = TlsTestServer.start(
                engine,
                b -> b.handshakeTimeout(HANDSHAKE_TIMEOUT)
                        .httpd(HttpServerConfig.builder().eventListener(events).build()));
        server.https().httpServer().registerUriHandler(UriHandler.of("/probe", HttpMethod.ANY, (req, resp) -> {
            handlerCalls.incrementAndGet();
            resp.contentType("text/plain").send("probe " + req.session().id());
        }));
        check = AfterCaseCheck.before(server.https());
    }

    @AfterEach
    void stop() throws IOException {
        try {
            if (check != null) {
                check.close();
            }
        } finally {
            server.close();
            log.close();
        }
    }

    // ---- before the handshake ---------------------------------------------------------------

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4})
    void randomBytesInsteadOfAClientHelloAreClosedWithoutAnswer(long seed) throws Exception {
        byte[] garbage = new byte[1024];
        Random random = new Random(seed);
        random.nextBytes(garbage);
        // not a handshake record, and not an HTTP method's first letter (those get a plaintext 400)
        while (garbage[0] == RawTls.HANDSHAKE || (garbage[0] >= 'A' && garbage[0] <= 'Z')) {
            garbage[0] = (byte) random.nextInt();
        }

        try (Socket abuser = connect()) {
            abuser.getOutputStream().write(garbage);

            assertThat(RawTls.readAnswer(abuser.getInputStream())).isEqualTo(RawTls.Answer.NOTHING);
            HttpsServerEvent.Error error = errorOf(abuser);
            assertThat(error.error().exceptionType()).isEqualTo("PlaintextException");
            assertThat(error.error().message())
                    .isEqualTo("not a TLS handshake (first byte 0x" + Integer.toHexString(garbage[0] & 0xff) + ")");
        }
        assertNobodyElseNoticed();
    }

    /** A handshake record type, then random bytes: the length is nearly always beyond any record. */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4})
    void randomBytesAfterAHandshakeRecordTypeAreRefusedWithAnAlert(long seed) throws Exception {
        byte[] garbage = new byte[1024];
        new Random(seed).nextBytes(garbage);
        garbage[0] = RawTls.HANDSHAKE;
        garbage[3] = (byte) (garbage[3] | 0x80); // a length over 32 KiB, whatever the seed
        int claimed = ((garbage[3] & 0xff) << 8) | (garbage[4] & 0xff);

        try (Socket abuser = connect()) {
            abuser.getOutputStream().write(garbage);

            assertThat(RawTls.readAnswer(abuser.getInputStream())).isEqualTo(RawTls.Answer.fatal(tooBigAlert()));
            HttpsServerEvent.Error error = errorOf(abuser);
            assertTooBig(error, claimed + 5);
        }
        assertNobodyElseNoticed();
    }

    /** A well-formed record header around random bytes: a handshake message of no known type. */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4})
    void aWellFramedRecordOfRandomBytesIsAnUnexpectedMessage(long seed) throws Exception {
        byte[] body = new byte[512];
        new Random(seed).nextBytes(body);

        try (Socket abuser = connect()) {
            abuser.getOutputStream().write(RawTls.record(RawTls.HANDSHAKE, RawTls.TLS_1_0, body));

            RawTls.Answer answer = RawTls.readAnswer(abuser.getInputStream());
            HttpsServerEvent.Error error = errorOf(abuser);
            if (engine == TlsEngine.JDK) {
                assertThat(answer).isEqualTo(RawTls.Answer.fatal("unexpected_message"));
                assertThat(error.error().exceptionType()).isEqualTo("SSLProtocolException");
                assertThat(error.error().message())
                        .isEqualTo("Unknown handshake type size, Handshake.msg_type = " + (body[0] & 0xff));
            } else {
                // BoringSSL reads the random length first and refuses it as over its message limit
                assertThat(answer).isEqualTo(RawTls.Answer.fatal("illegal_parameter"));
                assertBoringSslRefusal(error, "SSLHandshakeException");
            }
        }
        assertNobodyElseNoticed();
    }

    /** A ClientHello whose framing is right and whose contents are random: the deep parser copes. */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void aClientHelloOfRandomContentsIsRefusedWithTheAlertItsEventNames(long seed) throws Exception {
        byte[] body = new byte[512];
        Random random = new Random(seed);
        random.nextBytes(body);
        ByteBuffer hello = ByteBuffer.wrap(body);
        hello.put((byte) 1).put((byte) 0).putShort((short) (body.length - 4)); // client_hello
        hello.putShort((short) RawTls.TLS_1_2).position(hello.position() + 32); // random stays random
        hello.put((byte) 0); // no session id
        int suites = 1 + random.nextInt(40);
        hello.putShort((short) (2 * suites)).position(hello.position() + 2 * suites); // random suites
        hello.put((byte) 1).put((byte) 0);
        hello.putShort((short) (hello.remaining() - 2)); // then random extensions

        try (Socket abuser = connect()) {
            abuser.getOutputStream().write(RawTls.record(RawTls.HANDSHAKE, RawTls.TLS_1_0, body));

            RawTls.Answer answer = RawTls.readAnswer(abuser.getInputStream());
            HttpsServerEvent.Error error = errorOf(abuser);
            // which field fails first depends on the seed: the wire alert and the event agree
            assertThat(answer.recordTypes()).containsExactly(RawTls.ALERT);
            assertThat(answer.alert()).isIn("decode_error", "illegal_parameter", "handshake_failure");
            assertThat(error.error().exceptionType()).isIn("SSLHandshakeException", "SSLProtocolException");
            if (engine == TlsEngine.JDK) {
                assertThat(error.error().message()).startsWith("(" + answer.alert() + ") ");
            } else {
                assertBoringSslRefusal(error, "SSLHandshakeException");
            }
        }
        assertNobodyElseNoticed();
    }

    @Test
    void aRecordHeaderClaimingAHugeLengthIsRefusedWithoutWaitingForTheBody() throws Exception {
        try (Socket abuser = connect()) {
            abuser.getOutputStream().write(new byte[] {0x16, 0x03, 0x01, (byte) 0xff, (byte) 0xff});

            assertThat(RawTls.readAnswer(abuser.getInputStream())).isEqualTo(RawTls.Answer.fatal(tooBigAlert()));
            HttpsServerEvent.Error error = errorOf(abuser);
            assertTooBig(error, 65540);
            // one DEBUG line says what happened (and proves the log capture sees this logger)
            assertThat(log.debugMentions(
                            "TLS handshake failed: " + error.error().exceptionType() + ": "))
                    .isTrue();
        }
        assertNobodyElseNoticed();
    }

    @Test
    void aRecordHeaderClaimingAHugeLengthFollowedByGarbageIsRefusedWithAnAlert() throws Exception {
        byte[] garbage = new byte[20_000];
        new Random(42).nextBytes(garbage);
        System.arraycopy(new byte[] {0x16, 0x03, 0x01, (byte) 0xff, (byte) 0xff}, 0, garbage, 0, 5);
        try (Socket abuser = connect()) {
            abuser.getOutputStream().write(garbage);

            assertThat(RawTls.readAnswer(abuser.getInputStream())).isEqualTo(RawTls.Answer.fatal(tooBigAlert()));
            assertTooBig(errorOf(abuser), 65540);
        }
        assertNobodyElseNoticed();
    }

    @Test
    void aHandshakeMessageClaimingSixteenMebibytesIsRefusedBeforeItArrives() throws Exception {
        byte[] start = new byte[512];
        start[0] = 1; // client_hello, length 0xffffff
        start[1] = (byte) 0xff;
        start[2] = (byte) 0xff;
        start[3] = (byte) 0xff;
        try (Socket abuser = connect()) {
            abuser.getOutputStream().write(RawTls.record(RawTls.HANDSHAKE, RawTls.TLS_1_0, start));

            RawTls.Answer answer = RawTls.readAnswer(abuser.getInputStream());
            HttpsServerEvent.Error error = errorOf(abuser);
            if (engine == TlsEngine.JDK) {
                assertThat(answer).isEqualTo(RawTls.Answer.fatal("unexpected_message"));
                assertThat(error.error().exceptionType()).isEqualTo("SSLProtocolException");
                // JSSE's jdk.tls.maxHandshakeMessageSize: nothing near 16 MiB is ever buffered
                assertThat(error.error().message())
                        .isEqualTo(
                                "The size of the handshake message (16777215) exceeds the maximum allowed size (32768)");
            } else {
                // over BoringSSL's handshake message limit: refused before anything is buffered
                assertThat(answer).isEqualTo(RawTls.Answer.fatal("illegal_parameter"));
                assertBoringSslRefusal(error, "SSLHandshakeException");
            }
        }
        assertNobodyElseNoticed();
    }

    @Test
    void aClientHelloSplitIntoOneByteRecordsIsStillAnswered() throws Exception {
        byte[] record = RawTls.clientHello(RawTls.TLS_1_2, 0xc02b);
        ByteArrayOutputStream split = new ByteArrayOutputStream();
        for (int i = 5; i < record.length; i++) {
            split.write(RawTls.record(RawTls.HANDSHAKE, RawTls.TLS_1_0, new byte[] {record[i]}));
        }
        try (Socket client = connect()) {
            client.getOutputStream().write(split.toByteArray());

            assertThat(RawTls.firstRecordType(client.getInputStream())).isEqualTo(RawTls.HANDSHAKE);
        }
        assertNobodyElseNoticed();
    }

    @Test
    void aFirstRecordOfAnInvalidContentTypeIsClosedWithoutAnswer() throws Exception {
        try (Socket abuser = connect()) {
            abuser.getOutputStream().write(RawTls.record(0x63, RawTls.TLS_1_2, new byte[32]));

            assertThat(RawTls.readAnswer(abuser.getInputStream())).isEqualTo(RawTls.Answer.NOTHING);
            assertThat(errorOf(abuser).error().message()).isEqualTo("not a TLS handshake (first byte 0x63)");
        }
        assertNobodyElseNoticed();
    }

    @Test
    void aRecordOfAnInvalidContentTypeInTheMiddleOfATls12HandshakeIsAnUnexpectedMessage() throws Exception {
        try (Socket abuser = connect()) {
            // a TLS 1.2 client: the server's flight and any alert travel in the clear
            abuser.getOutputStream().write(RawTls.clientHello(RawTls.TLS_1_2, 0xc02b));
            abuser.getOutputStream().write(RawTls.record(0x63, RawTls.TLS_1_2, new byte[32]));

            RawTls.Answer answer = RawTls.readAnswer(abuser.getInputStream());
            HttpsServerEvent.Error error = errorOf(abuser);
            if (engine == TlsEngine.JDK) {
                assertThat(error.error().exceptionType()).isEqualTo("SSLProtocolException");
                assertThat(error.error().message()).isEqualTo("(unexpected_message) Unknown content type: 99");
                // ServerHello to ServerHelloDone in one record, then the alert in the clear
                assertThat(answer)
                        .isEqualTo(new RawTls.Answer(List.of(RawTls.HANDSHAKE, RawTls.ALERT), "unexpected_message"));
            } else {
                // Netty's engine refuses what is no TLS record before BoringSSL sees it: no alert
                assertThat(error.error().exceptionType()).isEqualTo("SSLException");
                assertThat(error.error().message()).isEqualTo("not an SSL/TLS record");
                assertThat(answer.recordTypes()).containsOnly(RawTls.HANDSHAKE);
            }
        }
        assertNobodyElseNoticed();
    }

    @Test
    void aRecordOfAnInvalidContentTypeAfterATls13ServerHelloIsABadRecordMac() throws Exception {
        try (Socket abuser = connect()) {
            abuser.getOutputStream().write(RawTls.jsseClientHello());
            abuser.getOutputStream().write(RawTls.record(0x63, RawTls.TLS_1_2, new byte[32]));

            RawTls.Answer answer = RawTls.readAnswer(abuser.getInputStream());
            HttpsServerEvent.Error error = errorOf(abuser);
            assertThat(error.error().exceptionType()).isEqualTo("SSLException");
            // TLS 1.3 protects every record after the ServerHello: the odd one fails authentication;
            // Netty's engine refuses what is no TLS record before BoringSSL sees it
            assertThat(error.error().message())
                    .isEqualTo(engine == TlsEngine.JDK ? "(bad_record_mac) Tag mismatch" : "not an SSL/TLS record");
            assertThat(answer.recordTypes()).first().isEqualTo(RawTls.HANDSHAKE);
            assertThat(answer.recordTypes()).last().isEqualTo(RawTls.APPLICATION_DATA);
        }
        assertNobodyElseNoticed();
    }

    @Test
    void aClientHelloTruncatedMidRecordThenClosedIsReportedAsAnEndOfStream() throws Exception {
        byte[] hello = RawTls.jsseClientHello();
        try (Socket abuser = connect()) {
            abuser.getOutputStream().write(hello, 0, hello.length / 2);
            abuser.shutdownOutput();

            assertThat(RawTls.readAnswer(abuser.getInputStream())).isEqualTo(RawTls.Answer.NOTHING);
            HttpsServerEvent.Error error = errorOf(abuser);
            assertThat(error.error().exceptionType()).isEqualTo("EOFException");
            assertThat(error.error().message()).isEqualTo("connection closed inside a TLS record");
        }
        assertNobodyElseNoticed();
    }

    @Test
    void aClientHelloTruncatedThenStalledIsClosedAtTheHandshakeTimeoutWithoutAlert() throws Exception {
        byte[] hello = RawTls.jsseClientHello();
        try (Socket abuser = connect()) {
            abuser.getOutputStream().write(hello, 0, hello.length / 2);

            assertThat(RawTls.readAnswer(abuser.getInputStream())).isEqualTo(RawTls.Answer.NOTHING);
            HttpsServerEvent.Error error = errorOf(abuser);
            assertThat(error.error().exceptionType()).isEqualTo("SocketTimeoutException");
            assertThat(error.error().message()).isEqualTo("TLS handshake not finished within 2000 ms");
        }
        assertNobodyElseNoticed();
    }

    // ---- after the handshake ----------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void aForgedApplicationDataRecordIsABadRecordMacAlertAndAClose(String protocol) throws Exception {
        try (Socket plain = connect();
                SSLSocket tls = layer(plain, protocol)) {
            RawClient client = new RawClient(tls);
            assertThat(client.exchange(PROBE).status()).isEqualTo(200);

            // random bytes where a sealed record belongs: authentication must fail
            byte[] body = new byte[64];
            new Random(7).nextBytes(body);
            plain.getOutputStream().write(RawTls.record(RawTls.APPLICATION_DATA, RawTls.TLS_1_2, body));

            assertThatThrownBy(() -> tls.getInputStream().read())
                    .isInstanceOf(SSLException.class)
                    .hasMessageContaining("bad_record_mac");
            HttpsServerEvent.Error error = errorOf(plain);
            assertBadRecordMac(error);
        }
        assertNobodyElseNoticed(1);
    }

    @Test
    void aForgedRecordInTheMiddleOfARequestHeadIsABadRecordMacAlertAndAClose() throws Exception {
        try (Socket plain = connect();
                SSLSocket tls = layer(plain, "TLSv1.3")) {
            RawClient client = new RawClient(tls);
            client.send("GET /probe HTTP/1.1\r\nHost: loc");
            byte[] body = new byte[64];
            new Random(8).nextBytes(body);
            plain.getOutputStream().write(RawTls.record(RawTls.APPLICATION_DATA, RawTls.TLS_1_2, body));

            assertThatThrownBy(() -> tls.getInputStream().read())
                    .isInstanceOf(SSLException.class)
                    .hasMessageContaining("bad_record_mac");
            HttpsServerEvent.Error error = errorOf(plain);
            assertBadRecordMac(error);
            assertThat(events.labels(error.sessionId())).doesNotContain("HTTP ON_HEADER");
        }
        assertNobodyElseNoticed();
    }

    @Test
    void aForgedRecordInTheMiddleOfARequestBodyIsABadRecordMacAlertAndAClose() throws Exception {
        try (Socket plain = connect();
                SSLSocket tls = layer(plain, "TLSv1.3")) {
            RawClient client = new RawClient(tls);
            client.send("POST /probe HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100\r\n\r\n0123456789");
            byte[] body = new byte[64];
            new Random(9).nextBytes(body);
            // the handler answers without reading the body; draining the rest meets the forgery
            assertThat(client.read().status()).isEqualTo(200);
            plain.getOutputStream().write(RawTls.record(RawTls.APPLICATION_DATA, RawTls.TLS_1_2, body));

            assertThatThrownBy(() -> tls.getInputStream().read())
                    .isInstanceOf(SSLException.class)
                    .hasMessageContaining("bad_record_mac");
            HttpsServerEvent.Error error = errorOf(plain);
            assertBadRecordMac(error);
        }
        assertNobodyElseNoticed(1);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void aRecordTruncatedThenClosedIsReportedAndTheSessionEnds(String protocol) throws Exception {
        try (Socket plain = connect();
                SSLSocket tls = layer(plain, protocol)) {
            RawClient client = new RawClient(tls);
            assertThat(client.exchange(PROBE).status()).isEqualTo(200);

            byte[] header = {RawTls.APPLICATION_DATA, 0x03, 0x03, 0x00, 0x40};
            plain.getOutputStream().write(header);
            plain.getOutputStream().write(new byte[10]);
            plain.shutdownOutput();

            HttpsServerEvent.Error error = errorOf(plain);
            assertThat(error.error().exceptionType()).isEqualTo("EOFException");
            assertThat(error.error().message()).isEqualTo("connection closed inside a TLS record");
            assertThat(tls.getInputStream().read()).as("close_notify").isEqualTo(-1);
        }
        assertNobodyElseNoticed(1);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void closeNotifyInTheMiddleOfARequestHeadEndsTheSessionQuietly(String protocol) throws Exception {
        try (Socket plain = connect();
                SSLSocket tls = layer(plain, protocol)) {
            RawClient client = new RawClient(tls);
            assertThat(client.exchange(PROBE).status()).isEqualTo(200);
            int session = sessionOf(plain);

            client.send("GET /probe HTTP/1.1\r\nHost: loc");
            tls.shutdownOutput(); // close_notify

            assertThat(tls.getInputStream().read())
                    .as("close_notify back, no response")
                    .isEqualTo(-1);
            events.await("HTTPS DISCONNECTED", session, TlsFixtures.PATIENCE);
            assertThat(events.labels(session))
                    .doesNotContain("HTTPS ERROR", "HTTP ERROR")
                    .containsOnlyOnce("HTTP ON_HEADER");
        }
        assertNobodyElseNoticed(1);
    }

    // ---- TLS where plain HTTP is served ----------------------------------------------------

    @Test
    void aClientHelloToAPlainHttpPortIsAnswered400AndClosed() throws Exception {
        EventRecorder plainEvents = new EventRecorder();
        AtomicInteger plainCalls = new AtomicInteger();
        HttpServer plain = HttpServer.start(HttpServerConfig.builder()
                .serverPort(0)
                .bindAddress(InetAddress.getLoopbackAddress())
                .eventListener(plainEvents)
                .build());
        try {
            plain.registerUriHandler(UriHandler.of("/probe", HttpMethod.ANY, (req, resp) -> {
                plainCalls.incrementAndGet();
                resp.send("plain probe");
            }));
            try (RawClient plainBystander = new RawClient(plain.port())) {
                assertThat(plainBystander.exchange(PROBE).status()).isEqualTo(200);

                String seen;
                int clientPort;
                try (RawClient tls = new RawClient(plain.port())) {
                    clientPort = tls.localPort();
                    tls.send(RawTls.jsseClientHello());
                    seen = tls.readToEnd();
                }
                // the parser refuses the record's first byte as a method character
                assertThat(seen).matches("""
                                HTTP/1\\.1 400 Bad Request\r
                                Content-Type: text/html\r
                                Content-Length: 18\r
                                Date: [A-Za-z]{3}, \\d{2} [A-Za-z]{3} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT\r
                                Connection: close\r
                                \r
                                Bad request syntax""");
                ServerEvent error = plainEvents.await(
                        e -> e instanceof HttpServerEvent.Error
                                && e.remoteAddress().getPort() == clientPort,
                        TlsFixtures.PATIENCE);
                assertThat(((HttpServerEvent.Error) error).error()).isEqualTo(HttpError.BAD_REQUEST_400);
                assertThat(plainEvents.labels(error.sessionId())).doesNotContain("HTTP ON_HEADER");

                // what TLS clients make of that answer
                assertThatThrownBy(() -> TlsFixtures.connect(TlsFixtures.clientContext(null), plain.port()))
                        .isInstanceOf(SSLException.class)
                        .hasMessage("Unsupported or unrecognized SSL message");
                ExternalProcess.Result openssl = OpenSsl.sClient(plain.port(), null, "-brief");
                assertThat(openssl.exitCode()).isNotZero();
                // "HTTP/1.1 400" read as a record header: type 'H', version "TT"
                assertThat(openssl.output()).contains("wrong version number");

                TlsResourceCheck.assertReleased(plain, 1);
                assertThat(plainBystander.exchange(PROBE).status()).isEqualTo(200);
                try (RawClient probe = new RawClient(plain.port())) {
                    assertThat(probe.exchange(PROBE).status()).isEqualTo(200);
                }
                assertThat(plainCalls).hasValue(3);
            }
            TlsResourceCheck.assertReleased(plain, 0);
            assertThat(log.aboveDebug()).isEmpty();
        } finally {
            plain.stop();
        }
        // the TLS server next to it never saw any of that
        assertNobodyElseNoticed();
    }

    // ---- helpers -----------------------------------------------------------------------------

    /**
     * The shared after-case check ({@link AfterCaseCheck}: bystander and new client served,
     * sessions, threads, descriptors and CLOSE_WAIT back, nothing logged above DEBUG), and only the
     * abusive client's own requests reached a handler ({@code servedAbuser} of them, sent before it
     * misbehaved).
     */
    private void assertNobodyElseNoticed(int servedAbuser) throws Exception {
        check.assertNobodyNoticed();
        assertThat(handlerCalls).hasValue(servedAbuser);
        assertThat(events.labels()).doesNotContain("HTTP ERROR");
    }

    private void assertNobodyElseNoticed() throws Exception {
        assertNobodyElseNoticed(0);
    }

    /** JSSE answers a record too big with unexpected_message, the OpenSSL engine with record_overflow. */
    private String tooBigAlert() {
        return engine == TlsEngine.JDK ? "unexpected_message" : "record_overflow";
    }

    private void assertTooBig(HttpsServerEvent.Error error, int length) {
        if (engine == TlsEngine.JDK) {
            assertThat(error.error().exceptionType()).isEqualTo("SSLProtocolException");
            assertThat(error.error().message()).isEqualTo("Input record too big: max = 16709 len = " + length);
        } else {
            assertThat(error.error().exceptionType()).isEqualTo("SSLHandshakeException");
            assertThat(error.error().message())
                    .isEqualTo("record_overflow: a record of " + length + " bytes, over " + ClientHello.MAX_RECORD);
        }
    }

    private void assertBadRecordMac(HttpsServerEvent.Error error) {
        assertThat(error.error().exceptionType()).isEqualTo("SSLException");
        assertThat(error.error().message())
                .endsWith(engine == TlsEngine.JDK ? "(bad_record_mac) Tag mismatch" : ":OPENSSL_internal:BAD_DECRYPT");
    }

    /** A BoringSSL error: {@code error:<code>:SSL routines:OPENSSL_internal:<REASON>}. */
    private static void assertBoringSslRefusal(HttpsServerEvent.Error error, String exceptionType) {
        assertThat(error.error().exceptionType()).isEqualTo(exceptionType);
        assertThat(error.error().message()).matches("error:[0-9a-f]{8}:SSL routines:OPENSSL_internal:[A-Z_]+");
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port());
        socket.setSoTimeout((int) TlsFixtures.PATIENCE.toMillis());
        return socket;
    }

    /** TLS over {@code plain}, so the test can still write raw bytes underneath it. */
    private SSLSocket layer(Socket plain, String protocol) throws Exception {
        SSLSocket tls = (SSLSocket) TlsFixtures.clientContext(null)
                .getSocketFactory()
                .createSocket(plain, "localhost", server.port(), false);
        tls.setEnabledProtocols(new String[] {protocol});
        tls.setSoTimeout((int) TlsFixtures.PATIENCE.toMillis());
        tls.startHandshake();
        return tls;
    }

    /** The HTTPS ERROR event of the session behind this client socket. */
    private HttpsServerEvent.Error errorOf(Socket client) throws InterruptedException {
        int port = client.getLocalPort();
        ServerEvent event = events.await(
                e -> e instanceof HttpsServerEvent.Error error
                        && error.remoteAddress().getPort() == port,
                TlsFixtures.PATIENCE);
        HttpsServerEvent.Error error = (HttpsServerEvent.Error) event;
        events.await("HTTP DISCONNECTED", error.sessionId(), TlsFixtures.PATIENCE);
        List<String> labels = events.labels(error.sessionId());
        assertThat(labels).containsOnlyOnce("HTTPS ERROR").doesNotContain("HTTP ERROR");
        assertThat(labels.indexOf("HTTPS ERROR")).isLessThan(labels.indexOf("HTTP DISCONNECTED"));
        return error;
    }

    private int sessionOf(Socket client) throws InterruptedException {
        int port = client.getLocalPort();
        return events.await(e -> e.remoteAddress() != null && e.remoteAddress().getPort() == port, TlsFixtures.PATIENCE)
                .sessionId();
    }
}
