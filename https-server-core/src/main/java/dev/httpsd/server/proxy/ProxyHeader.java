package dev.httpsd.server.proxy;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a load balancer said about a connection in its PROXY protocol header (HAProxy's PROXY
 * protocol, versions 1 and 2): who the client is, which address it reached, and in version 2 what
 * the balancer knew about the client's TLS session. Immutable; read-only.
 *
 * <p>The addresses replace the connection's own only for the {@link Command#PROXY PROXY} command
 * with an IP family: {@link #clientAddress()} is then present. A {@link Command#LOCAL LOCAL}
 * header (the balancer's own health check) and version 1's {@code UNKNOWN} carry no usable
 * addresses, and the connection's real endpoints stand.
 *
 * <p>Version 2 type-length-value fields: ALPN ({@code PP2_TYPE_ALPN}), authority ({@code
 * PP2_TYPE_AUTHORITY}, the TLS server name the client asked the balancer for), unique id, network
 * namespace and SSL details are decoded; a CRC32C field is checked when present ({@link
 * #checksumVerified()}); NOOP fields are skipped; fields of any other type are kept as they came
 * ({@link #otherTlvs()}).
 */
public final class ProxyHeader {

    /** Version 2's command (version 1 always means PROXY). */
    public enum Command {
        /** The balancer's own connection (a health check): use the connection's real endpoints. */
        LOCAL,
        /** A relayed connection: the header's addresses are the original endpoints. */
        PROXY
    }

    /** The original connection's address family. */
    public enum Family {
        /** Unknown or unsupported (version 1 {@code UNKNOWN}, version 2 {@code AF_UNSPEC}): no addresses. */
        UNSPEC,
        /** IPv4 (version 1 {@code TCP4}). */
        INET,
        /** IPv6 (version 1 {@code TCP6}). */
        INET6,
        /** Unix domain sockets (version 2 only). */
        UNIX
    }

    /** The original connection's transport. */
    public enum Transport {
        /** Unknown or unsupported. */
        UNSPEC,
        /** A stream: TCP or a Unix stream socket. */
        STREAM,
        /** Datagrams: UDP or a Unix datagram socket. */
        DGRAM
    }

    private final int version;
    private final Command command;
    private final Family family;
    private final Transport transport;
    private final SocketAddress source;
    private final SocketAddress destination;
    private final byte[] alpn;
    private final String authority;
    private final SslInfo ssl;
    private final byte[] uniqueId;
    private final String netns;
    private final boolean checksumVerified;
    private final List<Tlv> otherTlvs;

    ProxyHeader(
            int version,
            Command command,
            Family family,
            Transport transport,
            SocketAddress source,
            SocketAddress destination,
            byte[] alpn,
            String authority,
            SslInfo ssl,
            byte[] uniqueId,
            String netns,
            boolean checksumVerified,
            List<Tlv> otherTlvs) {
        this.version = version;
        this.command = Objects.requireNonNull(command, "command");
        this.family = Objects.requireNonNull(family, "family");
        this.transport = Objects.requireNonNull(transport, "transport");
        this.source = source;
        this.destination = destination;
        this.alpn = alpn == null ? null : alpn.clone();
        this.authority = authority;
        this.ssl = ssl;
        this.uniqueId = uniqueId == null ? null : uniqueId.clone();
        this.netns = netns;
        this.checksumVerified = checksumVerified;
        this.otherTlvs = List.copyOf(otherTlvs);
    }

    /** A version 1 header. */
    static ProxyHeader v1(Family family, SocketAddress source, SocketAddress destination) {
        Transport transport = family == Family.UNSPEC ? Transport.UNSPEC : Transport.STREAM;
        return new ProxyHeader(
                1,
                Command.PROXY,
                family,
                transport,
                source,
                destination,
                null,
                null,
                null,
                null,
                null,
                false,
                List.of());
    }

    /** 1 (the text line) or 2 (binary). */
    public int version() {
        return version;
    }

    public Command command() {
        return command;
    }

    public Family family() {
        return family;
    }

    public Transport transport() {
        return transport;
    }

    /**
     * The original client's address: an {@link InetSocketAddress} for IPv4 and IPv6, a {@link
     * java.net.UnixDomainSocketAddress} for Unix sockets (an abstract name with a leading {@code
     * @}, as Linux tools show it; redundant slashes dropped, as in any {@link java.nio.file.Path}).
     * Empty for LOCAL, for an unspecified family, and for an unnamed
     * Unix socket (a client connected to the balancer's Unix socket usually is one).
     */
    public Optional<SocketAddress> source() {
        return Optional.ofNullable(source);
    }

    /** The address the client connected to (the balancer's listener); empty as {@link #source()} is. */
    public Optional<SocketAddress> destination() {
        return Optional.ofNullable(destination);
    }

    /**
     * The address to use as the connection's remote address: the source for a PROXY command over
     * IPv4 or IPv6; empty when the connection's real peer stands (LOCAL, UNKNOWN, UNSPEC, UNIX).
     */
    public Optional<InetSocketAddress> clientAddress() {
        return command == Command.PROXY && source instanceof InetSocketAddress inet
                ? Optional.of(inet)
                : Optional.empty();
    }

    /** The address the client reached, when {@link #clientAddress()} is present. */
    public Optional<InetSocketAddress> serverAddress() {
        return command == Command.PROXY && destination instanceof InetSocketAddress inet
                ? Optional.of(inet)
                : Optional.empty();
    }

    /**
     * The application protocol negotiated between the client and the balancer ({@code
     * PP2_TYPE_ALPN}), e.g. {@code h2}; its bytes read as ISO-8859-1, so none is lost.
     */
    public Optional<String> alpn() {
        return alpn == null ? Optional.empty() : Optional.of(new String(alpn, StandardCharsets.ISO_8859_1));
    }

    /** The host name the client asked for ({@code PP2_TYPE_AUTHORITY}): its TLS SNI, usually. */
    public Optional<String> authority() {
        return Optional.ofNullable(authority);
    }

    /** What the balancer knew about the client's TLS session ({@code PP2_TYPE_SSL}). */
    public Optional<SslInfo> ssl() {
        return Optional.ofNullable(ssl);
    }

    /** The balancer's id for the connection ({@code PP2_TYPE_UNIQUE_ID}), up to 128 bytes; a copy. */
    public Optional<byte[]> uniqueId() {
        return uniqueId == null ? Optional.empty() : Optional.of(uniqueId.clone());
    }

    /** The network namespace the balancer accepted the connection in ({@code PP2_TYPE_NETNS}). */
    public Optional<String> netns() {
        return Optional.ofNullable(netns);
    }

    /** Whether the header carried a CRC32C field (it matched: a mismatch refuses the header). */
    public boolean checksumVerified() {
        return checksumVerified;
    }

    /** The fields of types this class does not decode (custom, experimental, future), in order. */
    public List<Tlv> otherTlvs() {
        return otherTlvs;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ProxyHeader that
                && version == that.version
                && command == that.command
                && family == that.family
                && transport == that.transport
                && Objects.equals(source, that.source)
                && Objects.equals(destination, that.destination)
                && Arrays.equals(alpn, that.alpn)
                && Objects.equals(authority, that.authority)
                && Objects.equals(ssl, that.ssl)
                && Arrays.equals(uniqueId, that.uniqueId)
                && Objects.equals(netns, that.netns)
                && checksumVerified == that.checksumVerified
                && otherTlvs.equals(that.otherTlvs);
    }

    @Override
    public int hashCode() {
        return Objects.hash(version, command, family, transport, source, destination, authority, ssl, otherTlvs);
    }

    /** {@code PROXY v2 PROXY INET STREAM /192.0.2.1:56324 -> /198.51.100.7:443 alpn=h2 ...}, for logs. */
    @Override
    public String toString() {
        StringBuilder text =
                new StringBuilder("PROXY v").append(version).append(' ').append(command);
        text.append(' ').append(family).append(' ').append(transport);
        if (source != null) {
            text.append(' ').append(source).append(" -> ").append(destination);
        }
        alpn().ifPresent(value -> text.append(" alpn=").append(value));
        if (authority != null) {
            text.append(" authority=").append(authority);
        }
        if (ssl != null) {
            text.append(' ').append(ssl);
        }
        if (uniqueId != null) {
            text.append(" unique-id=").append(HexFormat.of().formatHex(uniqueId));
        }
        if (netns != null) {
            text.append(" netns=").append(netns);
        }
        if (checksumVerified) {
            text.append(" crc32c=ok");
        }
        for (Tlv tlv : otherTlvs) {
            text.append(' ').append(tlv);
        }
        return text.toString();
    }

    /**
     * The client's TLS session as the balancer saw it ({@code PP2_TYPE_SSL} and its sub-fields).
     *
     * @param clientSsl {@code PP2_CLIENT_SSL}: the client connected over TLS
     * @param certificateOnConnection {@code PP2_CLIENT_CERT_CONN}: it presented a certificate on
     *     this connection
     * @param certificateInSession {@code PP2_CLIENT_CERT_SESS}: it presented one at least once in
     *     the TLS session this connection belongs to
     * @param verifyResult the balancer's verification result, 0 when a presented certificate was
     *     verified (OpenSSL's {@code X509_V_OK})
     * @param version {@code PP2_SUBTYPE_SSL_VERSION}, e.g. {@code TLSv1.3}; {@code null} when absent
     * @param commonName {@code PP2_SUBTYPE_SSL_CN}: the client certificate's subject CN; {@code null}
     *     when absent
     * @param cipher {@code PP2_SUBTYPE_SSL_CIPHER}, OpenSSL's name, e.g. {@code
     *     TLS_AES_256_GCM_SHA384}; {@code null} when absent
     * @param signatureAlgorithm {@code PP2_SUBTYPE_SSL_SIG_ALG}: how the balancer's certificate was
     *     signed, e.g. {@code RSA-SHA256}; {@code null} when absent
     * @param keyAlgorithm {@code PP2_SUBTYPE_SSL_KEY_ALG}: the balancer's certificate key, e.g.
     *     {@code EC256}; {@code null} when absent
     * @param otherTlvs sub-fields of other types, in order
     */
    public record SslInfo(
            boolean clientSsl,
            boolean certificateOnConnection,
            boolean certificateInSession,
            long verifyResult,
            String version,
            String commonName,
            String cipher,
            String signatureAlgorithm,
            String keyAlgorithm,
            List<Tlv> otherTlvs) {

        public SslInfo {
            otherTlvs = List.copyOf(otherTlvs);
        }

        /** Whether the client presented a certificate and the balancer verified it. */
        public boolean clientCertificateVerified() {
            return (certificateOnConnection || certificateInSession) && verifyResult == 0;
        }

        @Override
        public String toString() {
            StringBuilder text = new StringBuilder("ssl=[");
            text.append(clientSsl ? "tls" : "no-tls");
            if (certificateOnConnection) {
                text.append(" cert-conn");
            }
            if (certificateInSession) {
                text.append(" cert-sess");
            }
            text.append(" verify=").append(verifyResult);
            append(text, "version", version);
            append(text, "cn", commonName);
            append(text, "cipher", cipher);
            append(text, "sig-alg", signatureAlgorithm);
            append(text, "key-alg", keyAlgorithm);
            otherTlvs.forEach(tlv -> text.append(' ').append(tlv));
            return text.append(']').toString();
        }

        private static void append(StringBuilder text, String name, String value) {
            if (value != null) {
                text.append(' ').append(name).append('=').append(value);
            }
        }
    }

    /**
     * A type-length-value field kept as it came.
     *
     * @param type 0 to 255
     * @param value the bytes; the accessor hands out a copy
     */
    public record Tlv(int type, byte[] value) {

        public Tlv {
            if (type < 0 || type > 255) {
                throw new IllegalArgumentException("a TLV type is one byte, not " + type);
            }
            value = value.clone();
        }

        @Override
        public byte[] value() {
            return value.clone();
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Tlv that && type == that.type && Arrays.equals(value, that.value);
        }

        @Override
        public int hashCode() {
            return 31 * type + Arrays.hashCode(value);
        }

        @Override
        public String toString() {
            return String.format("tlv-0x%02x=%s", type, HexFormat.of().formatHex(value));
        }
    }
}
