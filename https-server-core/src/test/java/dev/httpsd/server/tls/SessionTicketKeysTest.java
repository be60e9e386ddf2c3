package dev.httpsd.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.httpsd.server.InvalidConfigException;
import dev.httpsd.server.tls.SessionTicketKeys.Format;
import io.netty.handler.ssl.OpenSslSessionTicketKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ticket key files as nginx and HAProxy write them: which key encrypts, what is refused and why,
 * the mapping to BoringSSL's key parts, and where the keys are not accepted at all.
 */
class SessionTicketKeysTest {

    @TempDir
    Path dir;

    @Test
    void nginxFilesHoldOneKeyEachAndTheFirstEncrypts() throws Exception {
        Path current = write("current.key", key(1));
        Path previous = write("previous.key", key(2));

        SessionTicketKeys keys = SessionTicketKeys.read(Format.NGINX, List.of(current, previous));

        assertThat(keys.size()).isEqualTo(2);
        assertThat(keys.keyNames()).containsExactly(name(1), name(2));
        assertThat(keys).isEqualTo(SessionTicketKeys.of(key(1), key(2)));
    }

    @Test
    void haproxyUsesTheLastThreeLinesAndTheSecondToLastEncrypts() throws Exception {
        Path file = haproxyFile(1, 2, 3, 4, 5);

        SessionTicketKeys keys = SessionTicketKeys.read(Format.HAPROXY, List.of(file));

        // line 4 encrypts; line 3 (the previous) and line 5 (the next) decrypt; lines 1 and 2 are gone
        assertThat(keys.keyNames()).containsExactly(name(4), name(3), name(5));
    }

    @Test
    void aHaproxyFileOfOneOrTwoKeysIsTakenToo() throws Exception {
        assertThat(SessionTicketKeys.read(Format.HAPROXY, List.of(haproxyFile(7)))
                        .keyNames())
                .containsExactly(name(7));
        assertThat(SessionTicketKeys.read(Format.HAPROXY, List.of(haproxyFile(7, 8)))
                        .keyNames())
                .containsExactly(name(7), name(8));
    }

    @Test
    void haproxyLinesMayEndInCrlfAndBlankLinesAreSkipped() throws Exception {
        String text = base64(1) + "\r\n\r\n" + base64(2) + "\r\n" + base64(3) + "\n\n";
        Path file = write("crlf.keys", text.getBytes(StandardCharsets.US_ASCII));

        assertThat(SessionTicketKeys.read(Format.HAPROXY, List.of(file)).keyNames())
                .containsExactly(name(2), name(1), name(3));
    }

    @Test
    void aHalfWrittenNginxFileIsRefusedNamingItAndItsLength() throws Exception {
        Path file = write("half.key", Arrays.copyOf(key(1), 20));

        assertThatThrownBy(() -> SessionTicketKeys.read(Format.NGINX, List.of(file)))
                .isInstanceOfSatisfying(
                        TlsMaterialException.class,
                        e -> assertThat(e.reason()).isEqualTo(TlsMaterialException.Reason.MALFORMED))
                .hasMessageContaining("the file holds 20 bytes; a key is 48 bytes (16 name, 16 AES, 16 HMAC)")
                .hasMessageContaining(file.toString());
    }

    @Test
    void eightyByteKeysAreRefusedWithTheReason() throws Exception {
        Path nginx = write("aes256.key", new byte[80]);
        Path haproxy = write(
                "aes256.keys",
                (Base64.getEncoder().encodeToString(filled(80, 9)) + "\n").getBytes(StandardCharsets.US_ASCII));

        assertThatThrownBy(() -> SessionTicketKeys.read(Format.NGINX, List.of(nginx)))
                .hasMessageContaining("an 80-byte (AES-256) key, which the OpenSSL engine cannot use");
        assertThatThrownBy(() -> SessionTicketKeys.read(Format.HAPROXY, List.of(haproxy)))
                .hasMessageContaining("line 1 decodes to 80 bytes: an 80-byte (AES-256) key");
    }

    @Test
    void aBrokenHaproxyLineIsRefusedWithItsNumber() throws Exception {
        Path file = write("broken.keys", (base64(1) + "\n" + "not*base64\n").getBytes(StandardCharsets.US_ASCII));

        assertThatThrownBy(() -> SessionTicketKeys.read(Format.HAPROXY, List.of(file)))
                .isInstanceOf(TlsMaterialException.class)
                .hasMessageContaining("line 2 is not base64");
    }

    @Test
    void aKeyOfZerosAndARepeatedNameAreRefused() throws Exception {
        Path zeros = write("zeros.key", new byte[48]);
        assertThatThrownBy(() -> SessionTicketKeys.read(Format.NGINX, List.of(zeros)))
                .hasMessageContaining("is all zeros: no secret");

        byte[] twin = key(1);
        twin[40] ^= 1; // same name, other secrets
        assertThatThrownBy(() -> SessionTicketKeys.of(key(1), twin))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("key 2 has the name " + name(1) + " of another key");
    }

