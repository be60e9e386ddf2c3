package dev.httpsd.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.httpsd.server.EventRecorder;
import dev.httpsd.server.HttpServerConfig;
import dev.httpsd.server.ServerEvent;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Clients that offer only what the server must never accept: an old protocol version (SSLv3,
 * TLS 1.0, TLS 1.1) or only weak cipher suites (CBC, RSA key exchange, NULL, EXPORT, RC4, 3DES,
 * anonymous, or a TLS 1.3 suite outside the defaults). Hand-made ClientHellos reach every case
 * whatever the local client libraries still support, openssl and JSSE prove the same with real
 * clients; each refusal is the right alert in the clear plus the server's HTTPS ERROR event. The
 * server has an RSA certificate, so that RSA key exchange is refused for the suite, not the key.
 */
@ParameterizedClass
@EnumSource(TlsEngine.class)
@ExtendWith(HostileSuiteRecord.class)
class WeakClientOffersTest {

    @Parameter
    TlsEngine engine;

    @TempDir
    static Path dir;

    static EventRecorder events;
    static TlsTestServer server;
    static KeyMaterial rsa;

    @BeforeAll
    static void makeAnRsaCertificate() throws Exception {
        Path key = OpenSsl.rsaPkcs1(dir, "rsa.pem");
        rsa = KeyMaterial.fromPemFiles(OpenSsl.selfSigned(key, dir, "rsa-cert.pem"), key, null);
    }

    @BeforeParameterizedClassInvocation
    static void startServerWithTheRsaCertificate(TlsEngine engine) throws Exception {
        events = new EventRecorder(); // session ids start again at 1 with each server
        server = TlsTestServer.start(
                engine,
                b -> b.serverKey(rsa)
                        .httpd(HttpServerConfig.builder().eventListener(events).build()));
    }

    @AfterParameterizedClassInvocation
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    private AfterCaseCheck check;

    @BeforeEach
    void connectABystander() throws Exception {
        check = AfterCaseCheck.before(server.https(), TlsFixtures.clientContext(null, rsa.certificate()));
    }

    /** After every refusal nobody else noticed and the refused session gave everything back. */
    @AfterEach
    void nobodyElseNoticed() throws Exception {
        try {
            check.assertNobodyNoticed();
        } finally {
            check.close();
        }
    }

    // ---- old protocol versions --------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"SSLv3", "TLSv1", "TLSv1.1"})
    void aHandMadeHelloOfferingOnlyAnOldVersionGetsAProtocolVersionAlert(String protocol) throws Exception {
        int version = switch (protocol) {
            case "SSLv3" -> RawTls.SSL_3_0;
            case "TLSv1" -> RawTls.TLS_1_0;
            default -> RawTls.TLS_1_1;
        };
        // suites those versions could negotiate, strong and weak
        byte[] hello = RawTls.clientHello(version, 0xc013, 0xc014, 0x002f, 0x0035, 0x000a);

        try (Socket client = connect()) {
            client.getOutputStream().write(hello);

            assertThat(RawTls.readAnswer(client.getInputStream())).isEqualTo(RawTls.Answer.fatal("protocol_version"));
            HttpsServerEvent.Error error = errorOf(client.getLocalPort());
            assertRefusal(
                    error,
                    "(protocol_version) Client requested protocol " + protocol
                            + " is not enabled or supported in server context",
                    "UNSUPPORTED_PROTOCOL");
        }
    }

    @Test
    void theSameHandMadeHelloOfferingTls12IsAnswered() throws Exception {
        try (Socket client = connect()) {
            client.getOutputStream().write(RawTls.clientHello(RawTls.TLS_1_2, 0xc02f));

            assertThat(RawTls.firstRecordType(client.getInputStream())).isEqualTo(RawTls.HANDSHAKE);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"-tls1", "-tls1_1", "-ssl3"})
    void opensslOfferingOnlyAnOldVersionIsRefused(String option) throws Exception {
        assumeTrue(
                !option.equals("-ssl3") || OpenSsl.sClientHasOption("-ssl3"),
                "this openssl was built without SSLv3: no openssl client can offer it (the hand-made hello does)");
        int before = errors();
        ExternalProcess.Result old =
                OpenSsl.sClient(server.port(), null, "-brief", option, "-cipher", "DEFAULT@SECLEVEL=0");

        assertThat(old.exitCode()).as(old.output()).isNotZero();
        assertThat(old.output()).contains("alert protocol version").doesNotContain("CONNECTION ESTABLISHED");
        HttpsServerEvent.Error error = nextError(before);
        String version = option.equals("-ssl3") ? "SSLv3" : option.equals("-tls1") ? "TLSv1" : "TLSv1.1";
        assertRefusal(
                error,
                "(protocol_version) Client requested protocol " + version
                        + " is not enabled or supported in server context",
                "UNSUPPORTED_PROTOCOL");
    }

