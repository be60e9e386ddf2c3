package dev.httpsd.server.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLEngine;

/**
 * TLS bytes written by hand, for clients no TLS library would be: ClientHellos with any version and
 * any cipher suite codes, records of any type and length, and a reader that tells which alert (if
 * any) the server answered with, before the handshake has encrypted anything.
 */
final class RawTls {

    static final int CHANGE_CIPHER_SPEC = 20;
    static final int ALERT = 21;
    static final int HANDSHAKE = 22;
    static final int APPLICATION_DATA = 23;

    static final int SSL_3_0 = 0x0300;
    static final int TLS_1_0 = 0x0301;
    static final int TLS_1_1 = 0x0302;
    static final int TLS_1_2 = 0x0303;

    /** RFC 8446 §6 / RFC 5246 §7.2 alert descriptions, by code. */
    private static final Map<Integer, String> ALERTS = Map.ofEntries(
            Map.entry(0, "close_notify"),
            Map.entry(10, "unexpected_message"),
            Map.entry(20, "bad_record_mac"),
            Map.entry(22, "record_overflow"),
            Map.entry(40, "handshake_failure"),
            Map.entry(42, "bad_certificate"),
            Map.entry(46, "certificate_unknown"),
            Map.entry(47, "illegal_parameter"),
            Map.entry(50, "decode_error"),
            Map.entry(51, "decrypt_error"),
            Map.entry(70, "protocol_version"),
            Map.entry(71, "insufficient_security"),
            Map.entry(80, "internal_error"),
            Map.entry(109, "missing_extension"),
            Map.entry(116, "certificate_required"));

    /**
     * What the server sent before it closed: the types of its records in order, and the alert that
     * ended them when it was sent in the clear (alerts after a TLS 1.3 ServerHello are encrypted).
     */
    record Answer(List<Integer> recordTypes, String alert) {
        static final Answer NOTHING = new Answer(List.of(), null);

        static Answer fatal(String alert) {
            return new Answer(List.of(ALERT), alert);
        }

        @Override
        public String toString() {
            return recordTypes.isEmpty()
                    ? "nothing, then close"
                    : "records " + recordTypes + (alert == null ? "" : " ending with fatal alert " + alert)
                            + ", then close";
        }
    }

    private RawTls() {}

    /** One record: type, version, 16-bit length, body. */
    static byte[] record(int type, int version, byte[] body) {
        ByteBuffer out = ByteBuffer.allocate(5 + body.length);
        out.put((byte) type)
                .putShort((short) version)
                .putShort((short) body.length)
                .put(body);
        return out.array();
    }

    /**
     * A ClientHello record offering {@code clientVersion} and exactly {@code cipherSuites}, with the
     * extensions an ECDHE handshake needs (groups, point formats, signature algorithms) and none that
     * announce TLS 1.3 (no supported_versions): what a TLS 1.2 or older client sends.
     */
    static byte[] clientHello(int clientVersion, int... cipherSuites) {
        ByteBuffer hello = ByteBuffer.allocate(512);
        hello.putShort((short) clientVersion);
        byte[] random = new byte[32];
        Arrays.fill(random, (byte) 0x5a);
        hello.put(random);
        hello.put((byte) 0); // no session id
        hello.putShort((short) (2 * cipherSuites.length));
        for (int suite : cipherSuites) {
            hello.putShort((short) suite);
        }
        hello.put((byte) 1).put((byte) 0); // compression: null only
        ByteBuffer extensions = ByteBuffer.allocate(256);
        // supported_groups: x25519, secp256r1, secp384r1
        extension(extensions, 0x000a, new byte[] {0, 6, 0, 0x1d, 0, 0x17, 0, 0x18});
        // ec_point_formats: uncompressed
        extension(extensions, 0x000b, new byte[] {1, 0});
        // signature_algorithms: ecdsa_secp256r1_sha256, rsa_pss_rsae_sha256, rsa_pkcs1_sha256, ecdsa_sha1,
        // rsa_pkcs1_sha1
        extension(extensions, 0x000d, new byte[] {0, 10, 4, 3, 8, 4, 4, 1, 2, 3, 2, 1});
        // renegotiation_info, empty: a client that is not renegotiating
        extension(extensions, 0xff01, new byte[] {0});
        extensions.flip();
        hello.putShort((short) extensions.remaining()).put(extensions);
        hello.flip();
        ByteBuffer handshake = ByteBuffer.allocate(4 + hello.remaining());
        handshake.put((byte) 1); // client_hello
        handshake.put((byte) 0).putShort((short) hello.remaining());
        handshake.put(hello);
        // old clients (and servers) expect an SSL 3.0 or TLS 1.0 record version on the hello
        return record(HANDSHAKE, Math.min(clientVersion, TLS_1_0), handshake.array());
    }

    private static void extension(ByteBuffer extensions, int type, byte[] data) {
        extensions.putShort((short) type).putShort((short) data.length).put(data);
    }

    /** The bytes of a real ClientHello (TLS 1.3 and 1.2 offered), made by a client-mode SSLEngine. */
    static byte[] jsseClientHello() throws Exception {
        SSLEngine engine = TlsFixtures.clientContext(null).createSSLEngine("localhost", 443);
        engine.setUseClientMode(true);
        ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        engine.wrap(ByteBuffer.allocate(0), out);
        out.flip();
        byte[] hello = new byte[out.remaining()];
        out.get(hello);
        assertThat(hello[0]).as("a handshake record").isEqualTo((byte) HANDSHAKE);
        return hello;
    }

    /**
     * Reads what the server sends until it closes (a reset counts as a close) and splits it into
     * records.
     *
     * @throws AssertionError when the server neither closes nor stops sending within the socket's
     *     timeout
     */
    static Answer readAnswer(InputStream in) throws IOException {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                received.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server did not close; received " + received.size() + " bytes");
        } catch (IOException e) {
            // reset by the server after its answer: what arrived before still counts
        }
        ByteBuffer bytes = ByteBuffer.wrap(received.toByteArray());
        List<Integer> types = new ArrayList<>();
        String alert = null;
        while (bytes.remaining() >= 5) {
            int type = bytes.get() & 0xff;
            bytes.getShort();
            int length = bytes.getShort() & 0xffff;
            types.add(type);
            alert = null;
            if (type == ALERT && length == 2 && bytes.remaining() >= 2) {
                int level = bytes.get(bytes.position()) & 0xff;
                int code = bytes.get(bytes.position() + 1) & 0xff;
                alert = (level == 2 ? "" : "warning ") + ALERTS.getOrDefault(code, "alert " + code);
            }
            bytes.position(Math.min(bytes.limit(), bytes.position() + length));
        }
        if (bytes.hasRemaining()) {
            types.add(-1); // a partial record
        }
        return new Answer(List.copyOf(types), alert);
    }

    /** Reads the first record the server sends (it does not close: it waits for the client). */
    static int firstRecordType(InputStream in) throws IOException {
        byte[] header = in.readNBytes(5);
        assertThat(header).as("a whole record header").hasSize(5);
        int length = ((header[3] & 0xff) << 8) | (header[4] & 0xff);
        assertThat(in.readNBytes(length)).hasSize(length);
        return header[0] & 0xff;
    }
}
