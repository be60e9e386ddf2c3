package dev.httpsd.autoconfigure;

import static dev.httpsd.autoconfigure.TestHttps.request;
import static dev.httpsd.autoconfigure.TestHttps.sendForBytes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.httpsd.autoconfigure.handler.QueryValue;
import dev.httpsd.autoconfigure.handler.Reply;
import dev.httpsd.server.HttpResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

/**
 * gzip from {@code https-server.compression.*}: a large enough body of a listed type for a client
 * that accepts gzip, and never for HEAD, Range, encoded bodies, 204/304, small bodies or other
 * types; {@code Vary: Accept-Encoding} wherever the answer depends on it.
 */
class HandlerCompressionTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    SslAutoConfiguration.class, JacksonAutoConfiguration.class, HttpsServerAutoConfiguration.class))
            .withPropertyValues(
                    "https-server.port-secure=0",
                    "https-server.compression.enabled=true",
                    "https-server.compression.min-response-size=1KB")
            .withPropertyValues(TestHttps.inlineServerMaterial())
            .withUserConfiguration(Bodies.class);

    @Test
    void aLargeJsonBodyIsGzippedForAClientThatAcceptsGzip() {
        runner.run(context -> {
            var response =
                    sendForBytes(request(context, "/json?size=3000").header("Accept-Encoding", "br, gzip;q=0.8"));
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Encoding")).hasValue("gzip");
            assertThat(response.headers().firstValue("Vary")).hasValue("Accept-Encoding");
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
            String json = gunzip(response.body());
            assertThat(json).startsWith("{\"text\":\"xxx").hasSize(3000 + "{\"text\":\"\"}".length());
            assertThat(response.body().length).isLessThan(200);
        });
    }

    @Test
    void aClientThatDoesNotAcceptGzipGetsItPlainWithVary() {
        runner.run(context -> {
            for (String acceptEncoding : new String[] {null, "identity", "gzip;q=0", "*;q=0"}) {
                var builder = request(context, "/json?size=3000");
                if (acceptEncoding != null) {
                    builder.header("Accept-Encoding", acceptEncoding);
                }
                var response = sendForBytes(builder);
                assertThat(response.headers().firstValue("Content-Encoding"))
                        .as("Accept-Encoding: %s", acceptEncoding)
                        .isEmpty();
                assertThat(response.headers().firstValue("Vary")).hasValue("Accept-Encoding");
                assertThat(response.body()).hasSize(3000 + "{\"text\":\"\"}".length());
            }
            var any = sendForBytes(request(context, "/json?size=3000").header("Accept-Encoding", "*"));
            assertThat(any.headers().firstValue("Content-Encoding")).hasValue("gzip");
        });
    }

    @Test
    void aBodyBelowTheMinimumSizeIsSentAsItIsWithoutVary() {
        runner.run(context -> {
            var response = sendForBytes(request(context, "/json?size=500").header("Accept-Encoding", "gzip"));
            assertThat(response.headers().firstValue("Content-Encoding")).isEmpty();
            assertThat(response.headers().firstValue("Vary")).isEmpty();
        });
    }

    @Test
    void headRangeAndEncodedResponsesAreNeverCompressed() {
        runner.run(context -> {
            var head = sendForBytes(request(context, "/json?size=3000")
                    .method("HEAD", BodyPublishers.noBody())
                    .header("Accept-Encoding", "gzip"));
            assertThat(head.headers().firstValue("Content-Encoding")).isEmpty();
            assertThat(head.headers().firstValue("Content-Length")).hasValue(String.valueOf(3000 + 11));
            var range = sendForBytes(request(context, "/json?size=3000")
                    .header("Accept-Encoding", "gzip")
                    .header("Range", "bytes=0-99"));
            assertThat(range.headers().firstValue("Content-Encoding")).isEmpty();
            var encoded = sendForBytes(request(context, "/encoded").header("Accept-Encoding", "gzip"));
            assertThat(encoded.headers().allValues("Content-Encoding")).containsExactly("br");
            assertThat(encoded.body()).hasSize(2000);
        });
    }

    @Test
    void noContentNotModifiedAndUnlistedTypesAreNeverCompressed() {
        runner.run(context -> {
            var noContent = sendForBytes(request(context, "/status?code=204").header("Accept-Encoding", "gzip"));
            assertThat(noContent.statusCode()).isEqualTo(204);
            assertThat(noContent.headers().firstValue("Content-Encoding")).isEmpty();
            var notModified = sendForBytes(request(context, "/status?code=304").header("Accept-Encoding", "gzip"));
            assertThat(notModified.statusCode()).isEqualTo(304);
            assertThat(notModified.headers().firstValue("Content-Encoding")).isEmpty();
            var image = sendForBytes(request(context, "/image").header("Accept-Encoding", "gzip"));
            assertThat(image.headers().firstValue("Content-Encoding")).isEmpty();
            assertThat(image.headers().firstValue("Vary")).isEmpty();
            assertThat(image.body()).hasSize(4000);
        });
    }

    @Test
    void aBodyTheHandlerSendsItselfIsCompressedToo() {
        runner.run(context -> {
            var response = sendForBytes(request(context, "/written").header("Accept-Encoding", "gzip"));
            assertThat(response.headers().firstValue("Content-Encoding")).hasValue("gzip");
            assertThat(gunzip(response.body())).isEqualTo("y".repeat(5000));
        });
    }

    @Test
    void compressionIsOffByDefault() {
        runner.withPropertyValues("https-server.compression.enabled=false").run(context -> {
            var response = sendForBytes(request(context, "/json?size=3000").header("Accept-Encoding", "gzip"));
            assertThat(response.headers().firstValue("Content-Encoding")).isEmpty();
            assertThat(response.headers().firstValue("Vary")).isEmpty();
        });
    }

    private static String gunzip(byte[] gzipped) throws IOException {
        try (var in = new GZIPInputStream(new ByteArrayInputStream(gzipped))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    record Text(String text) {}

    @Configuration(proxyBeanMethods = false)
    static class Bodies {
        @GetUri("/json")
        Text json(@QueryValue int size) {
            return new Text("x".repeat(size));
        }

        @GetUri("/encoded")
        Reply<byte[]> encoded() {
            return Reply.status(200)
                    .header("Content-Encoding", "br")
                    .contentType("text/plain")
                    .body(new byte[2000]);
        }

        @GetUri("/status")
        Reply<Void> status(@QueryValue int code) {
            return Reply.status(code).build();
        }

        @GetUri(value = "/image", produces = "image/png")
        byte[] image() {
            return new byte[4000];
        }

        @GetUri("/written")
        void written(HttpResponse response) throws IOException {
            response.contentType("text/plain").send("y".repeat(5000));
        }
    }
}
