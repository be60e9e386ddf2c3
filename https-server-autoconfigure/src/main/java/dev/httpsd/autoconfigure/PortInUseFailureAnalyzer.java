package dev.httpsd.autoconfigure;

import java.net.BindException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * "Port in use" at startup, of the server or of the management server, as a readable failure
 * analysis naming the property to change instead of a stack trace.
 */
final class PortInUseFailureAnalyzer extends AbstractFailureAnalyzer<BindException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, BindException cause) {
        String message = String.valueOf(cause.getMessage());
        if (message.startsWith("management server cannot listen on")) {
            return new FailureAnalysis(
                    "The httpsd " + message + ".",
                    "Stop the process that is listening on that port, or configure another one with"
                            + " management.server.port; 0 picks a free port.",
                    cause);
        }
        if (!message.startsWith("cannot listen on")) {
            return null;
        }
        return new FailureAnalysis(
                "The httpsd server " + message + ".",
                "Stop the process that is listening on that port, or configure another one with"
                        + " https-server.port-secure (HTTPS) or https-server.port-insecure (HTTP); 0 picks a free port.",
                cause);
    }
}
