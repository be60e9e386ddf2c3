package dev.httpsd.server;

/**
 * Called when a session is deleted, before its contexts are freed ({@code httpd_close_func_t}).
 *
 * <p>Unlike ESP, the hook need not close the socket: the server closes it right after the hook
 * returns (closing it in the hook as well is harmless).
 */
@FunctionalInterface
public interface CloseHook {

    void onClose(HttpSession session) throws Exception;
}
