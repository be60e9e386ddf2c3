package dev.httpsd.server.proxy;

import dev.httpsd.server.proxy.ProxyHeader.Command;
import dev.httpsd.server.proxy.ProxyHeader.Family;
import dev.httpsd.server.proxy.ProxyHeader.SslInfo;
import dev.httpsd.server.proxy.ProxyHeader.Tlv;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.zip.CRC32C;

/**
 * Writes PROXY protocol headers as a balancer sends them: what a test client (or a test of the
 * server behind a balancer) puts in front of its bytes, and how the fuzz test writes a parsed
 * header out again. Version 2 fields go out in a fixed order: ALPN, authority, unique id, SSL,
 * network namespace, the others, and CRC32C last.
 */
public final class ProxyHeaderWriter {

    private ProxyHeaderWriter() {}

    /** {@code PROXY TCP4 192.0.2.1 198.51.100.7 56324 443\r\n} for a client and the address it reached. */
    public static byte[] v1(InetSocketAddress client, InetSocketAddress server) {
        boolean v6 = client.getAddress() instanceof java.net.Inet6Address;
        String line = "PROXY " + (v6 ? "TCP6 " : "TCP4 ") + client.getAddress().getHostAddress() + " "
                + server.getAddress().getHostAddress() + " " + client.getPort() + " " + server.getPort() + "\r\n";
        return line.getBytes(StandardCharsets.US_ASCII);
    }

    /** A version 2 PROXY header over TCP for a client and the address it reached, no TLVs. */
    public static byte[] v2(InetSocketAddress client, InetSocketAddress server) {
        boolean v6 = client.getAddress() instanceof java.net.Inet6Address;
        return v2(ProxyHeader.v1(v6 ? Family.INET6 : Family.INET, client, server), false);
    }

    /** The header written in its own version's form. */
    public static byte[] write(ProxyHeader header) {
        return header.version() == 1 ? v1(header) : v2(header, header.checksumVerified());
    }

    /** A version 1 line for {@code header}. */
    public static byte[] v1(ProxyHeader header) {
        if (header.family() == Family.UNSPEC) {
            return "PROXY UNKNOWN\r\n".getBytes(StandardCharsets.US_ASCII);
        }
        InetSocketAddress source = (InetSocketAddress) header.source().orElseThrow();
        InetSocketAddress destination = (InetSocketAddress) header.destination().orElseThrow();
        String line = "PROXY " + (header.family() == Family.INET ? "TCP4 " : "TCP6 ") + text(source, header.family())
                + " " + text(destination, header.family()) + " " + source.getPort() + " " + destination.getPort()
                + "\r\n";
        return line.getBytes(StandardCharsets.US_ASCII);
    }

