package dev.plinth.concurrent;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.IntConsumer;
import java.util.function.Supplier;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicReference;

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
        FutureTask<R> task = new FutureTask<>(work::get);
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
        // Each worker takes the next item until none is left: no task object or wake-up per item
        // (a render maps 20,000 files and objects) and no worker idles while another has a queue.
        int n = items.size();
        Object[] out = new Object[n];
        AtomicInteger next = new AtomicInteger();
        // the failure of the first item in list order, as a sequential map would report it
        AtomicReference<Failure> failure = new AtomicReference<>();
        Runnable worker = () -> {
            for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
                try {
                    out[i] = work.apply(items.get(i));
                    done.accept(finished.incrementAndGet());
                } catch (RuntimeException | Error e) {
                    Failure f = new Failure(i, e);
                    failure.accumulateAndGet(f, (a, b) -> a == null || b.index() < a.index() ? b : a);
                }
            }
        };
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < Math.min(jobs, n); t++) {
            // definitions may recurse deeply: worker threads get a bigger stack than the default
            Thread thread = new Thread(null, worker, "plinth-worker", 16L * 1024 * 1024);
            thread.setDaemon(true);
            thread.start();
            workers.add(thread);
        }
        try {
            for (Thread thread : workers) thread.join(); // join makes the workers' writes to out visible
        } catch (InterruptedException e) {
            workers.forEach(Thread::interrupt);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        Failure f = failure.get();
        if (f != null) {
            if (f.error() instanceof RuntimeException re) throw re;
            throw (Error) f.error();
        }
        List<R> results = new ArrayList<>(n);
        for (Object r : out) {
            @SuppressWarnings("unchecked") R result = (R) r;
            results.add(result);
        }
        return results;
    }

    private record Failure(int index, Throwable error) {
    }
}
