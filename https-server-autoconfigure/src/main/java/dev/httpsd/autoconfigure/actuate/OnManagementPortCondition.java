package dev.httpsd.autoconfigure.actuate;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when {@code management.server.port} asks for a listener: set, and not negative (Boot's
 * {@code -1} switches Actuator's HTTP endpoints off).
 */
final class OnManagementPortCondition extends SpringBootCondition {

    static final String PORT = "management.server.port";

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        Integer port = context.getEnvironment().getProperty(PORT, Integer.class);
        if (port == null) {
            return ConditionOutcome.noMatch(PORT + " is not set");
        }
        if (port < 0) {
            return ConditionOutcome.noMatch(PORT + " is " + port + ": Actuator's HTTP endpoints are off");
        }
        return ConditionOutcome.match(PORT + " is " + port);
    }
}
