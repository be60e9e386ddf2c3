package dev.httpsd.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.httpsd.autoconfigure.EventBridgeApplicationTests.CountingMulticaster;
import dev.httpsd.autoconfigure.EventBridgeApplicationTests.TypedListenerApplication;
import dev.httpsd.autoconfigure.events.HttpServerDisconnectedEvent;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.AbstractApplicationContext;

/**
 * With Spring Boot DevTools on the class path (this class runs in its own Surefire execution, the
 * only one that has it), DevTools' restart listener, an {@code ApplicationListener} of every
 * {@code ApplicationEvent}, is in the application's context; server events still become Spring
 * events only for the listener that asked for them by type.
 */
class DevToolsEventBridgeApplicationTests {

    private static final String RESTART_LISTENER =
            "org.springframework.boot.devtools.restart.RestartApplicationListener";

    @Test
    void devToolsRestartListenerDoesNotTurnEveryServerEventIntoASpringEvent() throws Exception {
        assumeTrue(Boolean.getBoolean("httpsd.devtools-execution"), "runs in the with-devtools Surefire execution");
        Map<String, Object> properties = EventBridgeApplicationTests.properties();
        properties.put("spring.devtools.restart.enabled", "false");
        properties.put("spring.devtools.livereload.enabled", "false");
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(TypedListenerApplication.class)
                .web(WebApplicationType.NONE)
                .properties(properties)
                .run()) {
            assertThat(((AbstractApplicationContext) context).getApplicationListeners())
                    .as("DevTools' catch-all restart listener is in the context")
                    .anyMatch(listener -> listener.getClass().getName().equals(RESTART_LISTENER));
            TestHttps.get(context, "/nothing-here");
            TypedListenerApplication typed = context.getBean(TypedListenerApplication.class);
            await().atMost(Duration.ofSeconds(30)).until(() -> typed.disconnected.get() == 1);
            assertThat(context.getBean(CountingMulticaster.class).serverEvents)
                    .containsOnlyKeys(HttpServerDisconnectedEvent.class);
        }
    }
}
