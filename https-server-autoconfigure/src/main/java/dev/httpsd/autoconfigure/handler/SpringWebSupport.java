package dev.httpsd.autoconfigure.handler;

import java.lang.reflect.AnnotatedElement;
import java.util.ArrayList;
import java.util.List;
import org.springframework.core.annotation.MergedAnnotation;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.annotation.ResponseStatus;

/**
 * Spring Web's types, for applications that have spring-web on the class path: {@code
 * ResponseEntity} returns, {@code @ResponseStatus} on methods and exceptions, and {@code
 * ErrorResponse} exceptions ({@code ResponseStatusException}…). Loaded only when spring-web is
 * there (see {@link HandlerModel}).
 */
final class SpringWebSupport {

    /** A status, headers and body taken from Spring's types. */
    record Parts(int status, List<Reply.Header> headers, Object body) {}

    /** A status and a detail for an exception. */
    record Answer(int status, String detail) {}

    SpringWebSupport() {}

    boolean isEntity(Class<?> type) {
        return ResponseEntity.class.isAssignableFrom(type);
    }

    Parts parts(Object entity) {
        ResponseEntity<?> response = (ResponseEntity<?>) entity;
        List<Reply.Header> headers = new ArrayList<>();
        response.getHeaders().forEach((name, values) -> {
            for (String value : values) {
                headers.add(new Reply.Header(name, value));
            }
        });
        return new Parts(response.getStatusCode().value(), headers, response.getBody());
    }

    /** The status of {@code @ResponseStatus} on a method or class, or 0. */
    int responseStatus(AnnotatedElement element) {
        MergedAnnotation<ResponseStatus> status = MergedAnnotations.from(
                        element, MergedAnnotations.SearchStrategy.TYPE_HIERARCHY)
                .get(ResponseStatus.class);
        return status.isPresent()
                ? status.getValue("code", HttpStatusCode.class)
                        .map(HttpStatusCode::value)
                        .orElse(0)
                : 0;
    }

    /** How Spring Web says an exception is answered: {@code ErrorResponse} or {@code @ResponseStatus}; else {@code null}. */
    Answer answer(Throwable exception) {
        if (exception instanceof ErrorResponse error) {
            ProblemDetail body = error.getBody();
            return new Answer(
                    error.getStatusCode().value(),
                    body.getDetail() != null ? body.getDetail() : exception.getMessage());
        }
        MergedAnnotation<ResponseStatus> status = MergedAnnotations.from(
                        exception.getClass(), MergedAnnotations.SearchStrategy.TYPE_HIERARCHY)
                .get(ResponseStatus.class);
        if (!status.isPresent()) {
            return null;
        }
        String reason = status.getString("reason");
        int code = status.getValue("code", HttpStatusCode.class)
                .map(HttpStatusCode::value)
                .orElse(500);
        return new Answer(code, reason.isEmpty() ? exception.getMessage() : reason);
    }
}
