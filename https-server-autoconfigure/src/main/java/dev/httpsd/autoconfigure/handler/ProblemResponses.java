package dev.httpsd.autoconfigure.handler;

import dev.httpsd.server.HttpRequest;
import dev.httpsd.server.HttpResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Error answers of the handler model: an RFC 9457 problem, {@code application/problem+json} (or
 * {@code application/json} for a client that asks only for that) when JSON can be written and the
 * client takes it, else {@code text/plain}. Never HTML, so a message that quotes the request
 * cannot become markup.
 */
final class ProblemResponses {

    private static final Map<Integer, String> TITLES = Map.ofEntries(
            Map.entry(400, "Bad Request"),
            Map.entry(401, "Unauthorized"),
            Map.entry(402, "Payment Required"),
            Map.entry(403, "Forbidden"),
            Map.entry(404, "Not Found"),
            Map.entry(405, "Method Not Allowed"),
            Map.entry(406, "Not Acceptable"),
            Map.entry(408, "Request Timeout"),
            Map.entry(409, "Conflict"),
            Map.entry(410, "Gone"),
            Map.entry(411, "Length Required"),
            Map.entry(412, "Precondition Failed"),
            Map.entry(413, "Content Too Large"),
            Map.entry(414, "URI Too Long"),
            Map.entry(415, "Unsupported Media Type"),
            Map.entry(416, "Range Not Satisfiable"),
            Map.entry(417, "Expectation Failed"),
            Map.entry(421, "Misdirected Request"),
            Map.entry(422, "Unprocessable Content"),
            Map.entry(423, "Locked"),
            Map.entry(424, "Failed Dependency"),
            Map.entry(425, "Too Early"),
            Map.entry(426, "Upgrade Required"),
            Map.entry(428, "Precondition Required"),
            Map.entry(429, "Too Many Requests"),
            Map.entry(431, "Request Header Fields Too Large"),
            Map.entry(451, "Unavailable For Legal Reasons"),
            Map.entry(500, "Internal Server Error"),
            Map.entry(501, "Not Implemented"),
            Map.entry(502, "Bad Gateway"),
            Map.entry(503, "Service Unavailable"),
            Map.entry(504, "Gateway Timeout"),
            Map.entry(505, "HTTP Version Not Supported"));

    private final JsonCodec json;

    /** @param json {@code null} without Jackson: every problem is then plain text */
    ProblemResponses(JsonCodec json) {
        this.json = json;
    }

    /** The standard reason phrase of a status, or {@code "Error"}. */
    static String title(int status) {
        return TITLES.getOrDefault(status, status >= 400 ? "Error" : "Status " + status);
    }

    /** Answers an {@link HttpStatusException} (with its violations when it has them). */
    void send(HttpRequest request, HttpResponse response, HttpStatusException problem) throws IOException {
        List<BodyValidationException.Violation> violations =
                problem instanceof BodyValidationException invalid ? invalid.violations() : List.of();
        send(request, response, problem.status(), problem.getMessage(), violations);
    }

    void send(
            HttpRequest request,
            HttpResponse response,
            int status,
            String detail,
            List<BodyValidationException.Violation> violations)
            throws IOException {
        String type = jsonType(request.header("Accept").orElse(null));
        response.status(status);
        if (type == null) {
            StringBuilder text = new StringBuilder()
                    .append(status)
                    .append(' ')
                    .append(title(status))
                    .append('\n');
            if (detail != null && !detail.isEmpty()) {
                text.append(detail).append('\n');
            }
            for (BodyValidationException.Violation violation : violations) {
                text.append(violation.field().isEmpty() ? "body" : violation.field())
                        .append(": ")
                        .append(violation.message())
                        .append('\n');
            }
            response.contentType(MediaTypes.TEXT_PLAIN_UTF8).send(text.toString());
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", title(status));
        body.put("status", status);
        if (detail != null && !detail.isEmpty()) {
            body.put("detail", detail);
        }
        body.put("instance", request.path());
        if (!violations.isEmpty()) {
            List<Map<String, String>> errors = new ArrayList<>();
            for (BodyValidationException.Violation violation : violations) {
                Map<String, String> error = new LinkedHashMap<>();
                error.put("field", violation.field());
                error.put("message", violation.message());
                errors.add(error);
            }
            body.put("errors", errors);
        }
        response.contentType(type).send(json.write(body));
    }

    /** The JSON type to answer with, or {@code null} for plain text. */
    private String jsonType(String accept) {
        if (json == null) {
            return null;
        }
        try {
            if (MediaTypes.accepts(accept, MediaTypes.PROBLEM_JSON)) {
                return MediaTypes.PROBLEM_JSON.toString();
            }
            if (MediaTypes.accepts(accept, MediaTypes.JSON)) {
                return MediaTypes.JSON_VALUE;
            }
        } catch (HttpStatusException malformedAccept) {
            // answer in plain text, which every client reads
        }
        return null;
    }
}
