package dev.httpsd.server.http2;

import static dev.httpsd.server.http2.Hpack.entries;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A property of encoder and decoder together, over random connections drawn from a seeded {@link
 * Random}: every header list encoded by our encoder decodes to the same list, and after every
 * block both dynamic tables hold the same entries, while the table size changes between blocks as
 * SETTINGS_HEADER_TABLE_SIZE would change it.
 */
class HpackRoundTripTest {

    static final long SEED = 0x7541_9113L;
    static final int CONNECTIONS = 300;
    static final int BLOCKS_PER_CONNECTION = 25;

    private static final String[] COMMON_NAMES = {
        ":status",
        ":method",
        ":path",
        ":authority",
        "content-type",
        "content-length",
        "date",
        "server",
        "cache-control",
        "set-cookie",
        "cookie",
        "authorization",
        "accept-encoding",
        "etag",
        "vary",
        "x-request-id",
        "location",
        "user-agent",
    };
    private static final String[] COMMON_VALUES = {
        "200", "404", "GET", "/", "text/plain", "gzip, deflate", "no-cache", "", "0",
    };

    @Test
    void everyEncodedListDecodesToItselfAndTheTablesStayInStep() throws Exception {
        Random random = new Random(SEED);
        for (int connection = 0; connection < CONNECTIONS; connection++) {
            int cap = random.nextInt(5) == 0 ? random.nextInt(512) : 4096;
            HpackEncoder encoder = new HpackEncoder(cap, random.nextBoolean());
            HpackDecoder decoder = new HpackDecoder(4096, Long.MAX_VALUE, 1 << 16);
            for (int block = 0; block < BLOCKS_PER_CONNECTION; block++) {
                if (random.nextInt(8) == 0) {
                    // we advertise a new SETTINGS_HEADER_TABLE_SIZE; the peer's encoder applies it
                    int size = random.nextBoolean() ? random.nextInt(300) : 4096;
                    decoder.setMaxTableSizeLimit(size);
                    encoder.setPeerMaxTableSize(size);
                }
                List<HeaderField> fields = randomList(random);
                byte[] encoded = Hpack.encode(encoder, fields);
                String where = "connection " + connection + ", block " + block;
                assertThat(Hpack.decode(decoder, encoded)).as(where).isEqualTo(fields);
                assertThat(entries(decoder.table())).as(where).isEqualTo(entries(encoder.table()));
                assertThat(decoder.table().size())
                        .as(where)
                        .isEqualTo(encoder.table().size());
                assertThat(decoder.table().size())
                        .as(where)
                        .isLessThanOrEqualTo(decoder.table().maxSize());
            }
        }
    }

    private static List<HeaderField> randomList(Random random) {
        int count = random.nextInt(12);
        List<HeaderField> fields = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String name =
                    random.nextInt(3) > 0 ? COMMON_NAMES[random.nextInt(COMMON_NAMES.length)] : randomName(random);
            String value =
                    random.nextInt(3) == 0 ? COMMON_VALUES[random.nextInt(COMMON_VALUES.length)] : randomValue(random);
            fields.add(new HeaderField(name, value));
        }
        return fields;
    }

    private static String randomName(Random random) {
        char[] chars = new char[1 + random.nextInt(20)];
        for (int i = 0; i < chars.length; i++) {
            chars[i] = (char) ('a' + random.nextInt(26));
        }
        return "x-" + new String(chars);
    }

    private static String randomValue(Random random) {
        int length = random.nextInt(10) == 0 ? random.nextInt(3000) : random.nextInt(40);
        char[] chars = new char[length];
        boolean binary = random.nextInt(6) == 0;
        for (int i = 0; i < length; i++) {
            chars[i] = (char) (binary ? random.nextInt(256) : 0x20 + random.nextInt(0x5f));
        }
        return new String(chars);
    }
}
