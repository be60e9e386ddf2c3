package dev.httpsd.server.proxy;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The addresses trusted to speak for their clients: the balancers allowed to send a PROXY protocol
 * header, and the proxies whose {@code Forwarded} / {@code X-Forwarded-*} headers are believed. A
 * list of CIDR blocks, immutable.
 *
 * <p>Blocks are written {@code address/prefix} ({@code 10.0.0.0/8}, {@code 2001:db8::/32}) or as
 * one address ({@code 192.0.2.7}, {@code ::1}). Parsing is strict, and each refusal says why: IPv4
 * in exactly four decimal parts without leading zeros, IPv6 as RFC 4291 text without brackets or
 * zone id, a prefix within the family's length, and no address bits set below the prefix ({@code
 * 10.0.0.1/8} is refused, naming {@code 10.0.0.0/8}, because it usually hides a typo).
 *
 * <p>IPv4 and IPv6 meet in IPv4-mapped addresses ({@code ::ffff:0:0/96}): an IPv4 address matches
 * an IPv6 block when its mapped form lies in it ({@code ::/0} matches everything), and a block
 * written in mapped form with a prefix of 96 or more ({@code ::ffff:10.0.0.0/104}) is the IPv4
 * block it maps ({@code 10.0.0.0/8}), so it matches both forms of those addresses.
 */
public final class TrustedProxies {

    /**
     * Loopback and the private, link-local and shared address ranges: the default of Spring Boot's
     * {@code server.tomcat.remoteip.internal-proxies}, written as CIDR blocks.
     */
    public static final List<String> PRIVATE_NETWORKS = List.of(
            "10.0.0.0/8",
            "172.16.0.0/12",
            "192.168.0.0/16",
            "169.254.0.0/16",
            "100.64.0.0/10",
            "127.0.0.0/8",
            "::1/128",
            "fc00::/7",
            "fe80::/10");

    private static final TrustedProxies NONE = new TrustedProxies(List.of());

    private final List<Block> blocks;

    private TrustedProxies(List<Block> blocks) {
        this.blocks = List.copyOf(blocks);
    }

    /**
     * The blocks in {@code cidrs}, in order; blanks around each are ignored.
     *
     * @throws IllegalArgumentException naming the first entry that is no CIDR block and why
     */
    public static TrustedProxies of(List<String> cidrs) {
        Objects.requireNonNull(cidrs, "cidrs");
        List<Block> blocks = new ArrayList<>(cidrs.size());
        for (int i = 0; i < cidrs.size(); i++) {
            String cidr = Objects.requireNonNull(cidrs.get(i), "cidrs[" + i + "]");
            blocks.add(Block.parse(cidr.strip()));
        }
        return new TrustedProxies(blocks);
    }

    /** @throws IllegalArgumentException naming the first entry that is no CIDR block and why */
    public static TrustedProxies of(String... cidrs) {
        return of(Arrays.asList(cidrs));
    }

    /** A comma-separated list, as a property value: {@code "10.0.0.0/8, 192.168.0.0/16"}. */
    public static TrustedProxies parse(String commaSeparated) {
        Objects.requireNonNull(commaSeparated, "commaSeparated");
        if (commaSeparated.isBlank()) {
            return NONE;
        }
        return of(Arrays.asList(commaSeparated.split(",", -1)));
    }

    /** {@link #PRIVATE_NETWORKS}. */
    public static TrustedProxies privateNetworks() {
        return of(PRIVATE_NETWORKS);
    }

    /** Trusts nobody. */
    public static TrustedProxies none() {
        return NONE;
    }

    /** Whether {@code address} lies in one of the blocks. */
    public boolean contains(InetAddress address) {
        Objects.requireNonNull(address, "address");
        byte[] bytes = address.getAddress();
        for (Block block : blocks) {
            if (block.contains(bytes)) {
                return true;
            }
        }
        return false;
    }

    /** Whether no address is trusted. */
    public boolean isEmpty() {
        return blocks.isEmpty();
    }

