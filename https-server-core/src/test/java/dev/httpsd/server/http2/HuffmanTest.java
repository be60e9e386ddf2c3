package dev.httpsd.server.http2;

import static dev.httpsd.server.http2.Hpack.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The Huffman code of RFC 7541 §5.2 and Appendix B, and the decoder's EOS and padding rules. */
class HuffmanTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "www.example.com, f1e3c2e5f23a6ba0ab90f4ff",
        "no-cache, a8eb10649cbf",
        "custom-key, 25a849e95ba97d7f",
        "custom-value, 25a849e95bb8e8b4bf",
        "302, 6402",
        "private, aec3771a4b",
        "https://www.example.com, 9d29ad171863c78f0b97c8e9ae82ae43d3",
    })
    void theRfcExampleStringsEncodeAndDecodeByteForByte(String text, String encoded) throws Exception {
        OutputBuffer out = new OutputBuffer(4);
        Huffman.encode(text, out);
        assertThat(hex(out.toByteArray())).isEqualTo(encoded);
        assertThat(Huffman.encodedLength(text)).isEqualTo(encoded.length() / 2);
        assertThat(decode(hex(encoded))).isEqualTo(text);
    }

    @Test
    void everyOctetRoundTripsAloneAndTogether() throws Exception {
        StringBuilder all = new StringBuilder();
        for (char c = 0; c < 256; c++) {
            String one = String.valueOf(c);
            assertThat(decode(encode(one))).as("octet %d", (int) c).isEqualTo(one);
            all.append(c);
        }
        assertThat(decode(encode(all.toString()))).isEqualTo(all.toString());
    }

    @Test
    void randomStringsRoundTripAndNeverDecodeBeyondTheBound() throws Exception {
        Random random = new Random(7541);
        for (int i = 0; i < 2_000; i++) {
            char[] chars = new char[random.nextInt(64)];
            for (int j = 0; j < chars.length; j++) {
                chars[j] = (char) (random.nextBoolean() ? 32 + random.nextInt(95) : random.nextInt(256));
            }
            String text = new String(chars);
            byte[] encoded = encode(text);
            assertThat(encoded).hasSize(Huffman.encodedLength(text));
            assertThat(Huffman.maxDecodedLength(encoded.length)).isGreaterThanOrEqualTo(text.length());
            assertThat(decode(encoded)).isEqualTo(text);
        }
    }

    @Test
    void anEmptyStringDecodesToNothing() throws Exception {
        assertThat(decode(new byte[0])).isEmpty();
    }

    @Test
    void aStringContainingEosIsRefused() {
        // 32 one bits: EOS (30 ones) is complete before the end
        assertThatThrownBy(() -> decode(hex("ffffffff")))
                .isInstanceOf(HpackException.class)
                .hasMessageContaining("EOS");
    }

    @Test
    void paddingLongerThanSevenBitsIsRefused() {
        // 'a' (00011) followed by 11 one bits
        assertThatThrownBy(() -> decode(hex("1fff")))
                .isInstanceOf(HpackException.class)
                .hasMessageContaining("11 bits of padding");
        // "00" (two 5-bit codes) and 6 one bits, then a whole octet of ones more
        assertThatThrownBy(() -> decode(hex("003fff")))
                .isInstanceOf(HpackException.class)
                .hasMessageContaining("14 bits of padding");
    }

    @Test
    void paddingThatIsNotAllOnesIsRefused() {
        // 'a' (00011) followed by 000
        assertThatThrownBy(() -> decode(hex("18")))
                .isInstanceOf(HpackException.class)
                .hasMessageContaining("not a prefix of EOS");
        // 'a' then 101: ones and a zero
        assertThatThrownBy(() -> decode(hex("1d"))).isInstanceOf(HpackException.class);
    }

    @Test
    void sevenBitsOfOnesAreValidPadding() throws Exception {
        // '0' is 00000: two of them take 10 bits, then 6 one bits
        assertThat(decode(hex("003f"))).isEqualTo("00");
        // 'a' + 3 ones
        assertThat(decode(hex("1f"))).isEqualTo("a");
    }

    @Test
    void textOutsideIso88591IsRefusedByTheEncoder() {
        assertThatThrownBy(() -> Huffman.encodedLength("caf\u20ac")).isInstanceOf(IllegalArgumentException.class);
    }

    private static byte[] encode(String text) {
        OutputBuffer out = new OutputBuffer(4);
        Huffman.encode(text, out);
        return out.toByteArray();
    }

    private static String decode(byte[] encoded) throws HpackException {
        byte[] target = new byte[Huffman.maxDecodedLength(encoded.length)];
        int n = Huffman.decode(encoded, 0, encoded.length, target, 0);
        assertThat(Huffman.decode(encoded, 0, encoded.length, null, 0)).isEqualTo(n);
        return new String(target, 0, n, StandardCharsets.ISO_8859_1);
    }
}