    /** A version 2 header carrying everything {@code header} holds (as version 2, whatever its version). */
    public static byte[] v2(ProxyHeader header, boolean crc32c) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int familyNibble = header.family().ordinal();
        int transportNibble = header.transport().ordinal();
        int familyByte = header.family() == Family.UNSPEC ? 0 : familyNibble << 4 | transportNibble;
        switch (header.family()) {
            case INET, INET6 -> {
                int size = header.family() == Family.INET ? 4 : 16;
                InetSocketAddress source = (InetSocketAddress) header.source().orElse(null);
                InetSocketAddress destination =
                        (InetSocketAddress) header.destination().orElse(null);
                body.writeBytes(addressBytes(source, size));
                body.writeBytes(addressBytes(destination, size));
                writeShort(body, source == null ? 0 : source.getPort());
                writeShort(body, destination == null ? 0 : destination.getPort());
            }
            case UNIX -> {
                body.writeBytes(unixPath(header.source().orElse(null)));
                body.writeBytes(unixPath(header.destination().orElse(null)));
            }
            case UNSPEC -> {}
        }
        header.alpn().ifPresent(alpn -> tlv(body, 0x01, alpn.getBytes(StandardCharsets.ISO_8859_1)));
        header.authority().ifPresent(authority -> tlv(body, 0x02, authority.getBytes(StandardCharsets.UTF_8)));
        header.uniqueId().ifPresent(id -> tlv(body, 0x05, id));
        header.ssl().ifPresent(ssl -> tlv(body, 0x20, ssl(ssl)));
        header.netns().ifPresent(netns -> tlv(body, 0x30, netns.getBytes(StandardCharsets.US_ASCII)));
        for (Tlv tlv : header.otherTlvs()) {
            tlv(body, tlv.type(), tlv.value());
        }
        int crcAt = -1;
        if (crc32c) {
            crcAt = 16 + body.size() + 3;
            tlv(body, 0x03, new byte[4]);
        }
        byte[] bytes = fixedPart(header.command(), familyByte, body.size());
        bytes = Arrays.copyOf(bytes, 16 + body.size());
        System.arraycopy(body.toByteArray(), 0, bytes, 16, body.size());
        if (crcAt >= 0) {
            CRC32C crc = new CRC32C();
            crc.update(bytes);
            long value = crc.getValue();
            bytes[crcAt] = (byte) (value >> 24);
            bytes[crcAt + 1] = (byte) (value >> 16);
            bytes[crcAt + 2] = (byte) (value >> 8);
            bytes[crcAt + 3] = (byte) value;
        }
        return bytes;
    }

    /** The 16-byte fixed part: signature, version 2 and the command, the family byte, the length. */
    public static byte[] fixedPart(Command command, int familyByte, int length) {
        byte[] fixed = Arrays.copyOf(ProxyHeaderReader.V2_SIGNATURE, 16);
        fixed[12] = (byte) (0x20 | (command == Command.PROXY ? 1 : 0));
        fixed[13] = (byte) familyByte;
        fixed[14] = (byte) (length >> 8);
        fixed[15] = (byte) length;
        return fixed;
    }

    /** Bytes from hex, spaces and line breaks ignored: {@code "0d0a 0d0a"}. */
    public static byte[] hex(String text) {
        return HexFormat.of().parseHex(text.replaceAll("\\s+", ""));
    }

    /** {@code a} then {@code b}. */
    public static byte[] concat(byte[] a, byte[] b) {
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    static void tlv(ByteArrayOutputStream out, int type, byte[] value) {
        out.write(type);
        writeShort(out, value.length);
        out.writeBytes(value);
    }

    private static byte[] ssl(SslInfo ssl) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write((ssl.clientSsl() ? 1 : 0)
                | (ssl.certificateOnConnection() ? 2 : 0)
                | (ssl.certificateInSession() ? 4 : 0));
        long verify = ssl.verifyResult();
        out.write((int) (verify >> 24));
        out.write((int) (verify >> 16));
        out.write((int) (verify >> 8));
        out.write((int) verify);
        subTlv(out, 0x21, ssl.version(), StandardCharsets.US_ASCII);
        subTlv(out, 0x22, ssl.commonName(), StandardCharsets.UTF_8);
        subTlv(out, 0x23, ssl.cipher(), StandardCharsets.US_ASCII);
        subTlv(out, 0x24, ssl.signatureAlgorithm(), StandardCharsets.US_ASCII);
        subTlv(out, 0x25, ssl.keyAlgorithm(), StandardCharsets.US_ASCII);
        for (Tlv tlv : ssl.otherTlvs()) {
            tlv(out, tlv.type(), tlv.value());
        }
        return out.toByteArray();
    }

    private static void subTlv(ByteArrayOutputStream out, int type, String value, java.nio.charset.Charset charset) {
        if (value != null) {
            tlv(out, type, value.getBytes(charset));
        }
    }

    private static byte[] addressBytes(InetSocketAddress address, int size) {
        if (address == null) {
            return new byte[size];
        }
        byte[] bytes = address.getAddress().getAddress();
        if (bytes.length == size) {
            return bytes;
        }
        // an IPv4 address under INET6: its mapped form
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        System.arraycopy(bytes, 0, mapped, 12, 4);
        return mapped;
    }

    private static byte[] unixPath(SocketAddress address) {
        byte[] path = new byte[108];
        if (address instanceof UnixDomainSocketAddress unix) {
            String text = unix.getPath().toString();
            byte[] bytes = text.startsWith("@")
                    ? concat(new byte[1], text.substring(1).getBytes(StandardCharsets.UTF_8))
                    : text.getBytes(StandardCharsets.UTF_8);
            System.arraycopy(bytes, 0, path, 0, Math.min(bytes.length, 108));
        }
        return path;
    }

    private static String text(InetSocketAddress address, Family family) {
        byte[] bytes = address.getAddress().getAddress();
        if (family == Family.INET6 && bytes.length == 4) {
            return "::ffff:" + address.getAddress().getHostAddress();
        }
        return address.getAddress().getHostAddress();
    }

    private static void writeShort(ByteArrayOutputStream out, int value) {
        out.write(value >> 8);
        out.write(value);
    }
}
