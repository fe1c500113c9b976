package dev.plinth.definitions;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-evaluation limits on Jsonnet: time and depth. A definition that loops or recurses without
 * bound fails with an error naming it rather than running forever or overflowing the stack.
 *
 * <p>Time is checked by the evaluator every 1,024 expressions; a built-in function that runs
 * long by itself ({@code std.range(0, 2e9)}) never returns to it, so a watchdog thread stops
 * the evaluating thread ({@link Thread#stop}, the only way to end a computation in a library
 * that does not poll) once the limit is passed by a second. Its lane's parse cache is then
 * dropped, since it may be half-updated.
 *
 * <p>Set with the system properties {@value #TIMEOUT_PROPERTY} (seconds, default
 * {@value #DEFAULT_TIMEOUT_SECONDS}) and {@value #DEPTH_PROPERTY} (nested expressions,
 * default {@value #DEFAULT_MAX_DEPTH}); for the Maven plugin, as {@code -D} options of Maven.
 */
public record EvaluationLimits(long timeoutMillis, int maxDepth) {
    public static final String TIMEOUT_PROPERTY = "plinth.jsonnet.timeoutSeconds";
    public static final String DEPTH_PROPERTY = "plinth.jsonnet.maxDepth";
    static final long DEFAULT_TIMEOUT_SECONDS = 60;
    static final int DEFAULT_MAX_DEPTH = 5_000;
    /** How long past its limit an evaluation that does not poll runs before its thread is stopped. */
    static final long GRACE_MILLIS = 1_000;

    public EvaluationLimits {
        if (timeoutMillis <= 0 || maxDepth <= 0) throw new IllegalArgumentException("Jsonnet limits must be positive");
    }

    /** The limits the system properties set, else the defaults; a malformed value is an error naming the property. */
    public static EvaluationLimits fromSystemProperties() {
        return new EvaluationLimits(property(TIMEOUT_PROPERTY, DEFAULT_TIMEOUT_SECONDS) * 1000, (int) property(DEPTH_PROPERTY, DEFAULT_MAX_DEPTH));
    }

    private static long property(String name, long fallback) {
        String v = System.getProperty(name);
        if (v == null || v.isBlank()) return fallback;
        try {
            long n = Long.parseLong(v.trim());
            if (n <= 0 || n > Integer.MAX_VALUE) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-D" + name + "=" + v + ": expected a positive whole number");
        }
    }

    // ---- the watchdog ----------------------------------------------------------------------

    /** One evaluation under way: its thread and deadline; {@code stopped} once the watchdog stopped it. */
    static final class Watch {
        final Thread thread = Thread.currentThread();
        final long deadline;
        boolean done;
        boolean stopped;

        Watch(long deadline) {
            this.deadline = deadline;
        }
    }

    private static final Map<Watch, Boolean> WATCHES = new ConcurrentHashMap<>();
    private static volatile Thread watchdog;

    /** Starts watching the current thread's evaluation. */
    static Watch watch(long deadline) {
        Watch w = new Watch(deadline);
        WATCHES.put(w, Boolean.TRUE);
        if (watchdog == null) startWatchdog();
        return w;
    }

    /** Ends a watch; true when the watchdog stopped the thread (its ThreadDeath is then the timeout). */
    static boolean unwatch(Watch w) {
        synchronized (w) {
            w.done = true;
        }
        WATCHES.remove(w);
        return w.stopped;
    }

    private static synchronized void startWatchdog() {
        if (watchdog != null) return;
        Thread t = new Thread(() -> {
            while (true) {
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                }
                long now = System.nanoTime();
                for (Watch w : WATCHES.keySet()) {
                    if (now - w.deadline < GRACE_MILLIS * 1_000_000L) continue;
                    synchronized (w) {
                        if (!w.done && !w.stopped) {
                            w.stopped = true;
                            stop(w.thread);
                        }
                    }
                }
            }
        }, "plinth-jsonnet-watchdog");
        t.setDaemon(true);
        t.start();
        watchdog = t;
    }

    @SuppressWarnings({"deprecation", "removal"})
    private static void stop(Thread thread) {
        try {
            thread.stop();
        } catch (UnsupportedOperationException e) {
            // a Java without Thread.stop (20 and later): the evaluation runs on, the polling limit still applies
        }
    }
}
