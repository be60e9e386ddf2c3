package dev.httpsd.server.proxy;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.httpsd.server.FuzzSeeds;
import dev.httpsd.server.proxy.ProxyHeaderException.Reason;
import java.io.IOException;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Coverage-guided fuzzing of the PROXY header reader with Jazzer, from a connection's first bytes
 * handed out in reads of 1 to 256 bytes. Per input, not just "no crash":
 *
 * <ul>
 *   <li>the only failure is {@link ProxyHeaderException}, and CLOSED only once the input is used up
 *       (no timeouts here: the source never times out);
 *   <li>the reader reads at most the 107-byte line or the configured version 2 limit, and no more
 *       than 16 bytes before refusing bytes that are no PROXY header;
 *   <li>a version 2 header is read exactly (nothing left over); a version 1 line's leftover is the
 *       input's bytes after its CRLF;
 *   <li>the header written out again by {@link ProxyHeaderWriter} reads as the same header.
 * </ul>
 *
 * <p>{@code mvn verify} replays the inputs in {@code
 * src/test/resources/dev/httpsd/server/proxy/ProxyHeaderFuzzTestInputs/<method>/}: each file is
 * the connection's bytes followed by one byte that picks the read size (1 + its value; the data
 * provider takes it from the end). To fuzz for five minutes: {@code JAZZER_FUZZ=1 mvn -pl
 * https-server-core test -Dtest=ProxyHeaderFuzzTest}; new findings land in that directory.
 */
class ProxyHeaderFuzzTest {

    /** Small enough for the fuzzer to reach the version 2 limit. */
    static final int MAX_HEADER_BYTES = 512;

    private final ProxyHeaderReader reader = new ProxyHeaderReader(MAX_HEADER_BYTES);

    @FuzzTest(maxDuration = "5m")
    void aConnectionsFirstBytesAreAHeaderOrARefusalWithItsReason(FuzzedDataProvider data) throws IOException {
        int readSize = data.consumeInt(1, 256);
        byte[] input = data.consumeRemainingAsBytes();
        ScriptedSource source = new ScriptedSource(input, readSize);

        ProxyHeaderReader.Result result;
        try {
            result = reader.read(source, Long.MAX_VALUE);
        } catch (ProxyHeaderException e) {
            check(e.reason() != Reason.TIMEOUT, () -> "a timeout without a deadline");
            check(e.reason() != Reason.CLOSED || source.endSeen(), () -> "CLOSED before the input ended");
            check(e.getMessage().startsWith("PROXY header: "), e::getMessage);
            check(
                    e.reason() != Reason.NOT_PROXY_PROTOCOL || source.pulled() <= ProxyHeaderReader.V2_FIXED,
                    () -> "read " + source.pulled() + " bytes before seeing no PROXY header");
            checkBudget(source);
            return;
        }
        checkBudget(source);
        ProxyHeader header = result.header();
        int consumed = source.pulled() - result.leftover().length;
        check(consumed > 0, () -> "nothing consumed");
        check(
                Arrays.equals(result.leftover(), Arrays.copyOfRange(input, consumed, source.pulled())),
                () -> "the leftover is not the input after the header");
        if (header.version() == 2) {
            check(result.leftover().length == 0, () -> "a version 2 header read past its end");
        } else {
            check(
                    input[consumed - 2] == '\r' && input[consumed - 1] == '\n',
                    () -> "a version 1 header does not end with CRLF");
        }
        check(
                header.clientAddress().isEmpty() || header.command() == ProxyHeader.Command.PROXY,
                () -> "a client address without the PROXY command");

        byte[] written = ProxyHeaderWriter.write(header);
        ProxyHeader again;
        try {
            again = new ProxyHeaderReader(ProxyHeaderReader.MAX_MAX_HEADER_BYTES)
                    .read(new ScriptedSource(written), Long.MAX_VALUE)
                    .header();
        } catch (ProxyHeaderException e) {
            throw new AssertionError("the written-out header " + header + " is refused: " + e.getMessage(), e);
        }
        check(again.equals(header), () -> "written out and read again: " + again + ", was " + header);
    }

    @Test
    void theCommittedSeedInputsAreThereUnderTheFuzzMethodsName() throws URISyntaxException {
        FuzzSeeds.assertEveryFuzzMethodHasItsSeeds(ProxyHeaderFuzzTest.class, 10);
    }

    private void checkBudget(ScriptedSource source) {
        int budget = Math.max(ProxyHeaderReader.V1_MAX_LINE, MAX_HEADER_BYTES);
        check(source.pulled() <= budget, () -> "read " + source.pulled() + " bytes, budget " + budget);
    }

    private static void check(boolean condition, Supplier<String> problem) {
        if (!condition) {
            throw new AssertionError(problem.get());
        }
    }
}