    @Test
    void aJsseClientWithOldVersionsEnabledIsRefused() throws Exception {
        Path relaxed = dir.resolve("legacy-java.security");
        // an empty list lets this client offer SSLv3, TLS 1.0 and 1.1; the server's JVM is untouched
        Files.writeString(relaxed, "jdk.tls.disabledAlgorithms=\n", StandardCharsets.ISO_8859_1);
        String java = ProcessHandle.current().info().command().orElseThrow();
        int before = errors();
        ExternalProcess.Result result = ExternalProcess.run(
                Duration.ofSeconds(60),
                null,
                List.of(
                        java,
                        "-Djava.security.properties=" + relaxed,
                        "-cp",
                        System.getProperty("java.class.path"),
                        LegacyJsseClient.class.getName(),
                        String.valueOf(server.port()),
                        "SSLv3",
                        "TLSv1",
                        "TLSv1.1"));

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output().lines().filter(line -> line.startsWith("SSLv3") || line.startsWith("TLSv1")))
                .containsExactly(
                        "SSLv3: SSLHandshakeException: (protocol_version) Received fatal alert: protocol_version",
                        "TLSv1: SSLHandshakeException: (protocol_version) Received fatal alert: protocol_version",
                        "TLSv1.1: SSLHandshakeException: (protocol_version) Received fatal alert: protocol_version");
        awaitErrors(before + 3);
    }

    // ---- weak cipher suites -----------------------------------------------------------------

    static Stream<Arguments> weakSuiteFamilies() {
        return Stream.of(
                Arguments.of("CBC with forward secrecy", new int[] {0xc009, 0xc00a, 0xc013, 0xc014, 0xc023, 0xc027}),
                Arguments.of(
                        "RSA key exchange, no forward secrecy", new int[] {0x009c, 0x009d, 0x002f, 0x0035, 0x003c}),
                Arguments.of("NULL encryption", new int[] {0x0001, 0x0002, 0x003b, 0xc006, 0xc010}),
                Arguments.of("EXPORT", new int[] {0x0003, 0x0006, 0x0008, 0x0014}),
                Arguments.of("RC4", new int[] {0x0004, 0x0005, 0xc007, 0xc011}),
                Arguments.of("3DES", new int[] {0x000a, 0xc008, 0xc012}),
                Arguments.of("anonymous key exchange", new int[] {0x0034, 0x00a6, 0xc018}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("weakSuiteFamilies")
    void aHandMadeTls12HelloOfferingOnlyWeakSuitesGetsAHandshakeFailureAlert(String family, int[] suites)
            throws Exception {
        try (Socket client = connect()) {
            client.getOutputStream().write(RawTls.clientHello(RawTls.TLS_1_2, suites));

            assertThat(RawTls.readAnswer(client.getInputStream())).isEqualTo(RawTls.Answer.fatal("handshake_failure"));
            assertRefusal(
                    errorOf(client.getLocalPort()),
                    "(handshake_failure) no cipher suites in common",
                    "NO_SHARED_CIPHER");
        }
    }

    static Stream<Arguments> weakOpensslSuites() {
        List<Arguments> suites = new ArrayList<>();
        for (String suite : List.of(
                "ECDHE-RSA-AES128-SHA", // CBC
                "AES128-GCM-SHA256", // RSA key exchange
                "ECDHE-RSA-NULL-SHA",
                "NULL-SHA256",
                "EXP-RC4-MD5",
                "RC4-SHA",
                "DES-CBC3-SHA",
                "AECDH-AES128-SHA")) { // anonymous
            suites.add(Arguments.of(suite));
        }
        return suites.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("weakOpensslSuites")
    void opensslOfferingOnlyAWeakTls12SuiteIsRefused(String suite) throws Exception {
        String cipher = suite + ":@SECLEVEL=0";
        assumeTrue(
                OpenSsl.supportsCipher(cipher),
                "this openssl cannot offer " + suite + " at all (the hand-made hello covers it)");
        int before = errors();
        ExternalProcess.Result weak = OpenSsl.sClient(server.port(), null, "-brief", "-tls1_2", "-cipher", cipher);

        assertThat(weak.exitCode()).as(weak.output()).isNotZero();
        assertThat(weak.output()).contains("alert handshake failure").doesNotContain("CONNECTION ESTABLISHED");
        assertRefusal(nextError(before), "(handshake_failure) no cipher suites in common", "NO_SHARED_CIPHER");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TLS_AES_128_CCM_SHA256", "TLS_AES_128_CCM_8_SHA256"})
    void opensslOfferingOnlyATls13SuiteOutsideTheDefaultsIsRefused(String suite) throws Exception {
        assertThat(HttpsServerConfig.DEFAULT_CIPHER_SUITES).doesNotContain(suite);
        int before = errors();
        ExternalProcess.Result weak = OpenSsl.sClient(server.port(), null, "-brief", "-tls1_3", "-ciphersuites", suite);

        assertThat(weak.exitCode()).as(weak.output()).isNotZero();
        assertThat(weak.output()).contains("alert handshake failure").doesNotContain("CONNECTION ESTABLISHED");
        assertRefusal(nextError(before), "(handshake_failure) no cipher suites in common", "NO_SHARED_CIPHER");
    }

    @Test
    void theSameHandMadeHelloWithOneStrongSuiteAmongTheWeakIsAnswered() throws Exception {
        try (Socket client = connect()) {
            client.getOutputStream().write(RawTls.clientHello(RawTls.TLS_1_2, 0x0004, 0x000a, 0x002f, 0xc02f));

            assertThat(RawTls.firstRecordType(client.getInputStream())).isEqualTo(RawTls.HANDSHAKE);
        }
    }

    // ---- helpers -----------------------------------------------------------------------------

    /** JSSE's message, or BoringSSL's error with its reason ({@code error:…:OPENSSL_internal:REASON}). */
    private void assertRefusal(HttpsServerEvent.Error error, String jsseMessage, String boringSslReason) {
        assertThat(error.error().exceptionType()).isEqualTo("SSLHandshakeException");
        if (engine == TlsEngine.JDK) {
            assertThat(error.error().message()).isEqualTo(jsseMessage);
        } else {
            assertThat(error.error().message())
                    .matches("error:[0-9a-f]{8}:SSL routines:OPENSSL_internal:" + boringSslReason);
        }
    }

    private static Socket connect() throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port());
        socket.setSoTimeout((int) TlsFixtures.PATIENCE.toMillis());
        return socket;
    }

    private static int errors() {
        return events.https(HttpsServerEvent.Error.class).size();
    }

    /** The first HTTPS ERROR posted after {@code before} of them. */
    private static HttpsServerEvent.Error nextError(int before) throws InterruptedException {
        awaitErrors(before + 1);
        return events.https(HttpsServerEvent.Error.class).get(before);
    }

    private static void awaitErrors(int count) throws InterruptedException {
        events.await(e -> errors() >= count, TlsFixtures.PATIENCE);
    }

    private static HttpsServerEvent.Error errorOf(int clientPort) throws InterruptedException {
        ServerEvent event = events.await(
                e -> e instanceof HttpsServerEvent.Error && e.remoteAddress().getPort() == clientPort,
                TlsFixtures.PATIENCE);
        events.await("HTTP DISCONNECTED", event.sessionId(), TlsFixtures.PATIENCE);
        assertThat(events.labels(event.sessionId())).containsExactly("HTTPS ERROR", "HTTP DISCONNECTED");
        return (HttpsServerEvent.Error) event;
    }
}
