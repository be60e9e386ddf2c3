package dev.httpsd.autoconfigure;

import java.util.List;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** CORS is on when {@code https-server.cors.allowed-origins} or {@code allowed-origin-patterns} lists something. */
final class OnCorsConfiguredCondition extends SpringBootCondition {

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        Binder binder = Binder.get(context.getEnvironment());
        for (String property :
                List.of("https-server.cors.allowed-origins", "https-server.cors.allowed-origin-patterns")) {
            if (!binder.bind(property, Bindable.listOf(String.class))
                    .orElse(List.of())
                    .isEmpty()) {
                return ConditionOutcome.match(property + " is set");
            }
        }
        return ConditionOutcome.noMatch("neither https-server.cors.allowed-origins nor allowed-origin-patterns is set");
    }
}
