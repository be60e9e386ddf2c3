package dev.httpsd.peers.tomcat;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.catalina.Container;
import org.apache.catalina.Engine;
import org.apache.catalina.core.OpenSSLLifecycleListener;
import org.apache.coyote.http11.AbstractHttp11Protocol;
import org.apache.tomcat.util.net.SSLHostConfig;
import org.apache.tomcat.util.net.SSLHostConfigCertificate;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Spring Boot MVC on Tomcat; TLS, port and Tomcat settings from arguments (run.sh lists them).
 * {@code --peer.tls-engine=openssl} switches the connector to Tomcat's OpenSSL implementation
 * through FFM (JDK 22+, needs {@code tomcat-coyote-ffm} on the class path and libssl).
 */
@SpringBootApplication
@RestController
public class TomcatServer {

    private static final byte[] HELLO = "Hello World!".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] BYTES = new byte[16 * 1024 * 1024];
    private static final String FFM_OPENSSL = "org.apache.tomcat.util.net.openssl.panama.OpenSSLImplementation";

    public static void main(String[] args) {
        SpringApplication.run(TomcatServer.class, args);
    }

    @GetMapping(value = "/hello", produces = MediaType.TEXT_PLAIN_VALUE)
    byte[] hello() {
        return HELLO;
    }

    /** Writes a slice of the shared array straight to the connector: no per-request copy. */
    @GetMapping("/bytes")
    void bytes(@RequestParam(defaultValue = "0") int n, HttpServletResponse response) throws IOException {
        int length = Math.min(n, BYTES.length);
        response.setContentType(MediaType.APPLICATION_OCTET_STREAM_VALUE);
        response.setContentLength(length);
        response.getOutputStream().write(BYTES, 0, length);
    }

    /** Scenario g: a path variable in, an object out as JSON through Boot's Jackson message converter. */
    @GetMapping("/api/greetings/{name}")
    Greeting greeting(@PathVariable String name) {
        return new Greeting("Hello, " + name + "!");
    }

    /** The body of scenario g: {@code {"greeting":"Hello, NAME!"}}. */
    record Greeting(String greeting) {}

    @PostMapping(value = "/echo", produces = MediaType.APPLICATION_OCTET_STREAM_VALUE)
    byte[] echo(@RequestBody byte[] body) {
        return body;
    }

    /** TCP_NODELAY explicitly (Tomcat's default, stated rather than assumed), and the TLS engine. */
    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> connectorSettings(
            @Value("${peer.tls-engine:jsse}") String engine) {
        boolean openssl = switch (engine) {
            case "jsse" -> false;
            case "openssl" -> true;
            default -> throw new IllegalArgumentException("peer.tls-engine must be jsse or openssl, not " + engine);
        };
        return factory -> {
            factory.addConnectorCustomizers(connector -> {
                if (connector.getProtocolHandler() instanceof AbstractHttp11Protocol<?> http) {
                    http.setTcpNoDelay(true);
                    if (openssl) {
                        http.setSslImplementationName(FFM_OPENSSL);
                    }
                }
            });
            if (openssl) {
                // OpenSSLLifecycleListener belongs on the Server, which Spring Boot 4.0 exposes to
                // no customizer; a context customizer runs before the server starts and reaches it.
                factory.addContextCustomizers(
                        context -> server(context).addLifecycleListener(new OpenSSLLifecycleListener()));
            }
        };
    }

    private static org.apache.catalina.Server server(Container context) {
        Container engine = context;
        while (!(engine instanceof Engine)) {
            engine = engine.getParent();
        }
        return ((Engine) engine).getService().getServer();
    }

    /** One line that says which TLS implementation the connector really uses; run.sh checks it. */
    @EventListener
    void reportTlsEngine(WebServerInitializedEvent event) {
        if (event.getWebServer() instanceof TomcatWebServer tomcat
                && tomcat.getTomcat().getConnector().getProtocolHandler() instanceof AbstractHttp11Protocol<?> http) {
            for (SSLHostConfig host : http.findSslHostConfigs()) {
                for (SSLHostConfigCertificate certificate : host.getCertificates()) {
                    Object context = certificate.getSslContextGenerated() != null
                            ? certificate.getSslContextGenerated()
                            : certificate.getSslContext();
                    System.out.println("tls-engine: Tomcat "
                            + (http.getSslImplementationName() == null
                                    ? "default SSL implementation"
                                    : http.getSslImplementationName())
                            + ", context "
                            + (context == null ? "none" : context.getClass().getName()) + ", tcpNoDelay "
                            + http.getTcpNoDelay() + ", maxKeepAliveRequests " + http.getMaxKeepAliveRequests());
                }
            }
        }
    }
}
