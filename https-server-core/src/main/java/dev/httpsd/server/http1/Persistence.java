package dev.httpsd.server.http1;

import dev.httpsd.server.ConnectionContext;
import dev.httpsd.server.HttpServer;
import java.io.IOException;
import java.lang.System.Logger.Level;

/**
 * The one keep-alive decision of an HTTP/1.1 exchange. Everything that can end the connection
 * after a response is told here, and everyone who needs the answer asks here: the response head
 * (what {@code Connection} announces) and the request loop (whether to read another request).
 *
 * <p>The connection ends after the response when the request said so ({@code Connection: close},
 * HTTP/1.0 without {@code keep-alive}), when the handler or the error path asked ({@link
 * #closeAfterResponse()}: {@code closeSession()}, {@code Connection: close}, an HTTP/1.0 body
 * delimited by the close, a 500, a request whose framing broke), when the session is closing
 * (peer gone, {@code triggerClose}, server draining), or when the client still withholds a body
 * it announced with {@code Expect: 100-continue}. Once the head announced {@code close}, the
 * connection closes whatever happens after. A finished response with nothing against it keeps the
 * connection, after the body the handler left unread is drained (up to {@code maxDrainLength}).
 *
 * <p>One instance serves a connection's exchanges one after another ({@link #begin}).
 */
final class Persistence {

    private static final System.Logger LOG = System.getLogger(HttpServer.class.getName());

    private final ConnectionContext connection;
    private final long maxDrainLength;
    private RequestHead head;
    private RequestBody body;
    private boolean closeAsked;
    private boolean continueSent;
    private boolean closeAnnounced;
    private byte[] scratch;

    Persistence(ConnectionContext connection, long maxDrainLength) {
        this.connection = connection;
        this.maxDrainLength = maxDrainLength;
    }

    /** A new exchange on the connection. */
    void begin(RequestHead head, RequestBody body) {
        this.head = head;
        this.body = body;
        this.closeAsked = false;
        this.continueSent = false;
        this.closeAnnounced = false;
    }

    /** The connection ends once this response is complete. */
    void closeAfterResponse() {
        closeAsked = true;
    }

    /** The interim {@code 100 Continue} went out: the client sends the body it announced. */
    void continueSent() {
        continueSent = true;
    }

    boolean isContinueSent() {
        return continueSent;
    }

    /** Whether the connection ends after this response, as far as is known now. */
    boolean closesAfterResponse() {
        return !head.keepAlive() || closeAsked || connection.closing() || bodyWithheld();
    }

    /**
     * The persistence the response head announces, and commits to: {@code close}, {@code
     * keep-alive} (an HTTP/1.0 client keeps the connection only when told), or {@code null}
     * (HTTP/1.1's default, persistent).
     */
    String announce() {
        if (closesAfterResponse()) {
            closeAnnounced = true;
            return "close";
        }
        return head.http10() ? "keep-alive" : null;
    }

    /**
     * The decision, once the response is done: true when the connection takes another request.
     * Drains the body the handler left unread, within {@code maxDrainLength}; a connection that
     * closes with request bytes unread lingers so that the client reads the answer.
     *
     * @param responseFinished whether the response was written completely
     * @param counter told every drained length (ESP posts ON_DATA for them)
     */
    boolean keepAfter(boolean responseFinished, RequestBody.DrainCounter counter) {
        if (closeAnnounced || closesAfterResponse() || !responseFinished) {
            if (!body.complete()) {
                connection.lingerOnClose();
            }
            return false;
        }
        if (body.complete()) {
            return true;
        }
        try {
            if (scratch == null) {
                scratch = new byte[8192];
            }
            if (body.drain(maxDrainLength, scratch, counter)) {
                return true;
            }
            LOG.log(Level.DEBUG, () -> connection + ": unread request body over maxDrainLength, closing");
            connection.lingerOnClose();
        } catch (IOException e) {
            LOG.log(Level.DEBUG, () -> connection + ": draining the request body failed: " + e);
        }
        return false;
    }

    /**
     * The client waits for a 100 before sending the body, and we answer without having asked for
     * it: whether the body follows cannot be known, so the connection must end after the answer.
     */
    private boolean bodyWithheld() {
        return head.expectContinue() && !continueSent && !body.complete();
    }
}
