package dev.httpsd.server.http1;

import dev.httpsd.server.ConnectionContext;

/**
 * The exchanges of one connection, one after another, and what they share: the keep-alive
 * decision ({@link Persistence}), the error path ({@link ErrorResponder}) and the response head
 * with its buffer ({@link ResponseHead}), each begun anew for every exchange instead of allocated.
 * Made when a request arrives on an idle connection, for it and the requests pipelined behind it,
 * and dropped when the connection goes idle again.
 */
public final class Exchanges {

    final ConnectionContext connection;
    final Persistence persistence;
    final ErrorResponder errors;
    final ResponseHead responseHead;

    public Exchanges(ConnectionContext connection) {
        this.connection = connection;
        this.persistence = new Persistence(connection, connection.config().maxDrainLength());
        this.errors = new ErrorResponder(connection, persistence);
        this.responseHead = new ResponseHead(
                persistence,
                connection.config().maxRespHeaders(),
                connection.config().strictTransportSecurity());
    }

    /** The next exchange: a request whose head was read, and its response. */
    public Exchange next(RequestHead head, RequestBody body) {
        persistence.begin(head, body);
        responseHead.begin();
        return new Exchange(connection, head, body, this);
    }
}
