package com.example.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.httpsd.server.HttpServerEvent;
import dev.httpsd.test.LocalHttpsServer;
import dev.httpsd.test.LocalHttpsServerPort;
import dev.httpsd.test.RecordServerEvents;
import dev.httpsd.test.ServerEventRecorder;
import dev.httpsd.test.mock.MockHttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.web.servlet.client.RestTestClient;

@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@RecordServerEvents
class ConsumerApplicationTests {

    @Autowired
    RestTestClient client;

    @Autowired
    LocalHttpsServer server;

    @Autowired
    ServerEventRecorder events;

    @LocalHttpsServerPort
    int port;

    @Test
    void helloIsServedOverHttpsOnAFreePort() throws Exception {
        client.get()
                .uri("/hello?name={name}", "Ada")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(String.class)
                .isEqualTo("Hello Ada");
        assertThat(port).isNotEqualTo(8443);
        assertThat(server.uri("/")).hasScheme("https");
        assertThat(events.await(HttpServerEvent.SentData.class).length()).isEqualTo("Hello Ada".length());
        assertThat(Path.of(System.getProperty("user.home"), ".httpsd", "dev-localhost.pem"))
                .as("no development certificate written by the tests")
                .satisfies(file -> assertThat(Files.exists(file)).isFalse());
    }

    @Test
    void theHandlerRunsOnAMockRequestToo() throws Exception {
        MockHttpRequest request = MockHttpRequest.get("/hello?name=Grace").build();
        String answer = new ConsumerApplication.Greetings().hello(request);
        assertThat(answer).isEqualTo("Hello Grace");
    }
}
