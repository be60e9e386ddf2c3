package dev.httpsd.autoconfigure;

import static dev.httpsd.autoconfigure.TestHttps.request;
import static dev.httpsd.autoconfigure.TestHttps.send;
import static org.assertj.core.api.Assertions.assertThat;

import dev.httpsd.autoconfigure.handler.ExceptionMapping;
import dev.httpsd.autoconfigure.handler.HandlerInvocation;
import dev.httpsd.autoconfigure.handler.HttpStatusException;
import dev.httpsd.autoconfigure.handler.QueryValue;
import dev.httpsd.autoconfigure.handler.Reply;
import dev.httpsd.autoconfigure.handler.RequestBindingException;
import dev.httpsd.server.HttpMethod;
import dev.httpsd.server.HttpRequest;
import dev.httpsd.server.HttpResponse;
import dev.httpsd.server.RequestHandler;
import dev.httpsd.server.UriHandler;
import java.io.IOException;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

/**
 * {@link ExceptionMapping} advice answers what handlers, their binding and interceptors throw:
 * the nearest exception type wins over all advice beans, then the bean order; what no advice
 * takes is answered by its own status, and anything else takes the server's 500 path.
 */
class HandlerAdviceTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    SslAutoConfiguration.class, JacksonAutoConfiguration.class, HttpsServerAutoConfiguration.class))
            .withPropertyValues("https-server.port-secure=0")
            .withPropertyValues(TestHttps.inlineServerMaterial())
            .withUserConfiguration(Handlers.class, GeneralAdvice.class, SpecificAdvice.class);

    @Test
    void theNearestExceptionTypeWinsOverAllAdviceBeans() {
        runner.run(context -> {
            // NumberFormatException: GeneralAdvice takes its superclass, SpecificAdvice the exact type
            var response = TestHttps.get(context, "/fail?with=argument");
            assertThat(response.statusCode()).isEqualTo(422);
            assertThat(response.body()).isEqualTo("{\"advice\":\"specific\",\"message\":\"bad argument\"}");
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        });
    }

    @Test
    void betweenEquallyNearAdviceTheLowerBeanOrderWins() {
        runner.run(context -> {
            var response = TestHttps.get(context, "/fail?with=state");
            assertThat(response.statusCode()).isEqualTo(409);
            assertThat(response.body()).isEqualTo("specific (order 1) took IllegalStateException");
        });
    }

    @Test
    void theCauseChainIsSearchedWhenNoAdviceTakesTheException() {
        runner.run(context -> {
            var response = TestHttps.get(context, "/fail?with=wrapped");
            assertThat(response.statusCode()).isEqualTo(404);
            assertThat(response.body()).isEqualTo("missing: no such greeting");
        });
    }

    @Test
    void adviceAnswersBindingFailuresToo() {
        runner.run(context -> {
            var response = TestHttps.get(context, "/fail");
            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(response.body()).isEqualTo("binding: Required query parameter 'with' is missing");
        });
    }

    @Test
    void adviceAnswersRequestHandlerBeansAndUriHandlerBeans() {
        runner.run(context -> {
            assertThat(TestHttps.get(context, "/class-handler").statusCode()).isEqualTo(409);
            assertThat(TestHttps.get(context, "/bean-handler").body())
                    .isEqualTo("specific (order 1) took IllegalStateException");
        });
    }

    @Test
    void anHttpStatusExceptionNoAdviceTakesIsAProblemWithItsStatus() {
        runner.run(context -> {
            var response = send(request(context, "/fail?with=status").header("Accept", "application/json"));
            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
            assertThat(response.body())
                    .isEqualTo("{\"type\":\"about:blank\",\"title\":\"Service Unavailable\",\"status\":503,"
                            + "\"detail\":\"down for maintenance\",\"instance\":\"/fail\"}");
        });
    }

    @Test
    void springWebsResponseStatusExceptionIsAnsweredWithItsStatus() {
        runner.run(context -> {
            var response = TestHttps.get(context, "/fail?with=spring");
            assertThat(response.statusCode()).isEqualTo(418);
            assertThat(response.body()).contains("\"detail\":\"short and stout\"");
        });
    }

    @Test
    void aFailureNoAdviceTakesIsTheServers500AndTheSessionCloses() {
        runner.run(context -> {
            var response = TestHttps.get(context, "/fail?with=other");
            assertThat(response.statusCode()).isEqualTo(500);
            assertThat(response.headers().firstValue("Content-Type"))
                    .as("the server's error path, as ESP's httpd_resp_send_err")
                    .hasValue("text/html");
        });
    }

    @Test
    void adviceThatFailsFallsBackToTheExceptionsOwnAnswer() {
        runner.run(context -> {
            var response = TestHttps.get(context, "/fail?with=teapot");
            assertThat(response.statusCode()).isEqualTo(418);
            assertThat(response.body()).contains("\"detail\":\"advice cannot take this\"");
        });
    }

    @Test
    void voidAdviceWritesTheResponseItselfWithTheStatusAlreadySet() {
        runner.run(context -> {
            var response = TestHttps.get(context, "/fail?with=unsupported");
            assertThat(response.statusCode()).isEqualTo(501);
            assertThat(response.body()).isEqualTo("written by void advice for GET /fail");
        });
    }

    record Answer(String advice, String message) {}

    /** Advice that fails when asked to answer a teapot. */
    static class TeapotException extends HttpStatusException {
        private static final long serialVersionUID = 1L;

        TeapotException() {
            super(418, "advice cannot take this");
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Handlers {
        @GetUri("/fail")
        String fail(@QueryValue String with) throws Exception {
            throw switch (with) {
                case "argument" -> new NumberFormatException("bad argument");
                case "state" -> new IllegalStateException("bad state");
                case "wrapped" -> new Exception("wrapper", new NoSuchElementException("no such greeting"));
                case "status" -> new HttpStatusException(503, "down for maintenance");
                case "spring" -> new ResponseStatusException(HttpStatus.I_AM_A_TEAPOT, "short and stout");
                case "teapot" -> new TeapotException();
                case "unsupported" -> new UnsupportedOperationException("not yet");
                default -> new Exception("nobody maps this checked exception");
            };
        }

        @Bean
        UriHandler beanHandler() {
            return UriHandler.of("/bean-handler", HttpMethod.GET, (req, resp) -> {
                throw new IllegalStateException("from a bean");
            });
        }

        @Bean
        ClassHandler classHandler() {
            return new ClassHandler();
        }
    }

    @UriHandlerBean(uri = "/class-handler")
    static class ClassHandler implements RequestHandler {
        @Override
        public void handle(HttpRequest request, HttpResponse response) {
            throw new IllegalStateException("from a class");
        }
    }

    @Configuration(proxyBeanMethods = false)
    @Order(2)
    static class GeneralAdvice {
        @ExceptionMapping(status = 500)
        String argument(IllegalArgumentException e) {
            return "general took " + e.getClass().getSimpleName();
        }

        @ExceptionMapping(status = 409)
        String state(IllegalStateException e) {
            return "general (order 2) took " + e.getClass().getSimpleName();
        }

        @ExceptionMapping(status = 404)
        String missing(NoSuchElementException e) {
            return "missing: " + e.getMessage();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @Order(1)
    static class SpecificAdvice {
        @ExceptionMapping
        Reply<Answer> number(NumberFormatException e) {
            return Reply.status(422).body(new Answer("specific", e.getMessage()));
        }

        @ExceptionMapping(status = 409)
        String state(IllegalStateException e) {
            return "specific (order 1) took " + e.getClass().getSimpleName();
        }

        @ExceptionMapping
        String binding(RequestBindingException e) {
            return "binding: " + e.getMessage();
        }

        @ExceptionMapping
        String teapot(TeapotException e) throws IOException {
            throw new IllegalStateException("this advice is broken");
        }

        @ExceptionMapping(status = 501)
        void unsupported(
                UnsupportedOperationException e, HttpRequest request, HttpResponse response, HandlerInvocation call)
                throws IOException {
            response.contentType("text/plain")
                    .send("written by void advice for " + call.handler().method() + " " + request.path());
        }
    }
}
