package dev.httpsd.server.http2;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.httpsd.server.FuzzSeeds;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Coverage-guided fuzzing of the HPACK decoder with Jazzer. Per input, not just "no crash":
 *
 * <ul>
 *   <li>the only failures are {@link HpackException} (COMPRESSION_ERROR, after which the connection
 *       ends, so later blocks are not decoded) and {@link HeaderListSizeException} (after which
 *       decoding goes on);
 *   <li>the dynamic table never exceeds its maximum size, nor the maximum the limit we advertise,
 *       and its size is the sum of its entries' sizes;
 *   <li>the fields handed out never exceed the header list limit;
 *   <li>a decoded list, encoded again by our encoder and decoded by a fresh decoder, gives the same
 *       list.
 * </ul>
 *
 * <p>{@code mvn verify} replays the inputs in {@code
 * src/test/resources/dev/httpsd/server/http2/HpackDecoderFuzzTestInputs/<method>/}: each file is
 * two header blocks followed by three bytes, taken from the end: the table size limit (16 times
 * the last byte, or 4096 for 255), the first block's length (the byte before), and whether the re-encoding uses
 * Huffman (the byte before that, odd = yes). To fuzz for five minutes: {@code JAZZER_FUZZ=1 mvn
 * -pl https-server-core test -Dtest=HpackDecoderFuzzTest}; new findings land in that directory.
 */
class HpackDecoderFuzzTest {

    static final long MAX_HEADER_LIST_SIZE = 2048;
    static final int MAX_STRING_LENGTH = 4096;

    @FuzzTest(maxDuration = "5m")
    void aHeaderBlockDecodesConsistentlyOrFailsAsCompressionError(FuzzedDataProvider data) {
        int limitByte = data.consumeInt(0, 255);
        int tableLimit = limitByte == 255 ? 4096 : 16 * limitByte;
        int firstLength = data.consumeInt(0, 255);
        boolean huffman = data.consumeBoolean();
        byte[] input = data.consumeRemainingAsBytes();
        int split = Math.min(firstLength, input.length);
        byte[][] blocks = {Arrays.copyOfRange(input, 0, split), Arrays.copyOfRange(input, split, input.length)};

        HpackDecoder decoder = new HpackDecoder(4096, MAX_HEADER_LIST_SIZE, MAX_STRING_LENGTH);
        decoder.setMaxTableSizeLimit(tableLimit);
        for (byte[] block : blocks) {
            List<HeaderField> fields = new ArrayList<>();
            try {
                decoder.decode(block, 0, block.length, (name, value) -> fields.add(new HeaderField(name, value)));
            } catch (HpackException e) {
                check(e.code() == ErrorCode.COMPRESSION_ERROR, () -> "code " + e.code());
                return;
            } catch (HeaderListSizeException e) {
                check(e.size() > MAX_HEADER_LIST_SIZE, () -> "reported " + e.size());
            }
            checkTable(decoder.table(), tableLimit);
            long listSize = fields.stream().mapToLong(HeaderField::size).sum();
            check(listSize <= MAX_HEADER_LIST_SIZE, () -> "handed out " + listSize + " octets of fields");
            checkReencodes(fields, huffman);
        }
    }

    private static void checkTable(HpackDynamicTable table, int limit) {
        long sum = 0;
        for (int i = 1; i <= table.length(); i++) {
            sum += HpackDynamicTable.entrySize(table.name(i), table.value(i));
        }
        long entries = sum;
        check(entries == table.size(), () -> "table size " + table.size() + ", entries " + entries);
        check(table.size() <= table.maxSize(), () -> "table size " + table.size() + " above " + table.maxSize());
        check(table.maxSize() <= Math.max(limit, 4096), () -> "table maximum " + table.maxSize());
    }

    private static void checkReencodes(List<HeaderField> fields, boolean huffman) {
        HpackEncoder encoder = new HpackEncoder(4096, huffman);
        OutputBuffer out = new OutputBuffer(64);
        encoder.beginBlock(out);
        for (HeaderField field : fields) {
            encoder.encode(out, field.name(), field.value(), HpackEncoder.Indexing.INCREMENTAL);
        }
        List<HeaderField> again = new ArrayList<>();
        try {
            new HpackDecoder(4096, Long.MAX_VALUE, MAX_STRING_LENGTH)
                    .decode(out.array(), 0, out.length(), (n, v) -> again.add(new HeaderField(n, v)));
        } catch (HpackException | HeaderListSizeException e) {
            throw new AssertionError("our own encoding of " + fields + " fails to decode: " + e.getMessage(), e);
        }
        check(again.equals(fields), () -> "re-encoded " + fields + " decodes to " + again);
    }

    private static void check(boolean condition, Supplier<String> problem) {
        if (!condition) {
            throw new AssertionError(problem.get());
        }
    }

    @Test
    void theCommittedSeedInputsAreThereUnderTheFuzzMethodsName() throws URISyntaxException {
        FuzzSeeds.assertEveryFuzzMethodHasItsSeeds(HpackDecoderFuzzTest.class, 10);
    }
}
