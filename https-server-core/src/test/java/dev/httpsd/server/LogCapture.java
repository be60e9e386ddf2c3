package dev.httpsd.server;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Captures what the server logs (System.Logger maps to java.util.logging here). */
public final class LogCapture extends Handler implements AutoCloseable {

    private final Logger logger;
    private final Level previous;
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();

    /** Captures the HTTP server's logger. */
    public LogCapture() {
        this(HttpServer.class.getName());
    }

    /** Captures a logger and its children: {@code "dev.httpsd.server"} for the TLS layer too. */
    public LogCapture(String loggerName) {
        logger = Logger.getLogger(loggerName);
        previous = logger.getLevel();
        logger.setLevel(Level.ALL);
        logger.addHandler(this);
    }

    @Override
    public void publish(LogRecord record) {
        records.add(record);
    }

    /** Records above DEBUG (java.util.logging FINE), as "LEVEL message". */
    public List<String> aboveDebug() {
        return records.stream()
                .filter(r -> r.getLevel().intValue() > Level.FINE.intValue())
                .map(r -> r.getLevel() + " " + r.getMessage() + (r.getThrown() == null ? "" : " " + r.getThrown()))
                .toList();
    }

    /** Whether a DEBUG (java.util.logging FINE) record mentions this text. */
    public boolean debugMentions(String text) {
        return records.stream()
                .anyMatch(r -> r.getLevel() == Level.FINE
                        && r.getMessage() != null
                        && r.getMessage().contains(text));
    }

    @Override
    public void flush() {}

    @Override
    public void close() {
        logger.removeHandler(this);
        logger.setLevel(previous);
    }
}
