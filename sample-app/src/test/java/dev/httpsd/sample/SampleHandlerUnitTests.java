package dev.httpsd.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.httpsd.test.mock.MockHttpRequest;
import dev.httpsd.test.mock.MockHttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.springframework.core.task.TaskExecutor;
import tools.jackson.databind.json.JsonMapper;

/**
 * The sample's handlers as plain objects, with https-server-test's mock request and response: no
 * Spring context, no socket.
 */
class SampleHandlerUnitTests {

    private final SimpleHandlers simple =
            new SimpleHandlers(JsonMapper.builder().build());

    @Test
    void helloGreetsTheDecodedNameWithTheGreetingHeader() throws Exception {
        MockHttpRequest request = MockHttpRequest.get("/hello?name=Ada+Lovelace")
                .header("x-greeting", "Bonjour")
                .build();
        MockHttpResponse response = request.response();

        simple.hello(request, response);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.contentType()).isEqualTo("text/plain; charset=utf-8");
        assertThat(response.header("Custom-Header-1")).hasValue("Custom-Value-1");
        assertThat(response.bodyAsString()).isEqualTo("Bonjour, Ada Lovelace!\n");
    }

    @Test
    void rootIsHtmlThatLoadsNothing() throws Exception {
        MockHttpResponse response = MockHttpResponse.handle(
                (request, r) -> simple.root(r), MockHttpRequest.get("/").build());

        assertThat(response.contentType()).isEqualTo("text/html");
        assertThat(response.header("content-security-policy")).hasValue("default-src 'none'; frame-ancestors 'none'");
        assertThat(response.bodyAsString()).isEqualTo("<h1>Hello Secure World!</h1>");
    }

    @Test
    void echoStreamsEachReceivedPieceAsAChunkAndRetriesAStalledRead() {
        MockHttpRequest request = MockHttpRequest.post("/echo")
                .header("Content-Type", "text/plain")
                .chunked()
                .body("first ")
                .stall()
                .body("second")
                .build();

        MockHttpResponse response = MockHttpResponse.handle(new EchoHandler(), request);

        assertThat(response.failure()).isEmpty();
        assertThat(response.contentType()).isEqualTo("text/plain");
        assertThat(response.chunks())
                .extracting(chunk -> new String(chunk, StandardCharsets.UTF_8))
                .containsExactly("first ", "second");
        assertThat(response.isComplete()).isTrue();
        assertThat(request.bodyFullyRead()).isTrue();
    }

    @Test
    void echoOfAClientThatHangsUpClosesTheSessionWithoutAnAnswer() {
        MockHttpRequest request = MockHttpRequest.post("/echo")
                .contentLength(10)
                .body("four")
                .hangUp()
                .build();

        MockHttpResponse response = MockHttpResponse.handle(new EchoHandler(), request);

        assertThat(response.failure()).containsInstanceOf(java.io.EOFException.class);
        assertThat(response.closesSession()).isTrue();
        assertThat(response.errorSent()).isEmpty();
    }

    @Test
    void asyncFinishesOnTheExecutorAndAnswersBusyWhenEveryWorkerIsTaken() throws Exception {
        List<Runnable> queued = new ArrayList<>();
        TaskExecutor later = queued::add;
        AsyncHandler handler = new AsyncHandler(
                later, new SampleProperties(Duration.ofSeconds(5), new SampleProperties.Async(1), null));

        MockHttpRequest first = MockHttpRequest.get("/async").build();
        MockHttpResponse detached = MockHttpResponse.handle(handler, first);
        assertThat(first.isAsync()).isTrue();
        assertThat(detached.isComplete())
                .as("finished by the worker, not the handler")
                .isFalse();

        MockHttpResponse busy =
                MockHttpResponse.handle(handler, MockHttpRequest.get("/async").build());
        assertThat(busy.statusLine()).isEqualTo("503 Busy");

        try (ExecutorService worker = Executors.newSingleThreadExecutor(
                Thread.ofPlatform().name("async-worker-1").factory())) {
            queued.forEach(worker::execute);
            detached.awaitCompletion(Duration.ofSeconds(30));
        }
        assertThat(detached.bodyAsString())
                .isEqualTo(
                        "Hello from async-worker-1 (session " + first.session().id() + ")\n");
    }
}
