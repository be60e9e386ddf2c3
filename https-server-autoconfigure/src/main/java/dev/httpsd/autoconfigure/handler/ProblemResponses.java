package dev.httpsd.autoconfigure.handler;

import dev.httpsd.server.HttpRequest;
import dev.httpsd.server.HttpResponse;
import dev.httpsd.server.HttpRules;
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

    private final JsonCodec json;

    /** @param json {@code null} without Jackson: every problem is then plain text */
    ProblemResponses(JsonCodec json) {
        this.json = json;
    }

    /** The standard reason phrase of a status, or {@code "Error"}. */
    static String title(int status) {
        // the core's reason phrases, so a problem's title and its status line always agree
        String line = HttpRules.statusLine(status);
        return line.length() > 4 ? line.substring(4) : status >= 400 ? "Error" : "Status " + status;
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
