package dev.httpsd.server;

import java.lang.System.Logger.Level;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * A session context with its free callback ({@code sess_ctx} + {@code free_ctx}): replacing it
 * frees the previous one, clearing it at close frees it once.
 */
final class ContextSlot {

    private static final System.Logger LOG = System.getLogger(HttpServer.class.getName());

    private record Entry(Object context, Consumer<Object> free) {}

    private static final Entry EMPTY = new Entry(null, null);

    private final String what;
    private final AtomicReference<Entry> entry = new AtomicReference<>(EMPTY);

    ContextSlot(String what) {
        this.what = what;
    }

    Object get() {
        return entry.get().context();
    }

    /** Sets the context; a different previous one is freed with its own callback. */
    void set(Object context, Consumer<Object> free, Object owner) {
        Entry old = entry.getAndSet(new Entry(context, free));
        if (old.context() != null && old.context() != context) {
            free(old, owner);
        }
    }

    /** Frees a context that lives in no slot (a server's global ones), logging a failing callback. */
    static void free(String what, Object context, Consumer<Object> free, Object owner) {
        if (context != null) {
            new ContextSlot(what).free(new Entry(context, free), owner);
        }
    }

    /** Empties the slot and frees what it held. */
    void clear(Object owner) {
        Entry old = entry.getAndSet(EMPTY);
        if (old.context() != null) {
            free(old, owner);
        }
    }

    private void free(Entry old, Object owner) {
        if (old.free() == null) {
            return;
        }
        try {
            old.free().accept(old.context());
        } catch (Throwable t) {
            LOG.log(Level.WARNING, owner + ": freeing the " + what + " failed", t);
        }
    }
}
