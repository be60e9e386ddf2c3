package dev.httpsd.server;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One raw request of the conformance suite and the server's expected reaction: the statuses it
 * answers in order (100 for an interim response), whether it then closes the connection or keeps
 * it for another request, and how often the handler is called.
 *
 * @param family the case family, for the report
 * @param request the bytes sent first (sent the way the test chooses: whole, per line, per byte)
 * @param afterContinue bytes sent only once the client has read a {@code 100 Continue}, or null
 * @param halfClose whether the client shuts its output down after sending everything
 * @param statuses the responses expected, in order; empty when the server closes without answering
 * @param closes whether the server closes after them ({@code Connection: close} on the last one)
 * @param calls how often the handler is invoked
 * @param completions how many of those invocations finish normally: fewer when the server refuses a
 *     body the handler is reading (chunked framing is only checked as the body is read)
 * @param bodies the expected response bodies (only for 2xx answers), or null to not check them
 */
record ConformanceCase(
        String family,
        String name,
        byte[] request,
        byte[] afterContinue,
        boolean halfClose,
        List<Integer> statuses,
        boolean closes,
        int calls,
        int completions,
        List<String> bodies) {

    /** Accepted: one 200, the connection stays open, one handler call. */
    static ConformanceCase ok(String family, String name, String request) {
        return new ConformanceCase(family, name, bytes(request), null, false, List.of(200), false, 1, 1, null);
    }

    /** Refused before the handler: {@code status}, then the server closes; no handler call. */
    static ConformanceCase refused(String family, String name, int status, String request) {
        return new ConformanceCase(family, name, bytes(request), null, false, List.of(status), true, 0, 0, null);
    }

    /** Refused while the handler reads the body: it is called once and does not finish. */
    static ConformanceCase refusedInBody(String family, String name, int status, String request) {
        return new ConformanceCase(family, name, bytes(request), null, false, List.of(status), true, 1, 0, null);
    }

    /** Closed without any response, no handler call. */
    static ConformanceCase silent(String family, String name, String request) {
        return new ConformanceCase(family, name, bytes(request), null, false, List.of(), true, 0, 0, null);
    }

    ConformanceCase answers(Integer... statuses) {
        return new ConformanceCase(
                family, name, request, afterContinue, halfClose, List.of(statuses), closes, calls, completions, bodies);
    }

    ConformanceCase thenCloses() {
        return new ConformanceCase(
                family, name, request, afterContinue, halfClose, statuses, true, calls, completions, bodies);
    }

    ConformanceCase thenKeepsOpen() {
        return new ConformanceCase(
                family, name, request, afterContinue, halfClose, statuses, false, calls, completions, bodies);
    }

    /** The handler is called {@code count} times and every call finishes. */
    ConformanceCase calls(int count) {
        return new ConformanceCase(
                family, name, request, afterContinue, halfClose, statuses, closes, count, count, bodies);
    }

    ConformanceCase calls(int count, int completed) {
        return new ConformanceCase(
                family, name, request, afterContinue, halfClose, statuses, closes, count, completed, bodies);
    }

    ConformanceCase halfClosed() {
        return new ConformanceCase(
                family, name, request, afterContinue, true, statuses, closes, calls, completions, bodies);
    }

    ConformanceCase afterContinue(String body) {
        return new ConformanceCase(
                family, name, request, bytes(body), halfClose, statuses, closes, calls, completions, bodies);
    }

    ConformanceCase bodies(String... expected) {
        return new ConformanceCase(
                family,
                name,
                request,
                afterContinue,
                halfClose,
                statuses,
                closes,
                calls,
                completions,
                List.of(expected));
    }

    /** ISO-8859-1, so that every char below 256 is the byte with that value (obs-text, NUL). */
    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Override
    public String toString() {
        return family + ": " + name;
    }
}
