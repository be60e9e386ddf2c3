package dev.httpsd.autoconfigure.actuate;

/** A request the management listener refuses before or instead of invoking an operation. */
final class EndpointRequestException extends RuntimeException {

    private final int status;

    EndpointRequestException(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    int status() {
        return status;
    }
}
