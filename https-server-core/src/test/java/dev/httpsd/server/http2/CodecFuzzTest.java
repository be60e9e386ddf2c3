package dev.httpsd.server.http2;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.httpsd.server.FuzzSeeds;
import java.io.IOException;
import java.net.URISyntaxException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Coverage-guided fuzzing of the whole codec with Jazzer: a client's bytes after the preface go
 * through {@link ScriptedConnection} (frame reader, HPACK decoder, request validation, stream
 * registry and lifecycles, windows, flood guard) as the connection will drive them. Per input:
 *
 * <ul>
 *   <li>the only outcomes are frames handled, stream errors (RST_STREAM and reading goes on), a
 *       connection error (GOAWAY) or the end of the input — any other exception is a bug;
 *   <li>no more streams are active than SETTINGS_MAX_CONCURRENT_STREAMS, and none is closed;
 *   <li>the dynamic table stays within its maximum size.
 * </ul>
 *
 * <p>{@code mvn verify} replays the inputs in {@code
 * src/test/resources/dev/httpsd/server/http2/CodecFuzzTestInputs/<method>/}: each file is the
 * bytes a client sends after the 24-octet preface (an h2 client's conversations, and frames that
 * break rules). To fuzz for five minutes: {@code JAZZER_FUZZ=1 mvn -pl https-server-core test
 * -Dtest=CodecFuzzTest}; new findings land in that directory.
 */
class CodecFuzzTest {

    static final int MAX_CONCURRENT_STREAMS = 4;

    @FuzzTest(maxDuration = "5m")
    void aClientsBytesEndInFramesOrProtocolErrorsOnly(FuzzedDataProvider data) throws IOException {
        ScriptedConnection connection = new ScriptedConnection(
                new Http2Settings(4096, false, MAX_CONCURRENT_STREAMS, 65_535, 16_384, 4096),
                FloodGuard.Limits.DEFAULTS);
        connection.respond = data.consumeBoolean();
        List<String> log = connection.run(data.consumeRemainingAsBytes());
        check(
                connection.streams.activeCount() <= MAX_CONCURRENT_STREAMS,
                "active streams: " + connection.streams.activeCount());
        for (StreamLifecycle stream : connection.streams.active()) {
            check(stream.state() != StreamState.CLOSED && stream.state() != StreamState.IDLE, "active " + stream);
        }
        HpackDynamicTable table = connection.decoder.table();
        check(table.size() <= table.maxSize(), "table " + table.size() + " of " + table.maxSize());
        if (!log.isEmpty()) {
            String last = log.getLast();
            check(!last.isEmpty(), "empty log line");
        }
    }

    private static void check(boolean condition, String problem) {
        if (!condition) {
            throw new AssertionError(problem);
        }
    }

    @Test
    void theCommittedSeedInputsAreThereUnderTheFuzzMethodsName() throws URISyntaxException {
        FuzzSeeds.assertEveryFuzzMethodHasItsSeeds(CodecFuzzTest.class, 10);
    }
}
