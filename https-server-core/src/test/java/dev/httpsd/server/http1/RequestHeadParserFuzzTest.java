package dev.httpsd.server.http1;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.httpsd.server.BytesSource;
import dev.httpsd.server.FuzzSeeds;
import dev.httpsd.server.HttpMethod;
import dev.httpsd.server.InputBuffer;
import java.io.EOFException;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Coverage-guided fuzzing of the request-head parser with Jazzer, from bytes through a {@link
 * InputBuffer} that hands them out in reads of 1 to 256 bytes. Per input, not just "no crash":
 *
 * <ul>
 *   <li>the only failures are {@link HttpParseException} with a 4xx/5xx status the server answers,
 *       or end of stream once the input is used up;
 *   <li>the parser reads at most its byte budget ({@link RequestHeadParser#maxHeadBytes()}) plus
 *       one read;
 *   <li>a parsed head matches its bytes (raw head, limits, framing), and written out again and
 *       parsed again it gives the same head.
 * </ul>
 *
 * <p>{@code mvn verify} replays the inputs in {@code
 * src/test/resources/dev/httpsd/server/http1/RequestHeadParserFuzzTestInputs/<method>/}: each file is
 * the head bytes followed by one byte that picks the read size (1 + byte value; the data
 * provider takes it from the end). To fuzz for five minutes (the {@code fuzz} profile,
 * on whenever JAZZER_FUZZ is set; {@code -Dfuzz.seconds=N} for another duration): {@code
 * JAZZER_FUZZ=1 mvn -pl https-server-core test -Dtest=RequestHeadParserFuzzTest}. New findings are written to
 * that directory, so they replay in every build from then on.
 */
class RequestHeadParserFuzzTest {

    static final int MAX_URI_LEN = 64;
    static final int MAX_REQ_HDR_LEN = 256;
    static final int MAX_HEADER_COUNT = 8;
    static final long MAX_CONTENT_LENGTH = 100_000;

    private static final Set<Integer> ANSWERED = Set.of(400, 413, 414, 417, 431, 501, 505);
    private static final byte[] END_OF_HEAD = {'\r', '\n', '\r', '\n'};

    private final RequestHeadParser parser =
            new RequestHeadParser(MAX_URI_LEN, MAX_REQ_HDR_LEN, MAX_HEADER_COUNT, MAX_CONTENT_LENGTH);

    /**
     * Parses a head written out from a parsed one: that has one space after every colon and
     * maybe a Host line added for an absolute-form target, so its limits have room for them.
     */
    private final RequestHeadParser reparser =
            new RequestHeadParser(MAX_URI_LEN, 2 * MAX_REQ_HDR_LEN + 64, MAX_HEADER_COUNT + 1, MAX_CONTENT_LENGTH);

    @FuzzTest(maxDuration = "5m")
    void aHeadIsParsedConsistentlyOrRefusedWithItsStatus(FuzzedDataProvider data) throws IOException {
        int readSize = data.consumeInt(1, 256);
        byte[] input = data.consumeRemainingAsBytes();
        BytesSource source = new BytesSource(input, readSize);
        InputBuffer in = new InputBuffer(source, 512);

        RequestHead head;
        try {
            head = parser.parse(in);
        } catch (HttpParseException e) {
            check(ANSWERED.contains(e.error().status()), () -> "refused with " + e.error());
            checkBudget(source, readSize);
            return;
        } catch (EOFException e) {
            check(source.endSeen(), () -> "end of stream reported before the input ended");
            checkBudget(source, readSize);
            return;
        }
        checkBudget(source, readSize);
        int consumed = source.pulled() - in.buffered();
        check(consumed <= parser.maxHeadBytes(), () -> "consumed " + consumed);
        checkMatchesInput(head, input, consumed);
        checkReparsesTheSame(head);
    }

    /**
     * The other direction: a head any HTTP/1.1 server must accept (a common method, an
     * origin-form target of pchars, one Host, fields with token names and visible values, all
     * within the limits) is accepted, in reads of any size, and read as exactly what was written.
     * A parser that refused valid input would pass the property above, not this one.
     */
    @FuzzTest(maxDuration = "5m")
    void aWellFormedHeadWithinTheLimitsIsAccepted(FuzzedDataProvider data) throws IOException {
        int readSize = data.consumeInt(1, 256);
        String method = data.pickValue(List.of("GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH"));
        StringBuilder target = new StringBuilder("/");
        int targetLength = data.consumeInt(1, MAX_URI_LEN);
        while (target.length() < targetLength) {
            target.append(data.pickValue(PCHARS_AND_SLASH));
        }
        if (data.consumeBoolean() && target.length() < MAX_URI_LEN - 1) {
            target.append('?');
            int queryLength = data.consumeInt(0, MAX_URI_LEN - target.length());
            for (int i = 0; i < queryLength; i++) {
                target.append(data.pickValue(QUERY_CHARS));
            }
        }
        List<String[]> fields = new ArrayList<>();
        fields.add(new String[] {"Host", "example.test"});
        int extra = data.consumeInt(0, MAX_HEADER_COUNT - 1);
        int fieldBytes = "Host: example.test\r\n".length();
        for (int i = 0; i < extra; i++) {
            StringBuilder name = new StringBuilder("X-");
            int nameLength = data.consumeInt(1, 12);
            for (int j = 0; j < nameLength; j++) {
                name.append(data.pickValue(TCHARS));
            }
            StringBuilder value = new StringBuilder();
            int valueLength = data.consumeInt(0, 24);
            for (int j = 0; j < valueLength; j++) {
                // visible characters, and spaces only between them
                char c = (char) data.consumeInt(0x20, 0x7e);
                value.append(c == ' ' && (j == 0 || j == valueLength - 1) ? '_' : c);
            }
            int lineBytes = name.length() + 2 + value.length() + 2;
            if (fieldBytes + lineBytes > MAX_REQ_HDR_LEN) {
                break;
            }
            fieldBytes += lineBytes;
            fields.add(new String[] {name.toString(), value.toString()});
        }
        StringBuilder text = new StringBuilder(method + " " + target + " HTTP/1.1\r\n");
        for (String[] field : fields) {
            text.append(field[0]).append(": ").append(field[1]).append("\r\n");
        }
        byte[] input = text.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII);

        RequestHead head;
        try {
            head = parser.parse(new InputBuffer(new BytesSource(input, readSize), 512));
        } catch (HttpParseException e) {
            throw new AssertionError("a valid head is refused (" + e.getMessage() + "): " + text, e);
        }
        check(head.method().token().equals(method), () -> "method " + head.method());
        check(head.target().equals(target.toString()), () -> "target " + head.target() + " for " + target);
        check(Arrays.equals(head.raw(), input), () -> "raw head differs");
        check(
                head.headers().names().size() == fields.size(),
                () -> "fields " + head.headers().names());
        for (int i = 0; i < fields.size(); i++) {
            String[] field = fields.get(i);
            String name = head.headers().names().get(i);
            check(name.equals(field[0]), () -> "field name " + name + " for " + field[0]);
            check(head.headers().all(field[0]).contains(field[1]), () -> "value of " + field[0]);
        }
        check(head.contentLength() == 0 && !head.chunked(), () -> "framing of a head without a body");
    }

    private static final List<Character> TCHARS =
            chars("!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ");
    private static final List<Character> PCHARS_AND_SLASH =
            chars("/-._~!$&'()*+,;=:@0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ");
    private static final List<Character> QUERY_CHARS = chars("?/-._~!$&'()*+,;=:@0123456789abcxyzABCXYZ");

    private static List<Character> chars(String s) {
        return s.chars().mapToObj(c -> (char) c).toList();
    }

    private void checkBudget(BytesSource source, int readSize) {
        check(
                source.pulled() <= parser.maxHeadBytes() + readSize,
                () -> "read " + source.pulled() + " bytes, budget " + parser.maxHeadBytes());
    }

    private static void checkMatchesInput(RequestHead head, byte[] input, int consumed) {
        byte[] raw = head.raw();
        int start = consumed - raw.length;
        check(start >= 0 && Arrays.equals(raw, 0, raw.length, input, start, consumed), () -> "raw head differs");
        check(
                raw.length >= 4 && Arrays.equals(raw, raw.length - 4, raw.length, END_OF_HEAD, 0, 4),
                () -> "raw head does not end with CRLF CRLF");
        for (int i = 0; i < start; i++) {
            int expected = i % 2 == 0 ? '\r' : '\n';
            check(input[i] == expected, () -> "skipped bytes before the request line that are not empty lines");
        }
        check(head.method() != null && head.method() != HttpMethod.ANY, () -> "method " + head.method());
        check(
                head.target().length() <= MAX_URI_LEN,
                () -> "target of " + head.target().length());
        check(
                head.headers().size() <= MAX_HEADER_COUNT + 1,
                () -> head.headers().size() + " fields");
        check(
                head.contentLength() == RequestHead.CHUNKED
                        || (head.contentLength() >= 0 && head.contentLength() <= MAX_CONTENT_LENGTH),
                () -> "content length " + head.contentLength());
        boolean transferEncoding = head.headers().count("Transfer-Encoding") > 0;
        check(head.chunked() == transferEncoding, () -> "chunked " + head.chunked() + " without Transfer-Encoding");
        check(!transferEncoding || head.headers().count("Content-Length") == 0, () -> "both framings");
        check(!(head.chunked() && head.http10()), () -> "chunked HTTP/1.0");
        check(head.http10() || head.headers().count("Host") == 1, () -> "HTTP/1.1 without exactly one Host");
        if (head.target().startsWith("/")) {
            String rebuilt = head.path() + (head.rawQuery() == null ? "" : "?" + head.rawQuery());
            check(rebuilt.equals(head.target()), () -> "path and query " + rebuilt + " from " + head.target());
        }
        check(
                head.path().startsWith("/")
                        || head.method() == HttpMethod.CONNECT
                        || head.path().equals("*"),
                () -> "path " + head.path());
    }

    private void checkReparsesTheSame(RequestHead head) throws IOException {
        StringBuilder text = new StringBuilder()
                .append(head.method().token())
                .append(' ')
                .append(head.target())
                .append(' ')
                .append(head.protocol())
                .append("\r\n");
        // names() lists every field in order; all(name) the values of that name, in order
        Map<String, Integer> taken = new HashMap<>();
        for (String name : head.headers().names()) {
            int index = taken.merge(name.toLowerCase(Locale.ROOT), 1, Integer::sum) - 1;
            text.append(name)
                    .append(": ")
                    .append(head.headers().all(name).get(index))
                    .append("\r\n");
        }
        text.append("\r\n");
        byte[] written = text.toString().getBytes(StandardCharsets.ISO_8859_1);

        RequestHead again;
        try {
            again = reparser.parse(new InputBuffer(new BytesSource(written, written.length), 512));
        } catch (HttpParseException e) {
            throw new AssertionError("the written-out head is refused (" + e.getMessage() + "): " + text, e);
        }
        check(again.method() == head.method(), () -> "method");
        check(again.target().equals(head.target()), () -> "target");
        check(again.path().equals(head.path()), () -> "path");
        check(java.util.Objects.equals(again.rawQuery(), head.rawQuery()), () -> "query");
        check(again.http10() == head.http10(), () -> "version");
        check(again.headers().names().equals(head.headers().names()), () -> "field names");
        for (String name : head.headers().names()) {
            check(again.headers().all(name).equals(head.headers().all(name)), () -> "values of " + name);
        }
        check(again.contentLength() == head.contentLength(), () -> "content length");
        check(again.keepAlive() == head.keepAlive(), () -> "keep-alive");
        check(again.expectContinue() == head.expectContinue(), () -> "expect continue");
        check(Arrays.equals(again.raw(), written), () -> "raw head of the written-out head");
    }

    private static void check(boolean condition, Supplier<String> problem) {
        if (!condition) {
            throw new AssertionError(problem.get());
        }
    }

    /** Replayed by {@code mvn verify} only if the seeds sit under this method's name. */
    @Test
    void theCommittedSeedInputsAreThereUnderTheFuzzMethodsName() throws URISyntaxException {
        FuzzSeeds.assertEveryFuzzMethodHasItsSeeds(RequestHeadParserFuzzTest.class, 8);
    }
}
