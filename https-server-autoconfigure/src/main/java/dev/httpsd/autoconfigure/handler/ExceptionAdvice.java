package dev.httpsd.autoconfigure.handler;

import java.util.ArrayList;
import java.util.List;

/**
 * Every {@link ExceptionMapping} method of the application, and which one answers an exception:
 * the nearest declared type over all of them, then the lower bean order, then the first found;
 * when none takes the exception, the same for its causes.
 */
final class ExceptionAdvice {

    /** The advice chosen for a failure, and the exception in its cause chain that it takes. */
    record Match(AdviceMethod method, Throwable exception) {}

    private record Entry(Class<? extends Throwable> type, AdviceMethod method, int order, int sequence) {}

    private static final int MAX_CAUSES = 16;

    private final List<Entry> entries = new ArrayList<>();

    void add(AdviceMethod method, List<Class<? extends Throwable>> types, int order) {
        for (Class<? extends Throwable> type : types) {
            entries.add(new Entry(type, method, order, entries.size()));
        }
    }

    boolean isEmpty() {
        return entries.isEmpty();
    }

    /** The advice for a failure, or {@code null}. */
    Match find(Throwable failure) {
        Throwable current = failure;
        for (int depth = 0; current != null && depth < MAX_CAUSES; depth++) {
            Entry best = nearest(current);
            if (best != null) {
                return new Match(best.method(), current);
            }
            current = current.getCause() == current ? null : current.getCause();
        }
        return null;
    }

    private Entry nearest(Throwable exception) {
        Entry best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (Entry entry : entries) {
            if (!entry.type().isInstance(exception)) {
                continue;
            }
            int distance = distance(exception.getClass(), entry.type());
            if (distance < bestDistance
                    || (distance == bestDistance && entry.order() < best.order())
                    || (distance == bestDistance
                            && entry.order() == best.order()
                            && entry.sequence() < best.sequence())) {
                best = entry;
                bestDistance = distance;
            }
        }
        return best;
    }

    private static int distance(Class<?> thrown, Class<?> declared) {
        int distance = 0;
        for (Class<?> type = thrown; type != null && type != declared; type = type.getSuperclass()) {
            distance++;
        }
        return distance;
    }
}
