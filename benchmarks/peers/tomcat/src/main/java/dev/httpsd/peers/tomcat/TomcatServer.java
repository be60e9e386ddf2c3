package dev.httpsd.peers.tomcat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Spring Boot MVC on Tomcat with its default server settings; TLS and port from arguments. */
@SpringBootApplication
@RestController
public class TomcatServer {

    private static final byte[] HELLO = "Hello World!".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] BYTES = new byte[16 * 1024 * 1024];

    public static void main(String[] args) {
        SpringApplication.run(TomcatServer.class, args);
    }

    @GetMapping(value = "/hello", produces = MediaType.TEXT_PLAIN_VALUE)
    byte[] hello() {
        return HELLO;
    }

    @GetMapping("/bytes")
    ResponseEntity<byte[]> bytes(@RequestParam(defaultValue = "0") int n) {
        return ResponseEntity.ok()
                .contentType(MediaType.APPLICATION_OCTET_STREAM)
                .body(Arrays.copyOf(BYTES, Math.min(n, BYTES.length)));
    }

    @PostMapping(value = "/echo", produces = MediaType.APPLICATION_OCTET_STREAM_VALUE)
    byte[] echo(@RequestBody byte[] body) {
        return body;
    }
}
