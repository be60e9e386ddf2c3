package dev.httpsd.server.http1;

import dev.httpsd.server.HttpError;
import java.io.IOException;

/** A request the server refuses: carries the error status to answer with. */
final class HttpParseException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient HttpError error;

    HttpParseException(HttpError error, String message) {
        super(message);
        this.error = error;
    }

    HttpError error() {
        return error;
    }
}
