package dev.httpsd.server.proxy;

import static dev.httpsd.server.proxy.ProxyV1Test.address;
import static dev.httpsd.server.proxy.ProxyV1Test.deadline;
import static org.assertj.core.api.Assertions.assertThat;

import dev.httpsd.server.proxy.ProxyHeader.Command;
import dev.httpsd.server.proxy.ProxyHeader.Family;
import dev.httpsd.server.proxy.ProxyHeader.SslInfo;
import dev.httpsd.server.proxy.ProxyHeader.Transport;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Interoperability: the headers HAProxy itself sent (captured by {@code
 * scripts/capture-proxy-headers.sh}, version and options in {@code haproxy/README.md} next to the
 * files) read as what HAProxy meant, and the client's bytes after them are intact.
 */
class HaproxyHeadersTest {

    private static final byte[] PING = "PING\r\n".getBytes(StandardCharsets.US_ASCII);

    private final ProxyHeaderReader reader = new ProxyHeaderReader();

    @Test
    void sendProxyGivesAVersion1Tcp4LineAndTheClientsBytesFollow() throws IOException {
        Read read = read("v1-tcp4.bin");

        assertThat(read.header.version()).isEqualTo(1);
        assertThat(read.header.family()).isEqualTo(Family.INET);
        assertThat(read.header.clientAddress().orElseThrow().getAddress()).isEqualTo(address("127.0.0.1"));
        assertThat(read.header.serverAddress().orElseThrow().getAddress()).isEqualTo(address("127.0.0.1"));
        assertThat(read.rest).isEqualTo(PING);
    }

    @Test
    void sendProxyFromAnIpv6ClientGivesATcp6Line() throws IOException {
        Read read = read("v1-tcp6.bin");

        assertThat(read.header.family()).isEqualTo(Family.INET6);
        assertThat(read.header.clientAddress().orElseThrow().getAddress()).isEqualTo(address("::1"));
        assertThat(read.rest).isEqualTo(PING);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"v2-tcp4.bin", "v2-tcp6.bin"})
    void sendProxyV2GivesTheClientAndLeavesItsBytesUnread(String file) throws IOException {
        Read read = read(file);

        assertThat(read.header.version()).isEqualTo(2);
        assertThat(read.header.command()).isEqualTo(Command.PROXY);
        assertThat(read.header.transport()).isEqualTo(Transport.STREAM);
        InetSocketAddress client = read.header.clientAddress().orElseThrow();
        assertThat(client.getAddress()).isEqualTo(address(file.contains("tcp6") ? "::1" : "127.0.0.1"));
        assertThat(client.getPort()).isPositive();
        assertThat(read.leftover).isEmpty();
        assertThat(read.rest).isEqualTo(PING);
    }

    @Test
    void sendProxyV2SslCarriesTheTlsSessionTheAuthorityTheAlpnAUniqueIdAndAChecksum() throws IOException {
        ProxyHeader header = read("v2-ssl.bin").header;

        assertThat(header.alpn()).hasValue("h2");
        assertThat(header.authority()).hasValue("example.test");
        assertThat(header.checksumVerified()).isTrue();
        assertThat(header.uniqueId())
                .hasValueSatisfying(id ->
                        assertThat(new String(id, StandardCharsets.US_ASCII)).startsWith("7F000001:"));
        SslInfo ssl = header.ssl().orElseThrow();
        assertThat(ssl.clientSsl()).isTrue();
        assertThat(ssl.certificateOnConnection()).isFalse();
        assertThat(ssl.certificateInSession()).isFalse();
        assertThat(ssl.clientCertificateVerified()).isFalse();
        assertThat(ssl.version()).isEqualTo("TLSv1.3");
        assertThat(ssl.cipher()).isEqualTo("TLS_AES_256_GCM_SHA384");
        assertThat(ssl.signatureAlgorithm()).isEqualTo("ecdsa-with-SHA256");
        assertThat(ssl.keyAlgorithm()).isEqualTo("EC256");
        assertThat(ssl.commonName()).isNull();
        assertThat(ssl.otherTlvs()).isEmpty();
        assertThat(header.otherTlvs()).isEmpty();
    }

    @Test
    void aClientCertificateShowsInTheSslFlagsAndItsCommonName() throws IOException {
        SslInfo ssl = read("v2-ssl-client-cert.bin").header.ssl().orElseThrow();

        assertThat(ssl.certificateOnConnection()).isTrue();
        assertThat(ssl.certificateInSession()).isTrue();
        assertThat(ssl.verifyResult()).isZero();
        assertThat(ssl.clientCertificateVerified()).isTrue();
        assertThat(ssl.commonName()).isEqualTo("client one");
    }

    @Test
    void theChecksumAndUniqueIdOptionsAloneAreRead() throws IOException {
        ProxyHeader header = read("v2-crc32c-tcp4.bin").header;

        assertThat(header.checksumVerified()).isTrue();
        assertThat(header.uniqueId()).isPresent();
        assertThat(header.ssl()).isEmpty();
    }

    @Test
    void aVersion2HealthCheckIsLocalAndKeepsTheConnectionsAddresses() throws IOException {
        Read read = read("v2-health-check.bin");

        assertThat(read.header.command()).isEqualTo(Command.LOCAL);
        assertThat(read.header.family()).isEqualTo(Family.UNSPEC);
        assertThat(read.header.clientAddress()).isEmpty();
        assertThat(read.rest).isEmpty();
    }

    @Test
    void aVersion1HealthCheckSendsTheChecksOwnAddresses() throws IOException {
        Read read = read("v1-health-check.bin");

        assertThat(read.header.family()).isEqualTo(Family.INET);
        assertThat(read.header.clientAddress()).isPresent();
        assertThat(read.leftover).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "v1-tcp4.bin",
                "v1-tcp6.bin",
                "v2-tcp4.bin",
                "v2-tcp6.bin",
                "v2-ssl.bin",
                "v2-ssl-client-cert.bin",
                "v2-crc32c-tcp4.bin",
                "v2-health-check.bin",
                "v1-health-check.bin"
            })
    void ourWriterWritesWhatHaproxyMeant(String file) throws IOException {
        ProxyHeader header = read(file).header;

        byte[] written = ProxyHeaderWriter.write(header);

        assertThat(reader.read(new ScriptedSource(written), deadline()).header())
                .isEqualTo(header);
    }

    /** The header, the bytes read with it, and the bytes left in the source after it. */
    private record Read(ProxyHeader header, byte[] leftover, byte[] rest) {}

    private Read read(String file) throws IOException {
        byte[] bytes;
        try (InputStream in = getClass().getResourceAsStream("haproxy/" + file)) {
            assertThat(in).as("captured file %s", file).isNotNull();
            bytes = in.readAllBytes();
        }
        ScriptedSource source = new ScriptedSource(bytes);
        ProxyHeaderReader.Result result = reader.read(source, deadline());
        byte[] rest = Arrays.copyOfRange(bytes, source.pulled(), bytes.length);
        return new Read(result.header(), result.leftover(), ProxyHeaderWriter.concat(result.leftover(), rest));
    }
}