    @Test
    void missingFilesAndEmptyOnesAreRefused() throws Exception {
        assertThatThrownBy(() -> SessionTicketKeys.read(Format.NGINX, List.of(dir.resolve("none.key"))))
                .isInstanceOfSatisfying(
                        TlsMaterialException.class,
                        e -> assertThat(e.reason()).isEqualTo(TlsMaterialException.Reason.UNREADABLE));
        Path empty = write("empty.keys", new byte[0]);
        assertThatThrownBy(() -> SessionTicketKeys.read(Format.HAPROXY, List.of(empty)))
                .hasMessageContaining("the file holds no key");
        assertThatThrownBy(() -> SessionTicketKeys.read(Format.HAPROXY, List.of(empty, empty)))
                .hasMessageContaining("the HAProxy format keeps all keys in one file");
        assertThatThrownBy(() -> SessionTicketKeyFiles.haproxy(empty).reloadedAfter(java.time.Duration.ZERO))
                .hasMessageContaining("the reload quiet period must be positive");
    }

    @Test
    void noSecretAppearsInTheTextOfTheKeys() {
        SessionTicketKeys keys = SessionTicketKeys.of(key(1), key(2));

        assertThat(keys.toString())
                .isEqualTo("SessionTicketKeys[encrypting " + name(1) + ", decrypting also " + name(2) + "]")
                .doesNotContain(HexFormat.of().formatHex(key(1), 16, 48));
    }

    @Test
    void theBytesMapToBoringSslsNameHmacAndAesKeys() {
        OpenSslSessionTicketKey[] netty = OpenSslEngineFactory.nettyKeys(SessionTicketKeys.of(key(3)));

        // name | AES | HMAC in the file; Netty takes (name, hmacKey, aesKey)
        assertThat(netty).hasSize(1);
        assertThat(netty[0].name()).isEqualTo(Arrays.copyOfRange(key(3), 0, 16));
        assertThat(netty[0].aesKey()).isEqualTo(Arrays.copyOfRange(key(3), 16, 32));
        assertThat(netty[0].hmacKey()).isEqualTo(Arrays.copyOfRange(key(3), 32, 48));
    }

    @Test
    void theJdkEngineRefusesTicketKeysAtStartSayingWhy() {
        assertThatThrownBy(() -> HttpsServerConfig.builder()
                        .serverKey(TlsFixtures.SERVER)
                        .sessionTicketKeys(SessionTicketKeys.of(key(1)))
                        .build())
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> {
                    assertThat(e.field()).isEqualTo("sessionTicketKeys");
                    assertThat(e.rule())
                            .startsWith("the JDK engine (JSSE) cannot use configured session ticket keys")
                            .contains("jdk.tls.server.statelessKeyTimeout")
                            .contains("Use the OpenSSL engine");
                });
    }

    @Test
    void ticketKeysNeedSessionTicketsAndOneSourceOnly() throws Exception {
        HttpsServerConfig.Builder openssl =
                HttpsServerConfig.builder().serverKey(TlsFixtures.SERVER).engine(TlsEngine.OPENSSL);
        SessionTicketKeyFiles files = SessionTicketKeyFiles.nginx(write("a.key", key(1)));

        assertThatThrownBy(() -> openssl.sessionTickets(false)
                        .sessionTicketKeyFiles(files)
                        .build())
                .isInstanceOfSatisfying(
                        InvalidConfigException.class,
                        e -> assertThat(e.rule()).isEqualTo("session ticket keys need sessionTickets on"));
        assertThatThrownBy(() -> openssl.sessionTickets(true)
                        .sessionTicketKeys(SessionTicketKeys.of(key(1)))
                        .sessionTicketKeyFiles(files)
                        .build())
                .isInstanceOfSatisfying(
                        InvalidConfigException.class, e -> assertThat(e.rule()).contains("not both"));
    }

    @Test
    void aReloadOnTheJdkEngineOrWithoutTicketsIsRefused() throws Exception {
        TlsTestServer.assumeOpenSslEngine();
        try (TlsTestServer jdk = TlsTestServer.start(TlsEngine.JDK)) {
            assertThatThrownBy(() -> jdk.https().reloadTicketKeys(SessionTicketKeys.of(key(1))))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("the JDK engine (JSSE) cannot use configured session ticket keys");
            assertThat(jdk.https().sessionTicketKeys()).isEmpty();
        }
        try (TlsTestServer noTickets = TlsTestServer.start(TlsEngine.OPENSSL, b -> b.sessionTickets(false))) {
            assertThatThrownBy(() -> noTickets.https().reloadTicketKeys(SessionTicketKeys.of(key(1))))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("session tickets are off");
        }
    }

    /** A key whose 48 bytes are all {@code n}: name {@code n n n ...}. */
    static byte[] key(int n) {
        return filled(SessionTicketKeys.KEY_LENGTH, n);
    }

    static String name(int n) {
        return HexFormat.of().formatHex(key(n), 0, 16);
    }

    static String base64(int n) {
        return Base64.getEncoder().encodeToString(key(n));
    }

    private static byte[] filled(int length, int n) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte) n);
        return bytes;
    }

    private Path haproxyFile(int... keys) throws Exception {
        StringBuilder text = new StringBuilder();
        for (int n : keys) {
            text.append(base64(n)).append('\n');
        }
        return write("tls-ticket-keys", text.toString().getBytes(StandardCharsets.US_ASCII));
    }

    private Path write(String name, byte[] bytes) throws Exception {
        return Files.write(dir.resolve(name), bytes);
    }
}
