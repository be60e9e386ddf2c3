package dev.httpsd.server.tls;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.httpsd.server.FuzzSeeds;
import java.io.ByteArrayOutputStream;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.Test;

/**
 * Coverage-guided fuzzing of what the TLS port makes of a connection's first read, {@link
 * FirstBytes}: go on to the TLS handshake, answer plain HTTP with a plaintext 400, or refuse. The
 * input's last byte says whether the server answers plain HTTP (httpsd) or not (ESP-IDF-compatible
 * mode), the byte before it picks one of three properties, the one before that where the first
 * read is cut:
 *
 * <ul>
 *   <li>any bytes (up to the 512 of the first read): exactly one decision, never an exception, the
 *       bytes left as they were; the same decision on every cut of the read (TCP may deliver one
 *       byte first); without answering, never a plaintext answer, and answering changes nothing
 *       but plain HTTP's refusal into its answer; the TLS decision only for a handshake record, and
 *       whatever {@link ClientHello} reads as a ClientHello goes on to TLS;
 *   <li>a ClientHello written by this test's own encoder (record versions 1.0 to 1.2, session id,
 *       suites, SNI and ALPN from fuzzed parts), which {@link ClientHello} must read too: TLS on
 *       every cut;
 *   <li>a plain HTTP request line (a registered method or an upper-case extension method, a fuzzed
 *       target, versions 1.0, 1.1 and 2.0, then anything): the plaintext answer on every cut, a
 *       refusal in ESP-IDF-compatible mode.
 * </ul>
 *
 * <p>{@code mvn verify} replays the inputs in {@code
 * src/test/resources/dev/httpsd/server/tls/FirstBytesFuzzTestInputs/<method>/} (the real JSSE, curl
 * and OpenSSL ClientHellos of {@link ClientHelloFuzzTest}, plaintext requests, other TLS records,
 * SSLv2-style hellos, structured seeds). To fuzz: {@code JAZZER_FUZZ=1 mvn -pl https-server-core
 * test -Dtest=FirstBytesFuzzTest -Dfuzz.seconds=N}.
 */
class FirstBytesFuzzTest {

    /** The size of the TLS port's first read. */
    private static final int FIRST_READ = 512;

    private static final String[] METHODS = {
        "GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH", "PRI"
    };
    private static final String[] VERSIONS = {"HTTP/1.1", "HTTP/1.0", "HTTP/2.0"};

    @FuzzTest(maxDuration = "5m")
    void aFirstReadIsTlsAPlaintextAnswerOrARefusal(FuzzedDataProvider data) {
        boolean answerPlaintext = data.consumeBoolean();
        int shape = data.consumeInt(0, 2);
        int cut = data.consumeInt(1, 256);
        switch (shape) {
            case 1 -> everyCutDecides(clientHello(data), answerPlaintext, FirstBytes.TLS);
            case 2 ->
                everyCutDecides(
                        plainRequest(data),
                        answerPlaintext,
                        answerPlaintext ? FirstBytes.PLAINTEXT_ANSWER : FirstBytes.REFUSED);
            default -> anyBytesAreDecidedOnce(data.consumeRemainingAsBytes(), cut, answerPlaintext);
        }
    }

    private static void anyBytesAreDecidedOnce(byte[] input, int cut, boolean answerPlaintext) {
        byte[] first = new byte[FIRST_READ];
        int n = Math.min(input.length, FIRST_READ);
        System.arraycopy(input, 0, first, 0, n);
        byte[] before = first.clone();

        FirstBytes decision = FirstBytes.of(first, n, answerPlaintext);
        check(decision != null, () -> "no decision");
        check(Arrays.equals(first, before), () -> "the decision changed the bytes");
        if (n == 0) {
            check(decision == FirstBytes.REFUSED, () -> "an empty read decided " + decision);
            return;
        }
        check(
                FirstBytes.of(first, Math.min(cut, n), answerPlaintext) == decision
                        && FirstBytes.of(first, 1, answerPlaintext) == decision,
                () -> "the decision depends on where the first read was cut");
        FirstBytes other = FirstBytes.of(first, n, !answerPlaintext);
        FirstBytes answering = answerPlaintext ? decision : other;
        FirstBytes silent = answerPlaintext ? other : decision;
        check(silent != FirstBytes.PLAINTEXT_ANSWER, () -> "a plaintext answer in ESP-IDF-compatible mode");
        check(
                answering == silent || (answering == FirstBytes.PLAINTEXT_ANSWER && silent == FirstBytes.REFUSED),
                () -> "answering plain HTTP turned " + silent + " into " + answering);
        check(
                decision != FirstBytes.TLS || first[0] == 0x16,
                () -> "TLS for a record of type " + (first[0] & 0xff) + ", not a handshake");
        check(
                decision != FirstBytes.PLAINTEXT_ANSWER || (first[0] >= 'A' && first[0] <= 'Z'),
                () -> "a plaintext answer to bytes that start no request line: " + (first[0] & 0xff));
        if (ClientHello.parse(ByteBuffer.wrap(input)) != null) {
            check(decision == FirstBytes.TLS, () -> "a ClientHello decided " + decision);
        }
    }

    private static void everyCutDecides(byte[] bytes, boolean answerPlaintext, FirstBytes expected) {
        byte[] first = new byte[FIRST_READ];
        int n = Math.min(bytes.length, FIRST_READ);
        System.arraycopy(bytes, 0, first, 0, n);
        for (int i = 1; i <= n; i++) {
            int cut = i;
            FirstBytes decision = FirstBytes.of(first, cut, answerPlaintext);
            check(
                    decision == expected,
                    () -> "the first " + cut + " bytes of " + preview(bytes) + " decided " + decision + ", not "
                            + expected);
        }
    }

