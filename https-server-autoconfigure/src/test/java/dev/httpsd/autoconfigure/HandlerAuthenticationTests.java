package dev.httpsd.autoconfigure;

import static dev.httpsd.autoconfigure.TestHttps.request;
import static dev.httpsd.autoconfigure.TestHttps.send;
import static org.assertj.core.api.Assertions.assertThat;

import dev.httpsd.autoconfigure.handler.HandlerInvocation;
import dev.httpsd.autoconfigure.handler.MappedHandler;
import dev.httpsd.autoconfigure.handler.RequestInterceptor;
import dev.httpsd.server.HttpRequest;
import dev.httpsd.server.HttpResponse;
import dev.httpsd.server.tls.Certificates;
import java.io.IOException;
import java.net.http.HttpClient;
import java.security.Principal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.stereotype.Component;

/**
 * The authentication pattern of the README: an interceptor that accepts a client certificate
 * (mutual TLS, {@code want}) or a bearer token, names the caller for the handler's {@code
 * Principal}, and answers 401 otherwise; public handlers opt out through {@code appliesTo}.
 */
class HandlerAuthenticationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, HttpsServerAutoConfiguration.class))
            .withPropertyValues(
                    "https-server.port-secure=0",
                    "https-server.ssl.client-auth=want",
                    "https-server.ssl.ca-certificate=" + Certificates.toPem(List.of(TestHttps.CA.certificate())))
            .withPropertyValues(TestHttps.inlineServerMaterial())
            .withUserConfiguration(Api.class, TokenAuthentication.class);

    @Test
    void aClientCertificateIdentifiesTheCaller() {
        runner.run(context -> {
            try (HttpClient client = TestHttps.client(TestHttps.CLIENT)) {
                var response = TestHttps.get(client, TestHttps.port(context), "/api/me");
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.body()).isEqualTo("you are CN=httpsd test client");
            }
        });
    }

    @Test
    void aBearerTokenIdentifiesTheCaller() {
        runner.run(context -> {
            var response = send(request(context, "/api/me").header("Authorization", "Bearer token-of-ada"));
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("you are ada");
        });
    }

    @Test
    void noCredentialsOrAnUnknownTokenIs401WithTheScheme() {
        runner.run(context -> {
            for (String authorization : new String[] {null, "Bearer forged", "Basic YWRhOnNlY3JldA=="}) {
                var builder = request(context, "/api/me");
                if (authorization != null) {
                    builder.header("Authorization", authorization);
                }
                var response = send(builder);
                assertThat(response.statusCode())
                        .as("Authorization: %s", authorization)
                        .isEqualTo(401);
                assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
            }
        });
    }

    @Test
    void aPublicHandlerIsLeftAlone() {
        runner.run(context ->
                assertThat(TestHttps.get(context, "/public/health").body()).isEqualTo("up"));
    }

    @Configuration(proxyBeanMethods = false)
    static class Api {
        @GetUri("/api/me")
        String me(Principal principal) {
            return "you are " + principal.getName();
        }

        @GetUri("/public/health")
        String health() {
            return "up";
        }
    }

    /** The README's pattern: client certificate, else bearer token, else 401. */
    @Component
    static class TokenAuthentication implements RequestInterceptor {

        private final Map<String, String> users = Map.of("token-of-ada", "ada");

        @Override
        public boolean appliesTo(MappedHandler handler) {
            return handler.uri().startsWith("/api/");
        }

        @Override
        public boolean before(HttpRequest request, HttpResponse response, HandlerInvocation invocation)
                throws IOException {
            if (invocation.principal().isPresent()) {
                return true; // a client certificate the TLS layer verified
            }
            String authorization = request.header("Authorization").orElse("");
            String user = authorization.startsWith("Bearer ") ? users.get(authorization.substring(7)) : null;
            if (user != null) {
                invocation.setPrincipal(() -> user);
                return true;
            }
            response.status(401)
                    .header("WWW-Authenticate", "Bearer")
                    .contentType("text/plain")
                    .send("Sign in\n");
            return false;
        }
    }
}
