package dev.httpsd.server.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.httpsd.server.HttpMethod;
import dev.httpsd.server.HttpServerConfig;
import dev.httpsd.server.UriHandler;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

@ParameterizedClass
@EnumSource(TlsEngine.class)
class HttpsSmokeTest {

    @Parameter
    TlsEngine engine;

    @TempDir
    Path dir;

    @Test
    void servesOverTlsToHttpClientAndCurl() throws Exception {
        HttpsServer https = HttpsServer.start(HttpsServerConfig.builder()
                .httpd(HttpServerConfig.builder().build())
                .portSecure(0)
                .serverKey(TlsFixtures.SERVER)
                .engine(engine)
                .build());
        try {
            https.httpServer().registerUriHandler(UriHandler.of("/", HttpMethod.GET, (req, resp) -> {
                var tls = TlsSession.of(req.session()).orElseThrow();
                resp.send("<h1>Hello Secure World!</h1> " + tls.protocol());
            }));
            HttpClient client = HttpClient.newBuilder()
                    .sslContext(TlsFixtures.clientContext(null))
                    .build();
            var response = client.send(
                    HttpRequest.newBuilder(URI.create("https://localhost:" + https.port() + "/"))
                            .build(),
                    BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("<h1>Hello Secure World!</h1> TLSv1.3");

            Path ca = TlsFixtures.writeCa(dir);
            Process curl = new ProcessBuilder(
                            "curl",
                            "-sS",
                            "--max-time",
                            "20",
                            "--cacert",
                            ca.toString(),
                            "https://localhost:" + https.port() + "/")
                    .redirectErrorStream(true)
                    .start();
            assertThat(curl.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(new String(curl.getInputStream().readAllBytes())).startsWith("<h1>Hello Secure World!</h1>");
        } finally {
            https.stop();
        }
    }
}
