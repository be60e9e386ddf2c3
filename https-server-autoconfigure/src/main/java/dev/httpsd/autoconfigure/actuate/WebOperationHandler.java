package dev.httpsd.autoconfigure.actuate;

import dev.httpsd.server.HttpMethod;
import dev.httpsd.server.HttpRequest;
import dev.httpsd.server.HttpResponse;
import dev.httpsd.server.RequestHandler;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.InvocationContext;
import org.springframework.boot.actuate.endpoint.OperationArgumentResolver;
import org.springframework.boot.actuate.endpoint.ProducibleOperationArgumentResolver;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.WebOperation;
import org.springframework.boot.actuate.endpoint.web.WebServerNamespace;
import org.springframework.util.InvalidMimeTypeException;
import org.springframework.util.MimeType;
import org.springframework.util.MimeTypeUtils;

/**
 * Serves one operation of an Actuator web endpoint on the management listener, with the
 * semantics of Boot's own servers: arguments from the path's variables, a JSON object body (POST
 * only) and the query parameters (a repeated one becomes a list), in that order of precedence;
 * no security context, so {@code show-details: when-authorized} shows nothing; a {@code null}
 * result is 404 for a read and 204 otherwise; a {@link WebEndpointResponse} brings its own status
 * and content type; an invalid request (a missing parameter, a value that does not convert) is
 * 400.
 */
final class WebOperationHandler implements RequestHandler {

    private static final Log LOG = LogFactory.getLog(WebOperationHandler.class);

    private final WebOperation operation;
    private final EndpointPathTemplate path;
    private final Map<String, Object> fixedArguments;
    private final WebServerNamespace namespace;
    private final EndpointResponses responses;

    /**
     * @param path the full path the operation is registered at (base path included)
     * @param fixedArguments arguments every request gets, e.g. the health group of an additional
     *     path
     */
    WebOperationHandler(
            WebOperation operation,
            EndpointPathTemplate path,
            Map<String, Object> fixedArguments,
            WebServerNamespace namespace,
            EndpointResponses responses) {
        this.operation = operation;
        this.path = path;
        this.fixedArguments = Map.copyOf(fixedArguments);
        this.namespace = namespace;
        this.responses = responses;
    }

    String path() {
        return path.template();
    }

    HttpMethod method() {
        return HttpMethod.valueOf(
                operation.getRequestPredicate().getHttpMethod().name());
    }

    @Override
    public void handle(HttpRequest request, HttpResponse response) throws IOException {
        Object result;
        String contentType;
        List<String> accept = request.headers("Accept");
        try {
            contentType =
                    EndpointResponses.negotiate(operation.getRequestPredicate().getProduces(), accept);
            Map<String, Object> arguments = arguments(request);
            result = operation.invoke(new InvocationContext(
                    SecurityContext.NONE,
                    arguments,
                    OperationArgumentResolver.of(WebServerNamespace.class, () -> namespace),
                    new ProducibleOperationArgumentResolver(() -> accept.isEmpty() ? null : accept)));
        } catch (EndpointRequestException e) {
            responses.sendError(response, e.status(), e.getMessage(), request.path());
            return;
        } catch (InvalidEndpointRequestException e) {
            responses.sendError(response, 400, e.getReason(), request.path());
            return;
        } catch (RuntimeException e) {
            LOG.warn("Actuator operation " + operation.getId() + " failed on " + request.path(), e);
            responses.sendError(response, 500, null, request.path());
            return;
        }
        if (result == null) {
            response.status(request.method() == HttpMethod.GET || request.method() == HttpMethod.HEAD ? 404 : 204)
                    .send(new byte[0]);
            return;
        }
        if (result instanceof WebEndpointResponse<?> web) {
            String type = web.getContentType() != null ? web.getContentType().toString() : contentType;
            responses.send(response, web.getStatus(), type, web.getBody());
            return;
        }
        responses.send(response, 200, contentType, result);
    }

    private Map<String, Object> arguments(HttpRequest request) throws IOException {
        Map<String, Object> arguments = new LinkedHashMap<>(fixedArguments);
        Map<String, Object> variables;
        try {
            variables = path.variables(request.path());
        } catch (IllegalArgumentException e) {
            throw new EndpointRequestException(400, "Malformed percent-encoding in the path");
        }
        if (variables != null) {
            arguments.putAll(variables);
        }
        if (request.method() == HttpMethod.POST) {
            arguments.putAll(body(request));
        }
        arguments.putAll(queryParameters(request.rawQuery()));
        return arguments;
    }

    /** The JSON object a write operation receives; empty without a body. */
    private Map<String, Object> body(HttpRequest request) throws IOException {
        byte[] body = request.body().readAllBytes();
        if (body.length == 0) {
            return Map.of();
        }
        Optional<String> type = request.header("Content-Type");
        Collection<String> consumes = operation.getRequestPredicate().getConsumes();
        if (!consumes.isEmpty() && !accepts(consumes, type.orElse("application/octet-stream"))) {
            throw new EndpointRequestException(
                    415,
                    "Content-Type " + type.orElse("(none)") + " is not supported; use one of "
                            + String.join(", ", consumes));
        }
        return responses.readObject(body);
    }

    private static boolean accepts(Collection<String> consumes, String contentType) {
        MimeType type;
        try {
            type = MimeTypeUtils.parseMimeType(contentType);
        } catch (InvalidMimeTypeException e) {
            return false;
        }
        return consumes.stream().map(MimeTypeUtils::parseMimeType).anyMatch(consumed -> consumed.includes(type));
    }

    /** Query parameters as a servlet container reports them: decoded, a repeated name as a list. */
    static Map<String, Object> queryParameters(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return Map.of();
        }
        Map<String, List<String>> values = new LinkedHashMap<>();
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = decode(equals < 0 ? pair : pair.substring(0, equals));
            String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
            values.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
        }
        Map<String, Object> parameters = new LinkedHashMap<>();
        values.forEach((name, list) -> parameters.put(name, list.size() == 1 ? list.getFirst() : List.copyOf(list)));
        return parameters;
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new EndpointRequestException(400, "Malformed percent-encoding in the query");
        }
    }

    @Override
    public String toString() {
        return "Actuator operation " + operation.getId() + " at " + method() + " " + path();
    }
}