    /** The blocks in canonical form ({@code 10.0.0.0/8}, {@code 2001:db8:0:0:0:0:0:0/32}), in order. */
    public List<String> blocks() {
        return blocks.stream().map(Block::toString).toList();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TrustedProxies that && blocks.equals(that.blocks);
    }

    @Override
    public int hashCode() {
        return blocks.hashCode();
    }

    @Override
    public String toString() {
        return blocks.isEmpty() ? "nobody" : String.join(", ", blocks());
    }

    /** One CIDR block: the network's bytes (4 or 16) and its prefix length in bits. */
    private record Block(byte[] network, int prefix) {

        static Block parse(String cidr) {
            if (cidr.isEmpty()) {
                throw refused(cidr, "it is empty");
            }
            int slash = cidr.indexOf('/');
            String text = slash < 0 ? cidr : cidr.substring(0, slash);
            InetAddress address = IpLiterals.parse(text);
            if (address == null) {
                throw refused(cidr, hint(text));
            }
            byte[] written = text.indexOf(':') >= 0 ? IpLiterals.ipv6Bytes(text) : address.getAddress();
            int bits = written.length * 8;
            int prefix = slash < 0 ? bits : prefix(cidr, cidr.substring(slash + 1), bits);
            if (written.length == 16 && address instanceof Inet4Address && prefix >= 96) {
                // an IPv4-mapped block is the IPv4 block it maps
                written = address.getAddress();
                prefix -= 96;
            }
            byte[] network = mask(written, prefix);
            if (!Arrays.equals(network, written)) {
                Block meant = new Block(network, prefix);
                throw refused(
                        cidr,
                        "address bits are set below the /" + (slash < 0 ? prefix : cidr.substring(slash + 1))
                                + " prefix; the block is written " + meant);
            }
            return new Block(network, prefix);
        }

        boolean contains(byte[] address) {
            byte[] candidate = address;
            if (network.length == 16 && address.length == 4) {
                candidate = mapped(address);
            } else if (network.length != address.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (candidate[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (candidate[full] & mask) == (network[full] & 0xff);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Block that && prefix == that.prefix && Arrays.equals(network, that.network);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(network) + prefix;
        }

        @Override
        public String toString() {
            return IpLiterals.address(network).getHostAddress() + "/" + prefix;
        }

        private static int prefix(String cidr, String text, int bits) {
            if (text.isEmpty() || text.length() > 3 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw refused(cidr, "the prefix length must be a number from 0 to " + bits);
            }
            if (text.length() > 1 && text.charAt(0) == '0') {
                throw refused(cidr, "the prefix length has a leading zero");
            }
            int prefix = Integer.parseInt(text);
            if (prefix > bits) {
                throw refused(cidr, "an " + (bits == 32 ? "IPv4" : "IPv6") + " prefix is at most /" + bits);
            }
            return prefix;
        }

        private static byte[] mask(byte[] address, int prefix) {
            byte[] network = address.clone();
            for (int bit = prefix; bit < network.length * 8; bit++) {
                network[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
            }
            return network;
        }

        private static byte[] mapped(byte[] ipv4) {
            byte[] mapped = new byte[16];
            mapped[10] = (byte) 0xff;
            mapped[11] = (byte) 0xff;
            System.arraycopy(ipv4, 0, mapped, 12, 4);
            return mapped;
        }

        private static String hint(String text) {
            if (text.startsWith("[")) {
                return "write IPv6 without brackets";
            }
            if (text.indexOf('%') >= 0) {
                return "a zone id (%...) has no place in a block";
            }
            if (text.indexOf(':') >= 0) {
                return "'" + text + "' is not an IPv6 address";
            }
            if (!text.isEmpty() && text.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'))) {
                return "'" + text + "' is not an IPv4 address: four numbers 0-255 without leading zeros";
            }
            return "'" + text + "' is not an IP address (host names are not resolved here)";
        }

        private static IllegalArgumentException refused(String cidr, String why) {
            return new IllegalArgumentException("'" + cidr + "' is not a CIDR block: " + why);
        }
    }
}
