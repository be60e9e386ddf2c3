package dev.httpsd.server.http2;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs a Python script that uses the {@code hpack} and {@code h2} packages, as Debian's {@code
 * python3-h2} installs them (the project's {@code .ci/run} installs it), with input on stdin and
 * output read back, under a time limit.
 */
final class PythonH2 {

    /** Below JUnit's 60 s per test, so that a hung interpreter fails with this class's message. */
    static final long TIMEOUT_SECONDS = 45;

    /** Debian's interpreter first: python3-h2 lives in its dist-packages, not in other Pythons'. */
    private static final List<String> CANDIDATES = List.of("/usr/bin/python3", "python3");

    /** Found once per test JVM; a race between tests only probes twice. */
    private static volatile String interpreter;

    private PythonH2() {}

    /**
     * Runs {@code script} with {@code input} on a thread of its own, for a test that acts on the
     * server meanwhile; the future fails as the run would.
     */
    static CompletableFuture<String> runAsync(String script, String input) {
        return CompletableFuture.supplyAsync(
                () -> {
                    try {
                        return run(script, input);
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException(e);
                    }
                },
                PythonH2::startThread);
    }

    private static void startThread(Runnable task) {
        Thread.ofPlatform().daemon().name("python-h2-client").start(task);
    }

    /** Runs {@code script} with {@code input} on stdin; returns its stdout, or fails the test. */
    static String run(String script, String input) throws IOException, InterruptedException {
        return execute(interpreter(), script, input);
    }

    private static String interpreter() throws IOException, InterruptedException {
        if (interpreter == null) {
            StringBuilder tried = new StringBuilder();
            for (String candidate : CANDIDATES) {
                try {
                    String version =
                            execute(candidate, "import h2, hpack; print(h2.__version__, hpack.__version__)", "");
                    if (!version.isBlank()) {
                        interpreter = candidate;
                        break;
                    }
                } catch (IOException | AssertionError e) {
                    tried.append("\n  ")
                            .append(candidate)
                            .append(": ")
                            .append(e.getMessage().lines().findFirst().orElse(""));
                }
            }
            if (interpreter == null) {
                fail(
                        "these interoperability tests need python3 with the h2 and hpack packages (Debian: apt-get install -y"
                                + " python3-h2; the project's .ci/run installs it). Tried:" + tried);
            }
        }
        return interpreter;
    }

    private static String execute(String python, String script, String input) throws IOException, InterruptedException {
        Path stderr = Files.createTempFile("httpsd-python", ".err");
        try {
            Process process = new ProcessBuilder(python, "-c", script)
                    .redirectError(stderr.toFile())
                    .start();
            // a thread of its own: the common pool may have one thread, taken by a test's other client
            CompletableFuture<byte[]> output = CompletableFuture.supplyAsync(
                    () -> {
                        try {
                            return process.getInputStream().readAllBytes();
                        } catch (IOException e) {
                            throw new IllegalStateException(e);
                        }
                    },
                    PythonH2::startThread);
            try (OutputStream in = process.getOutputStream()) {
                in.write(input.getBytes(StandardCharsets.US_ASCII));
            }
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail(python + " did not finish within " + TIMEOUT_SECONDS + " s");
            }
            String errors = Files.readString(stderr, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new AssertionError(python + " exited with " + process.exitValue() + ":\n" + errors);
            }
            return new String(output.join(), StandardCharsets.US_ASCII);
        } finally {
            Files.deleteIfExists(stderr);
        }
    }
}
