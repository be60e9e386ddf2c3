package dev.httpsd.server.tls;

import dev.httpsd.server.HttpServer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Captures what the HTTP core and the HTTPS layer log (System.Logger maps to java.util.logging
 * here), so a test can prove that a hostile client costs no log line above DEBUG: anything a
 * client can trigger at will must not flood the logs with warnings and stack traces.
 */
final class TlsLogCapture extends Handler implements AutoCloseable {

    private final List<Logger> loggers =
            List.of(Logger.getLogger(HttpServer.class.getName()), Logger.getLogger(HttpsServer.class.getName()));
    private final List<Level> previous;
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();

    TlsLogCapture() {
        previous = loggers.stream().map(Logger::getLevel).toList();
        for (Logger logger : loggers) {
            logger.setLevel(Level.ALL);
            logger.addHandler(this);
        }
    }

    @Override
    public void publish(LogRecord record) {
        records.add(record);
    }

    /** Records above DEBUG (java.util.logging FINE), as "LEVEL message exception". */
    List<String> aboveDebug() {
        return records.stream()
                .filter(r -> r.getLevel().intValue() > Level.FINE.intValue())
                .map(r -> r.getLevel() + " " + r.getMessage() + (r.getThrown() == null ? "" : " " + r.getThrown()))
                .toList();
    }

    /** Whether a DEBUG (java.util.logging FINE) record mentions this text. */
    boolean debugMentions(String text) {
        return records.stream()
                .anyMatch(r -> r.getLevel() == Level.FINE
                        && r.getMessage() != null
                        && r.getMessage().contains(text));
    }

    @Override
    public void flush() {}

    @Override
    public void close() {
        for (int i = 0; i < loggers.size(); i++) {
            loggers.get(i).removeHandler(this);
            loggers.get(i).setLevel(previous.get(i));
        }
    }
}
