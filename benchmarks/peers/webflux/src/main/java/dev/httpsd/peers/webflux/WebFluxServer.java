package dev.httpsd.peers.webflux;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.handler.ssl.OpenSslCachingX509KeyManagerFactory;
import io.netty.handler.ssl.SslHandler;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.KeyManagerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.ssl.SslBundleRegistrar;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslManagerBundle;
import org.springframework.boot.ssl.SslStoreBundle;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;
import org.springframework.boot.ssl.pem.PemSslStoreDetails;
import org.springframework.context.annotation.Bean;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;

/**
 * Spring Boot WebFlux on Reactor Netty, functional endpoints; TLS and port from arguments. With
 * netty-tcnative on the class path Netty's OpenSSL provider (BoringSSL) serves TLS; the bundle
 * {@code openssl-cached} (from {@code peer.openssl.certificate} and {@code peer.openssl.private-key})
 * wraps the key managers in Netty's caching factory so the key is not converted per handshake.
 * {@code GET /tls} names the SSL engine of the connection it arrives on.
 */
@SpringBootApplication
public class WebFluxServer {

    private static final byte[] HELLO = "Hello World!".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] BYTES = new byte[16 * 1024 * 1024];

    public static void main(String[] args) {
        SpringApplication.run(WebFluxServer.class, args);
    }

    /** TCP_NODELAY explicitly (Reactor Netty's default, stated rather than assumed). */
    @Bean
    NettyServerCustomizer noDelay() {
        return server -> server.childOption(ChannelOption.TCP_NODELAY, true);
    }

    @Bean
    SslBundleRegistrar cachedOpenSslBundle(
            @Value("${peer.openssl.certificate:}") String certificate,
            @Value("${peer.openssl.private-key:}") String privateKey) {
        return registry -> {
            if (certificate.isEmpty()) {
                return;
            }
            SslStoreBundle stores = new PemSslStoreBundle(
                    PemSslStoreDetails.forCertificate(certificate).withPrivateKey(privateKey), null);
            KeyManagerFactory keys = SslManagerBundle.from(stores, null).getKeyManagerFactory();
            registry.registerBundle(
                    "openssl-cached",
                    SslBundle.of(
                            stores,
                            null,
                            null,
                            null,
                            SslManagerBundle.of(
                                    new OpenSslCachingX509KeyManagerFactory(keys),
                                    SslManagerBundle.from(stores, null).getTrustManagerFactory())));
        };
    }

    @Bean
    RouterFunction<ServerResponse> routes() {
        return RouterFunctions.route()
                .GET(
                        "/hello",
                        request -> ServerResponse.ok()
                                .contentType(MediaType.TEXT_PLAIN)
                                .contentLength(HELLO.length)
                                .body(BodyInserters.fromDataBuffers(Mono.fromSupplier(() -> request.exchange()
                                        .getResponse()
                                        .bufferFactory()
                                        .wrap(HELLO)))))
                .GET("/bytes", request -> {
                    int n = Math.min(Integer.parseInt(request.queryParam("n").orElse("0")), BYTES.length);
                    return ServerResponse.ok()
                            .contentType(MediaType.APPLICATION_OCTET_STREAM)
                            .contentLength(n)
                            .body(BodyInserters.fromDataBuffers(Mono.fromSupplier(() -> request.exchange()
                                    .getResponse()
                                    .bufferFactory()
                                    .wrap(ByteBuffer.wrap(BYTES, 0, n)))));
                })
                .POST(
                        "/echo",
                        request -> ServerResponse.ok()
                                .contentType(MediaType.APPLICATION_OCTET_STREAM)
                                .body(BodyInserters.fromDataBuffers(request.bodyToFlux(DataBuffer.class))))
                .GET(
                        "/tls",
                        request -> ServerResponse.ok()
                                .contentType(MediaType.TEXT_PLAIN)
                                .bodyValue("tls-engine: Reactor Netty, " + engineOf(request) + "\n"))
                .build();
    }

    private static String engineOf(ServerRequest request) {
        Object nativeRequest =
                ServerHttpRequestDecorator.getNativeRequest(request.exchange().getRequest());
        if (nativeRequest instanceof Connection connection) {
            // an HTTP/2 stream is a child channel: TLS lives on its parent, the connection
            for (Channel channel = connection.channel(); channel != null; channel = channel.parent()) {
                SslHandler ssl = channel.pipeline().get(SslHandler.class);
                if (ssl != null) {
                    return "engine " + ssl.engine().getClass().getName();
                }
            }
        }
        return "engine unknown (" + nativeRequest.getClass().getName() + ")";
    }
}
