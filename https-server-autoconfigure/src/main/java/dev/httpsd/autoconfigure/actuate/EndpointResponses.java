package dev.httpsd.autoconfigure.actuate;

import dev.httpsd.server.HttpResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.core.io.Resource;
import org.springframework.util.InvalidMimeTypeException;
import org.springframework.util.MimeType;
import org.springframework.util.MimeTypeUtils;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * How the management listener speaks HTTP for Actuator, as Boot's MVC integration does: picks the
 * produced media type from {@code Accept}, writes endpoint results as JSON through Boot's
 * endpoint mapper ({@code EndpointJsonMapper}) when they are an {@link OperationResponseBody} and
 * through the application's mapper otherwise, writes text, bytes and resources as they are, and
 * answers refusals with a small JSON error.
 */
final class EndpointResponses {

    private static final String JSON = "application/json";
    private static final TypeReference<Map<String, Object>> JSON_OBJECT = new TypeReference<>() {};

    private final JsonMapper endpointMapper;
    private final JsonMapper applicationMapper;

    /**
     * @param endpointMapper serializes {@link OperationResponseBody} results (Boot's isolated
     *     endpoint mapper)
     * @param applicationMapper serializes every other result and parses request bodies
     */
    EndpointResponses(JsonMapper endpointMapper, JsonMapper applicationMapper) {
        this.endpointMapper = endpointMapper;
        this.applicationMapper = applicationMapper;
    }

    /**
     * The first type of {@code produces}, in the client's order of preference, that the {@code
     * Accept} headers allow; the first produced type without {@code Accept}.
     *
     * @throws EndpointRequestException 406 when none is acceptable, 400 for a malformed header
     */
    static String negotiate(Collection<String> produces, List<String> acceptHeaders) {
        if (produces.isEmpty()) {
            return JSON;
        }
        List<MimeType> accepted = accepted(acceptHeaders);
        if (accepted.isEmpty()) {
            return produces.iterator().next();
        }
        for (MimeType acceptable : accepted) {
            for (String produced : produces) {
                if (acceptable.includes(MimeTypeUtils.parseMimeType(produced))) {
                    return produced;
                }
            }
        }
        throw new EndpointRequestException(406, "Acceptable representations: " + String.join(", ", produces));
    }

    /** The Accept header's types by quality, highest first, without those the client refuses (q=0). */
    private static List<MimeType> accepted(List<String> acceptHeaders) {
        List<MimeType> types = new ArrayList<>();
        try {
            for (String header : acceptHeaders) {
                types.addAll(MimeTypeUtils.parseMimeTypes(header));
            }
        } catch (InvalidMimeTypeException e) {
            throw new EndpointRequestException(400, "Malformed Accept header: " + e.getMessage());
        }
        List<MimeType> wanted = new ArrayList<>(types.stream()
                .filter(type -> quality(type) > 0)
                .sorted(Comparator.comparingDouble(EndpointResponses::quality).reversed())
                .toList());
        if (!types.isEmpty() && wanted.isEmpty()) {
            throw new EndpointRequestException(406, "Every representation was refused (q=0)");
        }
        return wanted;
    }

    private static double quality(MimeType type) {
        String q = type.getParameter("q");
        if (q == null) {
            return 1;
        }
        try {
            return Double.parseDouble(q);
        } catch (NumberFormatException e) {
            throw new EndpointRequestException(400, "Malformed quality in Accept header: " + type);
        }
    }

    /**
     * A JSON request body as an object, for write operations' arguments.
     *
     * @throws EndpointRequestException 400 when it is not a JSON object
     */
    Map<String, Object> readObject(byte[] body) {
        try {
            Map<String, Object> object = applicationMapper.readValue(body, JSON_OBJECT);
            if (object == null) {
                throw new EndpointRequestException(400, "The request body must be a JSON object");
            }
            return object;
        } catch (JacksonException e) {
            throw new EndpointRequestException(
                    400, "The request body must be a JSON object: " + e.getOriginalMessage());
        }
    }

    /** Sends {@code body} with {@code status} as {@code contentType}; no body when it is null. */
    void send(HttpResponse response, int status, String contentType, Object body) throws IOException {
        response.status(status);
        if (body == null) {
            response.send(new byte[0]);
            return;
        }
        if (body instanceof Resource resource) {
            response.contentType(contentType);
            try (InputStream in = resource.getInputStream();
                    OutputStream out = response.outputStream()) {
                in.transferTo(out);
            }
            return;
        }
        if (body instanceof byte[] bytes) {
            response.contentType(contentType).send(bytes);
            return;
        }
        boolean json = isJson(contentType);
        if (body instanceof CharSequence text) {
            // as Boot's servers do: a string is the body itself, whatever type was negotiated
            response.contentType(json ? contentType : withUtf8(contentType))
                    .send(text.toString().getBytes(StandardCharsets.UTF_8));
            return;
        }
        // an object can only be written as JSON, even where the operation declared another type
        response.contentType(json ? contentType : JSON).send(json(body));
    }

    /** A refusal or failure as Boot's error attributes show it, without a stack trace. */
    void sendError(HttpResponse response, int status, String message, String path) throws IOException {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("timestamp", Instant.now().toString());
        error.put("status", status);
        error.put("error", reason(status));
        if (message != null) {
            error.put("message", message);
        }
        error.put("path", path);
        response.status(status).contentType(JSON).send(endpointMapper.writeValueAsBytes(error));
    }

    byte[] json(Object body) {
        JsonMapper mapper = body instanceof OperationResponseBody ? endpointMapper : applicationMapper;
        return mapper.writeValueAsBytes(body);
    }

    private static boolean isJson(String contentType) {
        MimeType type = MimeTypeUtils.parseMimeType(contentType);
        return type.getSubtype().equals("json") || type.getSubtype().endsWith("+json");
    }

    private static String withUtf8(String contentType) {
        return MimeTypeUtils.parseMimeType(contentType).getCharset() == null
                ? contentType + ";charset=UTF-8"
                : contentType;
    }

    private static String reason(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 404 -> "Not Found";
            case 406 -> "Not Acceptable";
            case 413 -> "Content Too Large";
            case 415 -> "Unsupported Media Type";
            case 500 -> "Internal Server Error";
            default -> "Error";
        };
    }
}
