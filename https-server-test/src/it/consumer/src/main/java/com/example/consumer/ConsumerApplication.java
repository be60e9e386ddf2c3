package com.example.consumer;

import dev.httpsd.autoconfigure.UriMapping;
import dev.httpsd.server.HttpRequest;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.stereotype.Component;

/** An application on the httpsd starter with one handler. */
@SpringBootApplication
public class ConsumerApplication {

    public static void main(String[] args) {
        SpringApplication.run(ConsumerApplication.class, args);
    }

    @Component
    static class Greetings {
        @UriMapping(uri = "/hello")
        String hello(HttpRequest request) {
            return "Hello " + request.decodedQueryValue("name").orElse("World");
        }
    }
}
