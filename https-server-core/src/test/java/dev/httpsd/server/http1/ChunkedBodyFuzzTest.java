package dev.httpsd.server.http1;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.httpsd.server.BytesSource;
import dev.httpsd.server.FuzzSeeds;
import dev.httpsd.server.InputBuffer;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Coverage-guided fuzzing of the chunked request-body decoder with Jazzer: bytes come through a
 * {@link InputBuffer} in reads of 1 to 256 bytes and are read back with a buffer of 1 to 256
 * bytes. Per input, the decoder must end the same way as {@link ChunkedReference} (a body, a
 * 400/431, a 413, or end of stream once the input is used up), hand out exactly the reference's
 * data, never more than maxContentLength, and consume exactly the chunked message, nothing of
 * what follows it.
 *
 * <p>{@code mvn verify} replays the inputs in {@code
 * src/test/resources/dev/httpsd/server/http1/ChunkedBodyFuzzTestInputs/<method>/}: each file is the
 * chunked body followed by two bytes, the read buffer size then the source's read size (1 + byte
 * value each; the data provider takes them from the end). To fuzz for five minutes (the {@code fuzz} profile,
 * on whenever JAZZER_FUZZ is set; {@code -Dfuzz.seconds=N} for another duration): {@code
 * JAZZER_FUZZ=1 mvn -pl https-server-core test -Dtest=ChunkedBodyFuzzTest}. New findings are written to
 * that directory, so they replay in every build from then on.
 */
class ChunkedBodyFuzzTest {

    static final long MAX_CONTENT_LENGTH = 4096;
    static final int MAX_TRAILER_BYTES = 128;
    static final int MAX_TRAILER_FIELDS = 4;

    @FuzzTest(maxDuration = "5m")
    void aChunkedBodyDecodesLikeTheReferenceDecoder(FuzzedDataProvider data) throws IOException {
        int readSize = data.consumeInt(1, 256);
        int bufferSize = data.consumeInt(1, 256);
        byte[] input = data.consumeRemainingAsBytes();
        BytesSource source = new BytesSource(input, readSize);
        InputBuffer in = new InputBuffer(source, 512);
        RequestHeadParser trailerParser = new RequestHeadParser(64, MAX_TRAILER_BYTES, MAX_TRAILER_FIELDS, 0);
        ChunkedBody body = new ChunkedBody(in, trailerParser, MAX_TRAILER_BYTES, MAX_CONTENT_LENGTH);

        ByteArrayOutputStream decoded = new ByteArrayOutputStream();
        byte[] buffer = new byte[bufferSize];
        ChunkedReference.Kind kind;
        try {
            for (int n; (n = body.read(buffer, 0, buffer.length)) != -1; ) {
                int read = n;
                check(read > 0, () -> "read returned " + read);
                decoded.write(buffer, 0, read);
                check(decoded.size() <= MAX_CONTENT_LENGTH, () -> decoded.size() + " bytes decoded");
            }
            check(body.complete(), () -> "end of body before it is complete");
            kind = ChunkedReference.Kind.VALID;
        } catch (HttpParseException e) {
            int status = e.error().status();
            check(status == 400 || status == 413 || status == 431, () -> "refused with " + e.error());
            kind = status == 413 ? ChunkedReference.Kind.TOO_LARGE : ChunkedReference.Kind.INVALID;
        } catch (EOFException e) {
            check(source.endSeen(), () -> "end of stream reported before the input ended");
            kind = ChunkedReference.Kind.TRUNCATED;
        }

        ChunkedReference.Outcome expected =
                ChunkedReference.decode(input, MAX_CONTENT_LENGTH, MAX_TRAILER_BYTES, MAX_TRAILER_FIELDS);
        ChunkedReference.Kind outcome = kind;
        check(outcome == expected.kind(), () -> "decoder: " + outcome + ", reference: " + expected.kind());
        check(
                Arrays.equals(decoded.toByteArray(), expected.body()),
                () -> "decoded " + decoded.size() + " bytes, reference " + expected.body().length);
        if (outcome == ChunkedReference.Kind.VALID) {
            int consumed = source.pulled() - in.buffered();
            check(consumed == expected.consumed(), () -> "consumed " + consumed + " of " + expected.consumed());
        }
    }

    private static void check(boolean condition, Supplier<String> problem) {
        if (!condition) {
            throw new AssertionError(problem.get());
        }
    }

    /** Replayed by {@code mvn verify} only if the seeds sit under this method's name. */
    @Test
    void theCommittedSeedInputsAreThereUnderTheFuzzMethodsName() throws URISyntaxException {
        FuzzSeeds.assertEveryFuzzMethodHasItsSeeds(ChunkedBodyFuzzTest.class, 30);
    }
}
