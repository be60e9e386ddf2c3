package dev.httpsd.sample;

import dev.httpsd.autoconfigure.GetUri;
import dev.httpsd.autoconfigure.PostUri;
import dev.httpsd.autoconfigure.UriMapping;
import dev.httpsd.autoconfigure.handler.Body;
import dev.httpsd.autoconfigure.handler.Reply;
import dev.httpsd.autoconfigure.handler.UriVariable;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/**
 * A small JSON API as a Spring developer writes it with the starter: path variables and a JSON
 * body bound to parameters, validated, objects returned as JSON, {@code 201} with a {@code
 * Location}; malformed or invalid JSON is answered {@code 400} with a JSON problem, and responses
 * over 1 KiB are gzipped for clients that accept it ({@code https-server.compression.*}). Not in
 * the {@code esp} profile: ESP's eight handler slots hold the ESP examples.
 */
@Component
@Profile("!esp")
@UriMapping("/api/greetings")
class GreetingsApi {

    /** How many created greetings {@code GET /api/greetings} keeps. */
    static final int KEPT = 100;

    /** A greeting asked for by {@code POST}. */
    record NewGreeting(@NotBlank @Size(max = 200) String name) {}

    /** A greeting. */
    record Greeting(String greeting) {}

    private final Deque<Greeting> created = new ArrayDeque<>();
    private final ReentrantLock lock = new ReentrantLock();

    @GetUri("/{name}")
    Greeting greet(@UriVariable String name) {
        return new Greeting("Hello, " + name + "!");
    }

    @PostUri
    Reply<Greeting> create(@Body @Valid NewGreeting request) {
        Greeting greeting = new Greeting("Hello, " + request.name() + "!");
        lock.lock();
        try {
            if (created.size() == KEPT) {
                created.removeFirst();
            }
            created.addLast(greeting);
        } finally {
            lock.unlock();
        }
        return Reply.created("/api/greetings/"
                        + URLEncoder.encode(request.name(), StandardCharsets.UTF_8)
                                .replace("+", "%20"))
                .body(greeting);
    }

    /** The greetings created so far, oldest first: over 1 KiB after a few dozen, and then gzipped. */
    @GetUri
    List<Greeting> all() {
        lock.lock();
        try {
            return new ArrayList<>(created);
        } finally {
            lock.unlock();
        }
    }
}
