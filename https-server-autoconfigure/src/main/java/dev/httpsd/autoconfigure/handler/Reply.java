package dev.httpsd.autoconfigure.handler;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A handler's answer with a status, headers and a body: httpsd's counterpart of Spring Web's
 * {@code ResponseEntity} (which handlers may return too when spring-web is on the class path).
 * The body is written as a handler's return value is: a {@code String} as {@code
 * text/plain;charset=UTF-8}, a {@code byte[]} as {@code application/octet-stream}, any other
 * object as JSON, each unless a {@code Content-Type} header says otherwise.
 *
 * <pre>{@code
 * return Reply.created("/api/items/" + item.id()).body(item);
 * return Reply.status(409).header("Retry-After", "5").body(new Problem("busy"));
 * }</pre>
 *
 * @param <T> the type of the body
 */
public final class Reply<T> {

    /** One response header. */
    public record Header(String name, String value) {

        public Header {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
        }
    }

    private final int status;
    private final List<Header> headers;
    private final T body;

    private Reply(int status, List<Header> headers, T body) {
        if (status < 100 || status > 999) {
            throw new IllegalArgumentException("status must have three digits: " + status);
        }
        this.status = status;
        this.headers = List.copyOf(headers);
        this.body = body;
    }

    /** {@code 200 OK} with a body. */
    public static <T> Reply<T> ok(T body) {
        return new Reply<>(200, List.of(), body);
    }

    /** A reply with this status, to be given headers and a body. */
    public static Builder status(int status) {
        return new Builder(status);
    }

    /** {@code 201 Created} with a {@code Location} header. */
    public static Builder created(String location) {
        return new Builder(201).header("Location", location);
    }

    /** {@code 201 Created} with a {@code Location} header. */
    public static Builder created(URI location) {
        return created(location.toASCIIString());
    }

    /** {@code 204 No Content}. */
    public static Reply<Void> noContent() {
        return new Reply<>(204, List.of(), null);
    }

    /** {@code 404 Not Found}, to be given a body or built empty. */
    public static Builder notFound() {
        return new Builder(404);
    }

    /** The status code. */
    public int status() {
        return status;
    }

    /** The headers, in the order they were added. */
    public List<Header> headers() {
        return headers;
    }

    /** The body, or {@code null} for none. */
    public T body() {
        return body;
    }

    @Override
    public String toString() {
        return "Reply[" + status + ", " + headers + ", " + body + "]";
    }

    /** Headers, then a body. */
    public static final class Builder {

        private final int status;
        private final List<Header> headers = new ArrayList<>();

        private Builder(int status) {
            this.status = status;
        }

        /** Adds a header; several with one name are all sent. */
        public Builder header(String name, String value) {
            headers.add(new Header(name, value));
            return this;
        }

        /** The {@code Content-Type} of the body. */
        public Builder contentType(String contentType) {
            return header("Content-Type", contentType);
        }

        /** The reply with this body. */
        public <T> Reply<T> body(T body) {
            return new Reply<>(status, headers, body);
        }

        /** The reply without a body. */
        public Reply<Void> build() {
            return new Reply<>(status, headers, null);
        }
    }
}
