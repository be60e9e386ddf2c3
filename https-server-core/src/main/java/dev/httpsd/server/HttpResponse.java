package dev.httpsd.server;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * The response side of ESP's {@code httpd_req_t} ({@code httpd_resp_*}). Status and content type
 * default to {@code 200 OK} and {@code text/html} as in ESP. Every response is valid HTTP/1.1: a
 * {@code Content-Length} or chunked framing, a {@code Date}, and {@code Connection: close} when the
 * session closes after it.
 */
public interface HttpResponse {

    /** Sets the status code with its standard reason phrase ({@code httpd_resp_set_status}). */
    HttpResponse status(int code);

    /**
     * Sets the full status, e.g. {@code "404 Not Found"} or {@code "299 Custom"}.
     *
     * @throws IllegalArgumentException when it does not start with a three-digit code or contains
     *     CR/LF
     */
    HttpResponse status(String statusLine);

    /** Sets the {@code Content-Type} ({@code httpd_resp_set_type}); default {@code text/html}. */
    HttpResponse contentType(String contentType);

    /**
     * Appends a header ({@code httpd_resp_set_hdr}); duplicates are allowed. The headers that
     * frame the message or manage the connection stay single, unlike in ESP: {@code Content-Type}
     * and {@code Date} replace the server's; {@code Connection: close} closes the session after
     * this response ({@link #closeSession()}), {@code keep-alive} is the server's decision, any
     * other {@code Connection} token joins the server's one {@code Connection} header.
     *
     * @throws IllegalArgumentException when the name is not a token or a CR, LF or NUL appears,
     *     or for {@code Content-Length} and {@code Transfer-Encoding}: the framing is the server's
     *     ({@link #send} sends a length, {@link #sendChunk} chunks)
     * @throws HttpServerException {@code RESP_HDR} when more than {@code maxRespHeaders} are set
     * @throws IllegalStateException when the headers were already sent
     */
    HttpResponse header(String name, String value);

    /**
     * Sends the whole response with a Content-Length ({@code httpd_resp_send}).
     *
     * @throws IllegalStateException if the response was already sent or started chunked
     * @throws IOException when the client is gone or the send timed out
     */
    void send(byte[] body, int offset, int length) throws IOException;

    default void send(byte[] body) throws IOException {
        send(body, 0, body.length);
    }

    /**
     * Sends a file as the whole response, with a Content-Length: what ESP's file-serving example
     * does with a scratch buffer and {@code httpd_resp_send_chunk}, without the copies. On a plain
     * HTTP/1.1 connection the file goes from the page cache to the socket in the kernel ({@link
     * FileChannel#transferTo} to the socket's channel, sendfile); over TLS it is read into a
     * direct buffer and encrypted from there; HTTP/2 reads it a frame at a time. A HEAD request
     * gets the head only. Posts HEADERS_SENT, then SENT_DATA with the body's length, as {@link
     * #send(byte[], int, int)} does. The content type is the one set ({@code text/html} by
     * default): set it from the file's name as ESP's example does.
     *
     * @param file an open channel, read from {@code position} without moving its own position
     * @param position the first byte of the file to send
     * @param length how many bytes to send
     * @throws IllegalArgumentException when the part asked for is not within the file, checked
     *     before anything is sent
     * @throws IllegalStateException if the response was already sent or started chunked
     * @throws java.io.EOFException when the file shrank while it was being sent; the session then
     *     closes, as the client was promised more bytes
     * @throws IOException when the client is gone or the send timed out
     */
    void sendFile(FileChannel file, long position, long length) throws IOException;

    /**
     * Sends a whole file, as {@link #sendFile(FileChannel, long, long)} does. A file that cannot be
     * opened throws before anything is sent, so the handler can still answer: ESP's example sends
     * 404 for a file that does not exist and 500 for one it cannot read.
     *
     * @throws java.nio.file.NoSuchFileException when there is no such file
     * @throws java.nio.file.AccessDeniedException when it cannot be read
     * @throws java.nio.file.FileSystemException when it is not a regular file (a directory)
     */
    default void sendFile(Path file) throws IOException {
        if (!Files.readAttributes(file, BasicFileAttributes.class).isRegularFile()) {
            throw new FileSystemException(file.toString(), null, "not a regular file");
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            sendFile(channel, 0, channel.size());
        }
    }

    /** Sends a string body as UTF-8 ({@code httpd_resp_sendstr}); {@code null} sends no body. */
    void send(String body) throws IOException;

    /**
     * Sends one chunk of a chunked response ({@code httpd_resp_send_chunk}); the first call sends
     * the headers. A zero-length chunk ends the response.
     */
    void sendChunk(byte[] chunk, int offset, int length) throws IOException;

    default void sendChunk(byte[] chunk) throws IOException {
        sendChunk(chunk, 0, chunk.length);
    }

    /** A UTF-8 chunk ({@code httpd_resp_sendstr_chunk}); {@code null} or empty ends the response. */
    void sendChunk(String chunk) throws IOException;

    /**
     * Sends an error response ({@code httpd_resp_send_err}): the error's status, {@code text/html},
     * and {@code message} or the error's default text. Posts the ERROR event.
     */
    void sendError(HttpError error, String message) throws IOException;

    /**
     * Takes the server's error path for {@code error} ({@code httpd_req_handle_err}): runs the
     * custom error handler registered for it, or sends the default error response.
     *
     * @return whether the session stays open afterwards: the custom handler's answer (never for
     *     500); false when no custom handler exists, as in ESP, and the session is then closed
     *     after this response
     */
    boolean handleError(HttpError error) throws IOException;

    /** Sends an error with any status line and no ERROR event ({@code httpd_resp_send_custom_err}). */
    void sendCustomError(String statusLine, String message) throws IOException;

    /**
     * Writes raw bytes through the session's send function ({@code httpd_send}), bypassing HTTP
     * framing. The caller owns the framing of whatever it writes.
     *
     * @return the number of bytes written
     */
    int sendRaw(byte[] buffer, int offset, int length) throws IOException;

    /**
     * A stream writing a chunked body: each {@code write} buffers, {@code flush} sends a chunk,
     * {@code close} ends the response.
     */
    OutputStream outputStream();

    /**
     * Closes the session once this response is complete, and says {@code Connection: close} if
     * the headers are not sent yet. ESP's equivalent is a handler returning an error.
     */
    void closeSession();

    /** Whether the status line and headers have been written. */
    boolean isCommitted();
}