    /** A ClientHello record from fuzzed parts; {@link ClientHello} must read it. */
    private static byte[] clientHello(FuzzedDataProvider data) {
        int recordVersion = data.consumeInt(0x0301, 0x0303);
        int suites = data.consumeInt(1, 20);
        byte[] sessionId = data.consumeBytes(data.consumeInt(0, 32));
        String host = ascii(data.consumeBytes(data.consumeInt(0, 40)), 'a', 26);
        String alpn = ascii(data.consumeBytes(data.consumeInt(0, 12)), 'a', 26);
        byte[] random = Arrays.copyOf(data.consumeBytes(32), 32);

        ByteArrayOutputStream extensions = new ByteArrayOutputStream();
        if (!host.isEmpty()) {
            ByteArrayOutputStream sni = new ByteArrayOutputStream();
            u16(sni, host.length() + 3);
            sni.write(0);
            u16(sni, host.length());
            sni.writeBytes(host.getBytes(StandardCharsets.US_ASCII));
            extension(extensions, 0, sni.toByteArray());
        }
        if (!alpn.isEmpty()) {
            ByteArrayOutputStream list = new ByteArrayOutputStream();
            u16(list, alpn.length() + 1);
            list.write(alpn.length());
            list.writeBytes(alpn.getBytes(StandardCharsets.US_ASCII));
            extension(extensions, 16, list.toByteArray());
        }
        ByteArrayOutputStream hello = new ByteArrayOutputStream();
        u16(hello, 0x0303);
        hello.writeBytes(random);
        hello.write(sessionId.length);
        hello.writeBytes(sessionId);
        u16(hello, suites * 2);
        for (int i = 0; i < suites; i++) {
            u16(hello, 0x1301 + i);
        }
        hello.write(1);
        hello.write(0);
        u16(hello, extensions.size());
        hello.writeBytes(extensions.toByteArray());
        ByteArrayOutputStream record = new ByteArrayOutputStream();
        record.write(0x16);
        u16(record, recordVersion);
        u16(record, hello.size() + 4);
        record.write(1);
        record.write(0);
        u16(record, hello.size());
        record.writeBytes(hello.toByteArray());
        byte[] bytes = record.toByteArray();
        check(ClientHello.parse(ByteBuffer.wrap(bytes)) != null, () -> "the test's ClientHello is not read as one");
        return bytes;
    }

    /** A plain HTTP request line with a fuzzed method, target and version, then fuzzed bytes. */
    private static byte[] plainRequest(FuzzedDataProvider data) {
        int pick = data.consumeInt(0, METHODS.length);
        byte[] extension = data.consumeBytes(pick < METHODS.length ? 0 : data.consumeInt(1, 20));
        String method =
                pick < METHODS.length ? METHODS[pick] : ascii(extension.length > 0 ? extension : new byte[1], 'A', 26);
        String version = VERSIONS[data.consumeInt(0, VERSIONS.length - 1)];
        String target = "/" + ascii(data.consumeBytes(data.consumeInt(0, 60)), '!', 94);
        String line = method + " " + target + " " + version + "\r\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(line.getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(data.consumeRemainingAsBytes());
        return out.toByteArray();
    }

    @Test
    void aJsseClientsFirstFlightIsTlsOnEveryCut() throws Exception {
        for (String protocol : new String[] {"TLSv1.3", "TLSv1.2"}) {
            SSLEngine client = SSLContext.getDefault().createSSLEngine("localhost", 443);
            client.setUseClientMode(true);
            SSLParameters parameters = client.getSSLParameters();
            parameters.setProtocols(new String[] {protocol});
            parameters.setApplicationProtocols(new String[] {"h2", "http/1.1"});
            client.setSSLParameters(parameters);
            ByteBuffer flight = ByteBuffer.allocate(client.getSession().getPacketBufferSize());
            client.wrap(ByteBuffer.allocate(0), flight);
            flight.flip();
            byte[] bytes = new byte[flight.remaining()];
            flight.get(bytes);

            assertThat(ClientHello.parse(ByteBuffer.wrap(bytes))).as(protocol).isNotNull();
            everyCutDecides(bytes, true, FirstBytes.TLS);
            everyCutDecides(bytes, false, FirstBytes.TLS);
        }
    }

    @Test
    void aPlainGetIsAnsweredOnEveryCutUnlessTheServerMirrorsEsp() {
        byte[] get = "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

        everyCutDecides(get, true, FirstBytes.PLAINTEXT_ANSWER);
        everyCutDecides(get, false, FirstBytes.REFUSED);
    }

    @Test
    void theCommittedSeedInputsAreThereUnderTheFuzzMethodsName() throws URISyntaxException {
        FuzzSeeds.assertEveryFuzzMethodHasItsSeeds(FirstBytesFuzzTest.class, 10);
    }

    /** Maps bytes onto {@code count} characters from {@code from}. */
    private static String ascii(byte[] bytes, char from, int count) {
        StringBuilder text = new StringBuilder(bytes.length);
        for (byte b : bytes) {
            text.append((char) (from + (b & 0xff) % count));
        }
        return text.toString();
    }

    private static String preview(byte[] bytes) {
        return new String(bytes, 0, Math.min(bytes.length, 40), StandardCharsets.ISO_8859_1);
    }

    private static void extension(ByteArrayOutputStream out, int type, byte[] body) {
        u16(out, type);
        u16(out, body.length);
        out.writeBytes(body);
    }

    private static void u16(ByteArrayOutputStream out, int value) {
        out.write(value >>> 8);
        out.write(value & 0xff);
    }

    private static void check(boolean condition, Supplier<String> problem) {
        if (!condition) {
            throw new AssertionError(problem.get());
        }
    }
}
