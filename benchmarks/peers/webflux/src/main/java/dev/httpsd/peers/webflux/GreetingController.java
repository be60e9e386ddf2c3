package dev.httpsd.peers.webflux;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * Scenario g on WebFlux: an annotated controller, as the functional routes of {@link
 * WebFluxServer} are not what a Spring developer writes for a JSON API; the object is written by
 * Boot's Jackson encoder.
 */
@RestController
class GreetingController {

    /** The body of scenario g: {@code {"greeting":"Hello, NAME!"}}. */
    record Greeting(String greeting) {}

    @GetMapping("/api/greetings/{name}")
    Greeting greeting(@PathVariable String name) {
        return new Greeting("Hello, " + name + "!");
    }
}
