package dev.httpsd.peers.webflux;

import java.nio.charset.StandardCharsets;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/** Spring Boot WebFlux on Reactor Netty, functional endpoints; TLS and port from arguments. */
@SpringBootApplication
public class WebFluxServer {

    private static final byte[] HELLO = "Hello World!".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] BYTES = new byte[16 * 1024 * 1024];

    public static void main(String[] args) {
        SpringApplication.run(WebFluxServer.class, args);
    }

    @Bean
    RouterFunction<ServerResponse> routes() {
        return RouterFunctions.route()
                .GET(
                        "/hello",
                        request -> ServerResponse.ok()
                                .contentType(MediaType.TEXT_PLAIN)
                                .contentLength(HELLO.length)
                                .body(BodyInserters.fromDataBuffers(
                                        reactor.core.publisher.Mono.fromSupplier(() -> request.exchange()
                                                .getResponse()
                                                .bufferFactory()
                                                .wrap(HELLO)))))
                .GET("/bytes", request -> {
                    int n = Math.min(Integer.parseInt(request.queryParam("n").orElse("0")), BYTES.length);
                    return ServerResponse.ok()
                            .contentType(MediaType.APPLICATION_OCTET_STREAM)
                            .contentLength(n)
                            .body(BodyInserters.fromDataBuffers(
                                    reactor.core.publisher.Mono.fromSupplier(() -> request.exchange()
                                            .getResponse()
                                            .bufferFactory()
                                            .wrap(java.nio.ByteBuffer.wrap(BYTES, 0, n)))));
                })
                .POST(
                        "/echo",
                        request -> ServerResponse.ok()
                                .contentType(MediaType.APPLICATION_OCTET_STREAM)
                                .body(BodyInserters.fromDataBuffers(request.bodyToFlux(DataBuffer.class))))
                .build();
    }
}
