package dev.plinth.output;

import dev.plinth.diag.Loc;
import dev.plinth.diag.PlinthException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.nio.channels.OverlappingFileLockException;
import java.util.HashMap;

/**
 * The lock of an output directory: {@code <output>.plinth-lock} beside it, locked with the
 * operating system's file lock (released by the kernel when the process dies, so a killed render
 * never leaves a stuck lock). Every command that reads or writes the output takes it before it
 * reads anything there, recovery of an interrupted write included. A second command on the same
 * output, in this process or another, fails at once with an error saying so: two renders never
 * interleave.
 *
 * <p>The lock file is never deleted: a process may have it open, about to lock it, and a new file
 * of the same name would let two commands hold "the" lock at once. Held by one thread, reentrant on that thread (publish renders, then reads the output, under one
 * hold).
 */
public final class OutputLock implements AutoCloseable {
    /** Holds of this process, by lock file. */
    private static final Map<Path, OutputLock> HELD = new HashMap<>();

    private final Path file;
    private final Thread owner;
    private final FileChannel channel;
    private final FileLock lock;
    private int holds = 1;

    private OutputLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.owner = Thread.currentThread();
        this.channel = channel;
        this.lock = lock;
    }

    /** The lock file of an output directory (as {@link OutputWriter} resolves the directory). */
    public static Path fileOf(Path out) {
        Path p = OutputWriter.resolve(out);
        return p.resolveSibling(p.getFileName() + ".plinth-lock");
    }

    /**
     * Takes the output's lock, or fails with an input error naming the output when another
     * command holds it.
     */
    public static OutputLock acquire(Path out) {
        Path file = fileOf(out);
        synchronized (HELD) {
            OutputLock held = HELD.get(file);
            if (held != null) {
                if (held.owner != Thread.currentThread()) {
                    throw busy(out, "another render in this process is writing this output right now, or a verify or publish is reading it");
                }
                held.holds++;
                return held;
            }
            try {
                Files.createDirectories(file.getParent());
                FileChannel channel;
                try {
                    // never through a link: a planted lock "file" must not open (or create) a file elsewhere
                    channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
                } catch (IOException e) {
                    if (Files.isSymbolicLink(file)) {
                        throw PlinthException.of(Loc.file(file.toString()), "the output's lock file is a symbolic link; "
                                + "Plinth never follows links beside its output: remove it");
                    }
                    throw e;
                }
                FileLock lock;
                try {
                    lock = channel.tryLock();
                } catch (OverlappingFileLockException e) {
                    channel.close(); // locked by this process outside this class
                    throw busy(out, "another render in this process is writing this output right now, or a verify or publish is reading it");
                } catch (IOException | RuntimeException e) {
                    channel.close();
                    throw e;
                }
                if (lock == null) {
                    channel.close();
                    throw busy(out, "another render is writing this output right now, or a verify or publish is reading it ("
                            + file + " is locked); "
                            + "run again when it has finished");
                }
                OutputLock l = new OutputLock(file, channel, lock);
                HELD.put(file, l);
                return l;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot lock " + file + ": " + e.getMessage(), e);
            }
        }
    }

    @Override
    public void close() {
        synchronized (HELD) {
            if (--holds > 0) return;
            HELD.remove(file);
            try {
                lock.release();
                channel.close();
            } catch (IOException e) {
                // closing releases the lock in any case
            }
        }
    }

    private static PlinthException busy(Path out, String why) {
        return PlinthException.of(Loc.file(OutputWriter.resolve(out).getFileName().toString()), why);
    }
}
