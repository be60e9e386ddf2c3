package dev.httpsd.benchmarks.starter;

import dev.httpsd.autoconfigure.GetUri;
import dev.httpsd.autoconfigure.HttpsServerInitializedEvent;
import dev.httpsd.autoconfigure.UriMapping;
import dev.httpsd.autoconfigure.events.ServerApplicationEvent;
import dev.httpsd.autoconfigure.handler.UriVariable;
import dev.httpsd.benchmarks.TlsEngineReport;
import dev.httpsd.server.HttpRequest;
import dev.httpsd.server.HttpResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Profile;
import org.springframework.context.event.ApplicationListenerMethodAdapter;
import org.springframework.context.event.EventListener;
import org.springframework.context.support.AbstractApplicationContext;
import org.springframework.stereotype.Component;

/**
 * httpsd through the Spring Boot starter, handlers as {@code @UriMapping} methods, and scenario g's
 * JSON endpoint through the handler model's binding layer. With the
 * {@code events} profile a bean listens to every server event, and {@code /listen} switches that
 * listener off and on (scenario f).
 */
@SpringBootApplication
public class StarterServer {

    static final byte[] HELLO = "Hello World!".getBytes(StandardCharsets.US_ASCII);
    static final byte[] BYTES = new byte[16 * 1024 * 1024];

    public static void main(String[] args) {
        SpringApplication.run(StarterServer.class, args);
    }

    @Component
    static class Endpoints {
        @UriMapping(uri = "/hello")
        void hello(HttpResponse response) throws IOException {
            response.contentType("text/plain").send(HELLO);
        }

        @UriMapping(uri = "/bytes")
        void bytes(HttpRequest request, HttpResponse response) throws IOException {
            int n = Integer.parseInt(request.queryValue("n").orElse("0"));
            response.contentType("application/octet-stream").send(BYTES, 0, Math.min(n, BYTES.length));
        }

        @UriMapping(uri = "/echo", method = dev.httpsd.server.HttpMethod.POST)
        byte[] echo(HttpRequest request) throws IOException {
            return request.body().readAllBytes();
        }

        /** Scenario g: a path variable bound, an object written as JSON by Boot's JsonMapper. */
        @GetUri("/api/greetings/{name}")
        Greeting greeting(@UriVariable String name) {
            return new Greeting("Hello, " + name + "!");
        }
    }

    /**
     * The {@code tls-engine:} line the harness checks, each time the server starts listening
     * ({@code --https-server.ssl.engine=openssl} selects the OpenSSL engine).
     */
    @EventListener
    void reportTlsEngine(HttpsServerInitializedEvent event) {
        System.out.println(TlsEngineReport.line("httpsd starter", event.server().httpServer()));
    }

    /** The body of scenario g: {@code {"greeting":"Hello, NAME!"}}. */
    record Greeting(String greeting) {}

    /** Listens to every HTTP and HTTPS event, doing the least possible work. */
    @Component
    @Profile("events")
    static class EveryEvent {
        final LongAdder received = new LongAdder();

        @EventListener
        void on(ServerApplicationEvent event) {
            received.increment();
        }
    }

    /**
     * {@code GET /listen?on=false} takes {@link EveryEvent}'s {@code @EventListener} out of the
     * context and {@code on=true} puts it back, so scenario f compares with and without it in one
     * warm JVM rather than across two processes.
     */
    @Component
    @Profile("events")
    static class ListenerSwitch {
        private final AbstractApplicationContext context;
        private ApplicationListener<?> removed;

        ListenerSwitch(AbstractApplicationContext context) {
            this.context = context;
        }

        @UriMapping(uri = "/listen")
        synchronized String listen(HttpRequest request) {
            boolean on = Boolean.parseBoolean(request.queryValue("on").orElse("true"));
            if (!on && removed == null) {
                for (ApplicationListener<?> listener : List.copyOf(context.getApplicationListeners())) {
                    if (listener instanceof ApplicationListenerMethodAdapter adapter
                            && adapter.getListenerId().contains(EveryEvent.class.getName())) {
                        context.removeApplicationListener(listener);
                        removed = listener;
                    }
                }
            } else if (on && removed != null) {
                context.addApplicationListener(removed);
                removed = null;
            }
            return "listening=" + (removed == null) + "\n";
        }
    }
}
