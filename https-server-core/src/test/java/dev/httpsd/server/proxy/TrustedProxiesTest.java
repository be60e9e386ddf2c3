package dev.httpsd.server.proxy;

import static dev.httpsd.server.proxy.ProxyV1Test.address;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** CIDR blocks: strict parsing with reasons, and matching across IPv4, IPv6 and IPv4-mapped IPv6. */
class TrustedProxiesTest {

    @ParameterizedTest(name = "{0} contains {1}: {2}")
    @CsvSource(delimiter = '|', textBlock = """
            10.0.0.0/8            | 10.255.1.2             | true
            10.0.0.0/8            | 11.0.0.0               | false
            10.0.0.0/8            | ::ffff:10.1.2.3        | true
            172.16.0.0/12         | 172.31.255.255         | true
            172.16.0.0/12         | 172.32.0.0             | false
            192.0.2.7             | 192.0.2.7              | true
            192.0.2.7             | 192.0.2.8              | false
            192.0.2.7/32          | 192.0.2.7              | true
            0.0.0.0/0             | 203.0.113.9            | true
            0.0.0.0/0             | 2001:db8::1            | false
            2001:db8::/32         | 2001:db8:ffff::1       | true
            2001:db8::/32         | 2001:db9::1            | false
            2001:db8::/32         | 192.0.2.1              | false
            ::1                   | ::1                    | true
            ::1/128               | 127.0.0.1              | false
            fe80::/10             | febf:ffff::1           | true
            fe80::/10             | fec0::1                | false
            ::/0                  | 2001:db8::1            | true
            ::/0                  | 192.0.2.1              | true
            ::ffff:0:0/96         | 198.51.100.7           | true
            ::ffff:0:0/96         | 2001:db8::1            | false
            ::ffff:10.0.0.0/104   | 10.9.8.7               | true
            ::ffff:10.0.0.0/104   | ::ffff:10.9.8.7        | true
            ::ffff:10.0.0.0/104   | 11.0.0.1               | false
            10.0.0.0/9            | 10.127.255.255         | true
            10.0.0.0/9            | 10.128.0.0             | false
            """)
    void aBlockContainsExactlyTheAddressesUnderItsPrefix(String block, String address, boolean contained) {
        assertThat(TrustedProxies.of(block).contains(address(address))).isEqualTo(contained);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            10.0.0.1/8         | address bits are set below the /8 prefix; the block is written 10.0.0.0/8
            10.0.0.0/33        | an IPv4 prefix is at most /32
            2001:db8::/129     | an IPv6 prefix is at most /128
            10.0.0.0/          | the prefix length must be a number from 0 to 32
            10.0.0.0/x         | the prefix length must be a number from 0 to 32
            10.0.0.0/-1        | the prefix length must be a number from 0 to 32
            10.0.0.0/08        | the prefix length has a leading zero
            10.0.0/8           | '10.0.0' is not an IPv4 address: four numbers 0-255 without leading zeros
            010.0.0.0/8        | '010.0.0.0' is not an IPv4 address
            256.0.0.0/8        | '256.0.0.0' is not an IPv4 address
            [::1]/128          | write IPv6 without brackets
            fe80::1%eth0       | a zone id (%...) has no place in a block
            2001:db8:::/48     | '2001:db8:::' is not an IPv6 address
            localhost          | 'localhost' is not an IP address (host names are not resolved here)
            10.0.0.0/8/8       | the prefix length must be a number
            """)
    void aMalformedBlockIsRefusedSayingWhy(String cidr, String reason) {
        assertThatThrownBy(() -> TrustedProxies.of(cidr))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("'" + cidr + "' is not a CIDR block: ")
                .hasMessageContaining(reason);
    }

    @Test
    void anEmptyEntryInAListIsRefused() {
        assertThatThrownBy(() -> TrustedProxies.parse("10.0.0.0/8,,192.168.0.0/16"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'' is not a CIDR block: it is empty");
    }

    @Test
    void aCommaSeparatedPropertyValueIsParsedWithBlanksAroundEntries() {
        TrustedProxies trusted = TrustedProxies.parse(" 10.0.0.0/8 ,\t2001:db8::/32 ");

        assertThat(trusted.blocks()).containsExactly("10.0.0.0/8", "2001:db8:0:0:0:0:0:0/32");
        assertThat(TrustedProxies.parse(" ")).isEqualTo(TrustedProxies.none());
    }

    @Test
    void privateNetworksAreSpringBootsDefaultInternalProxies() {
        TrustedProxies trusted = TrustedProxies.privateNetworks();

        for (String inside : List.of(
                "10.1.2.3",
                "172.20.0.1",
                "192.168.1.1",
                "169.254.0.1",
                "100.64.0.1",
                "127.0.0.1",
                "::1",
                "fd00::1",
                "fe80::1",
                "::ffff:192.168.1.1")) {
            assertThat(trusted.contains(address(inside))).as(inside).isTrue();
        }
        for (String outside : List.of("8.8.8.8", "100.128.0.1", "172.32.0.1", "2001:db8::1", "::2")) {
            assertThat(trusted.contains(address(outside))).as(outside).isFalse();
        }
    }

    @Test
    void nobodyIsTrustedByNone() throws Exception {
        assertThat(TrustedProxies.none().contains(InetAddress.getLoopbackAddress()))
                .isFalse();
        assertThat(TrustedProxies.none().isEmpty()).isTrue();
        assertThat(TrustedProxies.none()).hasToString("nobody");
    }

    @Test
    void equalListsAreEqual() {
        assertThat(TrustedProxies.of("10.0.0.0/8", "::1")).isEqualTo(TrustedProxies.parse("10.0.0.0/8, ::1/128"));
        assertThat(TrustedProxies.of("10.0.0.0/8")).isNotEqualTo(TrustedProxies.of("10.0.0.0/9"));
    }
}
