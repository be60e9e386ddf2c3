package dev.httpsd.server.tls;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.httpsd.server.FuzzSeeds;
import java.io.ByteArrayOutputStream;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Coverage-guided fuzzing of the first TLS record a session reads, {@link ClientHello}: the
 * record's length and the ALPN protocols the server looks at before any engine sees the bytes.
 * The last input byte picks one of two properties:
 *
 * <ul>
 *   <li>any bytes: {@code parse} answers a ClientHello or null and never throws, leaves the
 *       buffer's position where it was, and answers non-null only for a handshake record; names
 *       are 1 to 255 bytes long;
 *   <li>a well-formed ClientHello, encoded by this test's own writer from fuzzed parts (session id,
 *       cipher suites, compression methods, extensions before and after ALPN, the ALPN names):
 *       {@code parse} answers exactly the encoded names, in order, and {@code recordLength} the
 *       record's length. A parser that declines valid input fails here, not only one that crashes.
 * </ul>
 *
 * <p>{@code mvn verify} replays the inputs in {@code
 * src/test/resources/dev/httpsd/server/tls/ClientHelloFuzzTestInputs/<method>/} (real JSSE, curl
 * and OpenSSL ClientHellos with the raw-bytes selector, and structured seeds). To fuzz: {@code
 * JAZZER_FUZZ=1 mvn -pl https-server-core test -Dtest=ClientHelloFuzzTest}.
 */
class ClientHelloFuzzTest {

    private static final int ALPN = 16;

    @FuzzTest(maxDuration = "5m")
    void aFirstRecordIsReadAsItsClientHelloOrDeclined(FuzzedDataProvider data) {
        if (data.consumeBoolean()) {
            wellFormedHelloIsRead(data);
        } else {
            anyBytesAreReadOrDeclined(data.consumeRemainingAsBytes());
        }
    }

    private static void anyBytesAreReadOrDeclined(byte[] bytes) {
        ByteBuffer record = ByteBuffer.wrap(bytes);
        int length = ClientHello.recordLength(record);
        check(length == -1 ? bytes.length < 5 : length >= 5 && length <= 5 + 0xffff, "record length " + length);
        ClientHello hello = ClientHello.parse(record);
        check(record.position() == 0 && record.limit() == bytes.length, "parse moved the buffer");
        if (hello != null) {
            check(bytes[0] == 22, "a ClientHello read from a record of type " + bytes[0]);
            for (String name : hello.alpnProtocols()) {
                check(!name.isEmpty() && name.length() <= 255, "protocol name of " + name.length() + " bytes");
            }
        }
    }

    private static void wellFormedHelloIsRead(FuzzedDataProvider data) {
        List<String> names = new ArrayList<>();
        boolean alpn = data.consumeBoolean();
        int count = alpn ? data.consumeInt(1, 6) : 0;
        for (int i = 0; i < count; i++) {
            int length = data.consumeInt(1, 40);
            byte[] name = data.consumeBytes(length);
            if (name.length == 0) {
                name = new byte[] {'x'};
            }
            names.add(new String(name, StandardCharsets.ISO_8859_1));
        }
        byte[] sessionId = data.consumeBytes(data.consumeInt(0, 32));
        int suites = data.consumeInt(1, 40);
        int compressions = data.consumeInt(1, 3);
        int before = data.consumeInt(0, 4);
        int after = data.consumeInt(0, 4);
        byte[] filler = data.consumeRemainingAsBytes();

        ByteArrayOutputStream extensions = new ByteArrayOutputStream();
        for (int i = 0; i < before; i++) {
            extension(extensions, 0xff01 - i, slice(filler, i * 7, 7));
        }
        if (alpn) {
            ByteArrayOutputStream list = new ByteArrayOutputStream();
            for (String name : names) {
                list.write(name.length());
                list.writeBytes(name.getBytes(StandardCharsets.ISO_8859_1));
            }
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            u16(body, list.size());
            body.writeBytes(list.toByteArray());
            extension(extensions, ALPN, body.toByteArray());
        }
        for (int i = 0; i < after; i++) {
            extension(extensions, 0x0a0a + i, slice(filler, 40 + i * 5, 5));
        }

        ByteArrayOutputStream hello = new ByteArrayOutputStream();
        u16(hello, 0x0303);
        hello.writeBytes(slice(filler, 0, 32)); // random
        hello.write(sessionId.length);
        hello.writeBytes(sessionId);
        u16(hello, suites * 2);
        for (int i = 0; i < suites; i++) {
            u16(hello, 0x1301 + i);
        }
        hello.write(compressions);
        hello.writeBytes(new byte[compressions]);
        if (extensions.size() > 0 || alpn) {
            u16(hello, extensions.size());
            hello.writeBytes(extensions.toByteArray());
        }
        ByteArrayOutputStream handshake = new ByteArrayOutputStream();
        handshake.write(1);
        handshake.write(hello.size() >>> 16);
        u16(handshake, hello.size() & 0xffff);
        handshake.writeBytes(hello.toByteArray());
        ByteArrayOutputStream record = new ByteArrayOutputStream();
        record.write(22);
        u16(record, 0x0301);
        u16(record, handshake.size());
        record.writeBytes(handshake.toByteArray());
        byte[] bytes = record.toByteArray();

        check(ClientHello.recordLength(ByteBuffer.wrap(bytes)) == bytes.length, "record length");
        ClientHello parsed = ClientHello.parse(ByteBuffer.wrap(bytes));
        check(parsed != null, "a well-formed ClientHello was declined");
        check(parsed.alpnProtocols().equals(names), "read " + parsed.alpnProtocols() + ", sent " + names);
    }

    private static void extension(ByteArrayOutputStream out, int type, byte[] body) {
        u16(out, type & 0xffff);
        u16(out, body.length);
        out.writeBytes(body);
    }

    /** {@code length} bytes of {@code source} from {@code offset}, zeros where it has none. */
    private static byte[] slice(byte[] source, int offset, int length) {
        byte[] slice = new byte[length];
        if (offset < source.length) {
            System.arraycopy(source, offset, slice, 0, Math.min(length, source.length - offset));
        }
        return slice;
    }

    private static void u16(ByteArrayOutputStream out, int value) {
        out.write(value >>> 8);
        out.write(value & 0xff);
    }

    private static void check(boolean condition, String problem) {
        if (!condition) {
            throw new AssertionError(problem);
        }
    }

    @Test
    void theCommittedSeedInputsAreThereUnderTheFuzzMethodsName() throws URISyntaxException {
        FuzzSeeds.assertEveryFuzzMethodHasItsSeeds(ClientHelloFuzzTest.class, 5);
    }
}
