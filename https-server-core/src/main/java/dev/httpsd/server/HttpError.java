package dev.httpsd.server;

/**
 * The HTTP errors the server raises or lets handlers send: ESP-IDF's {@code httpd_err_code_t},
 * with the same status lines and default bodies, plus {@link #EXPECTATION_FAILED_417}.
 */
public enum HttpError {
    INTERNAL_SERVER_ERROR_500(500, "Internal Server Error", "Server has encountered an unexpected error"),
    METHOD_NOT_IMPLEMENTED_501(501, "Method Not Implemented", "Server does not support this method"),
    VERSION_NOT_SUPPORTED_505(505, "Version Not Supported", "HTTP version not supported by server"),
    BAD_REQUEST_400(400, "Bad Request", "Bad request syntax"),
    UNAUTHORIZED_401(401, "Unauthorized", "No permission -- see authorization schemes"),
    FORBIDDEN_403(403, "Forbidden", "Request forbidden -- authorization will not help"),
    NOT_FOUND_404(404, "Not Found", "Nothing matches the given URI"),
    METHOD_NOT_ALLOWED_405(405, "Method Not Allowed", "Specified method is invalid for this resource"),
    REQUEST_TIMEOUT_408(408, "Request Timeout", "Server closed this connection"),
    LENGTH_REQUIRED_411(411, "Length Required", "Client must specify Content-Length"),
    CONTENT_TOO_LARGE_413(413, "Content Too Large", "Content is too large"),
    URI_TOO_LONG_414(414, "URI Too Long", "URI is too long"),
    EXPECTATION_FAILED_417(417, "Expectation Failed", "Only 100-continue is supported in Expect"),
    REQUEST_HEADER_FIELDS_TOO_LARGE_431(431, "Request Header Fields Too Large", "Header fields are too long");

    private final int status;
    private final String reason;
    private final String defaultMessage;
    private final String statusLine;

    HttpError(int status, String reason, String defaultMessage) {
        this.status = status;
        this.reason = reason;
        this.defaultMessage = defaultMessage;
        this.statusLine = status + " " + reason;
    }

    /** The numeric status code, e.g. 404. */
    public int status() {
        return status;
    }

    /** The reason phrase, e.g. {@code Not Found}. */
    public String reason() {
        return reason;
    }

    /** The status as ESP writes it after {@code HTTP/1.1}, e.g. {@code 404 Not Found}. */
    public String statusLine() {
        return statusLine;
    }

    /** The body ESP sends when no message is given. */
    public String defaultMessage() {
        return defaultMessage;
    }

    /** The error for a status code, or {@code null} when the code is not one of these. */
    public static HttpError forStatus(int status) {
        for (HttpError error : values()) {
            if (error.status == status) {
                return error;
            }
        }
        return null;
    }
}
