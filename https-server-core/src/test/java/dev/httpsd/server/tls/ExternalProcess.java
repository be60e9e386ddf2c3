package dev.httpsd.server.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * {@code curl} or {@code openssl} run by a test: output (stdout and stderr merged) is collected by
 * a reader thread so a test can wait for a line to appear; every wait is bounded and {@link
 * #close()} destroys the process.
 */
final class ExternalProcess implements AutoCloseable {

    /** What a finished command printed and returned. */
    record Result(int exitCode, String output) {}

    private final Process process;
    private final StringBuilder output = new StringBuilder();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private boolean ended;

    private ExternalProcess(Process process) {
        this.process = process;
        Thread.ofPlatform().daemon(true).name("test-process-output").start(this::collect);
    }

    static ExternalProcess start(List<String> command) throws IOException {
        return new ExternalProcess(
                new ProcessBuilder(command).redirectErrorStream(true).start());
    }

    static ExternalProcess start(String... command) throws IOException {
        return start(List.of(command));
    }

    /**
     * Runs a command to its end: writes {@code stdin} (may be null), closes stdin, waits at most
     * {@code timeout}.
     *
     * @throws AssertionError when the command does not end in time
     */
    static Result run(Duration timeout, String stdin, List<String> command) throws IOException, InterruptedException {
        try (ExternalProcess process = start(command)) {
            if (stdin != null) {
                process.write(stdin);
            }
            process.closeInput();
            int exit = process.awaitExit(timeout);
            return new Result(exit, process.output());
        }
    }

    static Result run(Duration timeout, String... command) throws IOException, InterruptedException {
        return run(timeout, null, List.of(command));
    }

    void write(String text) throws IOException {
        OutputStream in = process.getOutputStream();
        in.write(text.getBytes(StandardCharsets.ISO_8859_1));
        in.flush();
    }

    void closeInput() {
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // the process is gone already
        }
    }

    /** Waits until the output satisfies {@code condition} or the process output ends. */
    boolean awaitOutput(Predicate<String> condition, Duration timeout) throws InterruptedException {
        long remaining = timeout.toNanos();
        lock.lock();
        try {
            while (!condition.test(output.toString())) {
                if (ended || remaining <= 0) {
                    return condition.test(output.toString());
                }
                remaining = changed.awaitNanos(remaining);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    boolean awaitOutput(String text, Duration timeout) throws InterruptedException {
        return awaitOutput(out -> out.contains(text), timeout);
    }

    /**
     * Waits for the process to exit and its output to be read.
     *
     * @return the exit code
     * @throws AssertionError when it does not exit within {@code timeout}
     */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("still running after " + timeout + ": "
                    + process.info().commandLine() + "\noutput so far:\n" + output());
        }
        awaitOutput(out -> false, Duration.ofSeconds(5));
        return process.exitValue();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    String output() {
        lock.lock();
        try {
            return output.toString();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void collect() {
        byte[] buffer = new byte[4096];
        try (InputStream in = process.getInputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1), false);
            }
        } catch (IOException e) {
            // destroyed
        } finally {
            append("", true);
        }
    }

    private void append(String text, boolean end) {
        lock.lock();
        try {
            output.append(text);
            ended |= end;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
