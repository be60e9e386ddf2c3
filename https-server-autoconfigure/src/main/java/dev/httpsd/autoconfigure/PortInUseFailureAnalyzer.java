package dev.httpsd.autoconfigure;

import dev.httpsd.server.ListenException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.env.Environment;

/**
 * An httpsd listener that cannot bind its port at startup, the server's or the management
 * listener's, as a readable failure analysis naming the property that holds that port, found by
 * its value in the environment.
 */
final class PortInUseFailureAnalyzer extends AbstractFailureAnalyzer<ListenException> {

    private static final List<String> SERVER_PORTS = List.of("https-server.port-secure", "https-server.port-insecure");
    private static final List<String> MANAGEMENT_PORTS = List.of("management.server.port");

    private final Environment environment;

    PortInUseFailureAnalyzer(Environment environment) {
        this.environment = environment;
    }

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, ListenException cause) {
        List<String> server = holding(SERVER_PORTS, cause.port());
        List<String> management = holding(MANAGEMENT_PORTS, cause.port());
        if (!server.isEmpty() && !management.isEmpty()) {
            // both listeners asked for the same fixed port: the one that started first holds it
            List<String> both = new ArrayList<>(server);
            both.addAll(management);
            return new FailureAnalysis(
                    "The httpsd server and its management server are both configured for port " + cause.port() + ": "
                            + cause.getMessage() + ".",
                    "Give " + String.join(" and ", both) + " different ports; 0 picks a free port.",
                    cause);
        }
        if (!management.isEmpty()) {
            return new FailureAnalysis(
                    "The httpsd management server " + cause.getMessage() + ".",
                    "Stop the process that is listening on that port, or configure another one with "
                            + String.join(" or ", management) + "; 0 picks a free port.",
                    cause);
        }
        String properties = server.isEmpty()
                ? "https-server.port-secure (HTTPS) or https-server.port-insecure (HTTP)"
                : String.join(" or ", server);
        return new FailureAnalysis(
                "The httpsd server " + cause.getMessage() + ".",
                "Stop the process that is listening on that port, or configure another one with " + properties
                        + "; 0 picks a free port. If the address is not one of this host's, correct https-server.address.",
                cause);
    }

    private List<String> holding(List<String> properties, int port) {
        return properties.stream()
                .filter(property -> Objects.equals(environment.getProperty(property, Integer.class), port))
                .toList();
    }
}
