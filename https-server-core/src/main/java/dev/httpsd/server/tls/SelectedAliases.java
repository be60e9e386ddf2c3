package dev.httpsd.server.tls;

import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.HashMap;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Key-manager aliases for the materials a {@link CertificateSelector} returns. JSSE asks the key
 * manager for an alias and then looks the key and chain up by that alias alone, so an alias must
 * name one material for good: each distinct material gets the next number, never reused, and
 * keeps it while it lives.
 *
 * <p>Materials are held weakly: a selector that makes a fresh material per handshake must not
 * fill memory, and one that keeps its materials keeps their aliases. Between choosing an alias and
 * JSSE's lookups the chosen material may be referenced by nothing else, so the last one chosen on
 * each thread is held strongly until that thread chooses again: JSSE chooses and looks up one
 * after the other on the same thread (the handshake's delegated task).
 */
final class SelectedAliases {

    private final String prefix;
    private final ThreadLocal<KeyMaterial> lastChosen = new ThreadLocal<>();
    private final ReferenceQueue<KeyMaterial> collected = new ReferenceQueue<>();
    /** KeyMaterial keeps Object's identity equality: a distinct object is a distinct material. */
    private final Map<KeyMaterial, String> aliases = new WeakHashMap<>();

    private final Map<String, Named> materials = new HashMap<>();
    private long lastNumber;

    private static final class Named extends WeakReference<KeyMaterial> {
        private final String alias;

        Named(KeyMaterial material, String alias, ReferenceQueue<KeyMaterial> queue) {
            super(material, queue);
            this.alias = alias;
        }
    }

    SelectedAliases(String prefix) {
        this.prefix = prefix;
    }

    /** The alias of {@code material}, numbering it if it is new; it resolves on this thread. */
    String aliasFor(KeyMaterial material) {
        lastChosen.set(material);
        synchronized (this) {
            forgetCollected();
            String alias = aliases.get(material);
            if (alias == null) {
                alias = prefix + ++lastNumber;
                aliases.put(material, alias);
                materials.put(alias, new Named(material, alias, collected));
            }
            return alias;
        }
    }

    /** Whether {@code alias} is one of ours (it may still name a material that is gone). */
    boolean owns(String alias) {
        return alias.startsWith(prefix);
    }

    /** The material {@code alias} names, or {@code null} when it is unknown or was collected. */
    synchronized KeyMaterial material(String alias) {
        forgetCollected();
        Named named = materials.get(alias);
        return named == null ? null : named.get();
    }

    /** How many materials have a live alias. */
    synchronized int size() {
        forgetCollected();
        return materials.size();
    }

    private void forgetCollected() {
        for (Reference<? extends KeyMaterial> gone; (gone = collected.poll()) != null; ) {
            materials.remove(((Named) gone).alias);
        }
    }
}
