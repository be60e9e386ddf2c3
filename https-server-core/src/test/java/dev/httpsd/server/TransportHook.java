package dev.httpsd.server;

/**
 * An open hook written as a lambda that receives the session's {@link TransportSetup} too: for
 * tests that act as a transport layer (raw socket, lock, lingering close).
 */
@FunctionalInterface
public interface TransportHook {

    void onOpen(HttpSession session, TransportSetup setup) throws Exception;

    /** The hook as the server's {@link OpenHook}. */
    static OpenHook of(TransportHook hook) {
        return new OpenHook() {
            @Override
            public void onOpen(HttpSession session) {
                throw new UnsupportedOperationException("called with its transport setup only");
            }

            @Override
            public void onOpen(HttpSession session, TransportSetup setup) throws Exception {
                hook.onOpen(session, setup);
            }
        };
    }
}
