package dev.httpsd.server;

/**
 * A request detached from its handler by {@link HttpRequest#beginAsync()}, to be finished on any
 * thread.
 */
public interface AsyncRequest {

    HttpRequest request();

    HttpResponse response();

    /**
     * Finishes the request ({@code httpd_req_async_handler_complete}): completes the response if
     * the caller did not (empty response, or the terminating chunk) and lets the session read its
     * next request. Idempotent.
     */
    void complete();
}
