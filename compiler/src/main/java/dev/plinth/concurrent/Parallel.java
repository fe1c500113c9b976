package dev.plinth.concurrent;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

/**
 * Maps a list on {@code jobs} threads and returns the results in the list's order, so what a
 * stage produces never depends on scheduling. Used by the render stage (units) and the layout
 * stage (YAML text of objects).
 */
public final class Parallel {
    private Parallel() {
    }

    /** Starts {@code work} on a thread of its own (for reading caches while the specs load). */
    public static <R> Future<R> inBackground(Supplier<R> work) {
        java.util.concurrent.FutureTask<R> task = new java.util.concurrent.FutureTask<>(work::get);
        Thread t = new Thread(task, "plinth-background");
        t.setDaemon(true);
        t.start();
        return task;
    }

    /** The result of work on another thread; its exception, if it failed, is thrown as it was. */
    public static <R> R join(Future<R> work) {
        try {
            return work.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            if (e.getCause() instanceof Error err) throw err;
            throw new IllegalStateException(e.getCause());
        }
    }

    public static <T, R> List<R> map(List<T> items, int jobs, Function<T, R> work) {
        return map(items, jobs, work, done -> {
        });
    }

    /**
     * @param done told how many items are finished after each one, from any thread
     */
    public static <T, R> List<R> map(List<T> items, int jobs, Function<T, R> work, IntConsumer done) {
        AtomicInteger finished = new AtomicInteger();
        if (jobs <= 1 || items.size() < 2) {
            List<R> out = new ArrayList<>(items.size());
            for (T item : items) {
                out.add(work.apply(item));
                done.accept(finished.incrementAndGet());
            }
            return out;
        }
        // definitions may recurse deeply: worker threads get a bigger stack than the default
        ExecutorService pool = Executors.newFixedThreadPool(jobs, r -> {
            Thread t = new Thread(null, r, "plinth-worker", 16L * 1024 * 1024);
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<R>> futures = new ArrayList<>(items.size());
            for (T item : items) {
                futures.add(pool.submit(() -> {
                    R r = work.apply(item);
                    done.accept(finished.incrementAndGet());
                    return r;
                }));
            }
            List<R> out = new ArrayList<>(items.size());
            for (Future<R> f : futures) out.add(join(f));
            return out;
        } finally {
            pool.shutdownNow();
        }
    }
}
