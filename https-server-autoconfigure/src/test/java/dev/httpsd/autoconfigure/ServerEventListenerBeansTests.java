package dev.httpsd.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.httpsd.server.HttpServerEvent;
import dev.httpsd.server.ServerEvent;
import dev.httpsd.server.ServerEventListener;
import dev.httpsd.server.tls.Certificates;
import dev.httpsd.server.tls.HttpsServerEvent;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** ServerEventListener beans hear the server's core events, from START on, once each. */
class ServerEventListenerBeansTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(HttpsServerAutoConfiguration.class))
            .withPropertyValues(
                    "https-server.port-secure=0",
                    "https-server.ssl.certificate=" + Certificates.toPem(TestHttps.SERVER.chain()),
                    "https-server.ssl.private-key=" + Certificates.toPem(TestHttps.SERVER.privateKey()));

    static final class Recorder implements ServerEventListener {
        final List<ServerEvent> events = new CopyOnWriteArrayList<>();

        @Override
        public void onEvent(ServerEvent event) {
            events.add(event);
        }
    }

    @Test
    void aListenerBeanHearsBothFamiliesFromStartOnOnce() {
        runner.withBean(Recorder.class).run(context -> {
            Recorder recorder = context.getBean(Recorder.class);
            assertThat(TestHttps.get(context, "/nothing").statusCode()).isEqualTo(404);
            assertThat(recorder.events).first().isInstanceOf(HttpServerEvent.Start.class);
            assertThat(recorder.events)
                    .filteredOn(HttpsServerEvent.Start.class::isInstance)
                    .hasSize(1);
            assertThat(recorder.events)
                    .filteredOn(HttpServerEvent.OnHeader.class::isInstance)
                    .hasSize(1);
        });
    }

    @Test
    void theListenerHearsWithEventPublishingOff() {
        runner.withBean(Recorder.class)
                .withPropertyValues("https-server.publish-events=false")
                .run(context -> assertThat(context.getBean(Recorder.class).events)
                        .first()
                        .isInstanceOf(HttpServerEvent.Start.class));
    }
}
