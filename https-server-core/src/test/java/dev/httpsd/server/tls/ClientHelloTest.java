package dev.httpsd.server.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.Arrays;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.Test;

/** The ClientHello reader that lets the OpenSSL engine refuse clients with no common ALPN protocol. */
class ClientHelloTest {

    @Test
    void readsTheAlpnProtocolsOfARealClientHelloInTheClientsOrder() throws Exception {
        ByteBuffer hello = clientHello("h2", "http/1.1");

        assertThat(ClientHello.recordLength(hello)).isEqualTo(hello.remaining());
        assertThat(ClientHello.parse(hello).alpnProtocols()).containsExactly("h2", "http/1.1");
        assertThat(hello.position()).as("left where it was").isZero();
    }

    @Test
    void aClientHelloWithoutAlpnOffersNone() throws Exception {
        assertThat(ClientHello.parse(clientHello()).alpnProtocols()).isEmpty();
    }

    @Test
    void aRecordCutShortOrNotAHandshakeIsNotRead() throws Exception {
        ByteBuffer hello = clientHello("h2");
        ByteBuffer cut = hello.duplicate().limit(hello.limit() - 1);
        byte[] alert = {21, 3, 3, 0, 2, 2, 40};

        assertThat(ClientHello.parse(cut)).isNull();
        assertThat(ClientHello.parse(ByteBuffer.wrap(alert))).isNull();
        assertThat(ClientHello.recordLength(ByteBuffer.wrap(alert, 0, 4))).isEqualTo(-1);
    }

    @Test
    void garbageInsideAWellFramedClientHelloIsNotRead() throws Exception {
        byte[] bytes = Arrays.copyOf(array(clientHello("h2")), 5 + 4 + 40);
        bytes[3] = 0;
        bytes[4] = 44; // the record claims exactly what is there; the hello inside claims more
        bytes[5] = 1;
        bytes[6] = 0;
        bytes[7] = 0;
        bytes[8] = 40;
        Arrays.fill(bytes, 9, bytes.length, (byte) 0xff);

        assertThat(ClientHello.parse(ByteBuffer.wrap(bytes))).isNull();
    }

    /** The first record a JSSE client sends, offering {@code alpn}. */
    private static ByteBuffer clientHello(String... alpn) throws Exception {
        SSLEngine client = SSLContext.getDefault().createSSLEngine("localhost", 443);
        client.setUseClientMode(true);
        SSLParameters parameters = client.getSSLParameters();
        parameters.setApplicationProtocols(alpn);
        client.setSSLParameters(parameters);
        ByteBuffer out = ByteBuffer.allocate(client.getSession().getPacketBufferSize());
        client.wrap(ByteBuffer.allocate(0), out);
        return out.flip();
    }

    private static byte[] array(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }
}
