package dev.plinth.output;

import dev.plinth.diag.Diagnostics;
import dev.plinth.diag.Loc;
import dev.plinth.diag.PlinthException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.StandardOpenOption;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Stage 5, write: replaces the output directory atomically.
 *
 * <p>The new tree is built in a sibling staging directory: the files Plinth does not own (and
 * owned files outside this render's scope) are carried over, the produced files and the ledger
 * written. Then two renames swap it in: {@code out -> out.plinth-old}, {@code staging -> out}.
 * A run that dies before the swap leaves {@code out} as it was; one that dies between the two
 * renames is repaired by the next run, which puts {@code out.plinth-old} back.
 *
 * <p>The ledger ({@value #LEDGER}) lists the files Plinth owns; a render removes owned files it
 * no longer produces and never touches any other file.
 */
public final class OutputWriter {
    public static final String LEDGER = ".plinth-ledger";
    private static final String LEDGER_HEADER = "# Files owned by Plinth: a render rewrites or removes exactly these.";

    /** What changed on disk. */
    public record Summary(int files, int written, int unchanged, int removed) {
    }

    private OutputWriter() {
    }

    /**
     * Entry point of the stage.
     *
     * @param inScope which owned paths this render is responsible for (all of them, unless only
     *                some environments are rendered); owned paths outside it are kept
     */
    public static Summary write(Path out, SortedMap<String, String> files, Predicate<String> inScope) {
        out = resolve(out);
        Path staging = out.resolveSibling(out.getFileName() + ".plinth-staging");
        Path old = out.resolveSibling(out.getFileName() + ".plinth-old");
        Path lockFile = out.resolveSibling(out.getFileName() + ".plinth-lock");
        try {
            Files.createDirectories(out.getParent());
            try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock lock = channel.tryLock()) {
                if (lock == null) {
                    throw PlinthException.of(Loc.file(out.getFileName().toString()),
                            "another render is writing this output right now (" + lockFile + " is locked)");
                }
                return writeLocked(out, staging, old, files, inScope);
            } finally {
                Files.deleteIfExists(lockFile);
            }
        } catch (java.nio.channels.OverlappingFileLockException e) {
            throw PlinthException.of(Loc.file(out.getFileName().toString()), "another render in this process is writing this output");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + out + ": " + e.getMessage(), e);
        }
    }

    /**
     * Repairs what an interrupted earlier run left behind: puts a moved-away output back, drops a
     * half-built staging tree. Runs before anything else, so even a render that then fails on
     * bad input leaves the previous output in place.
     */
    public static void recoverInterrupted(Path out) {
        out = resolve(out);
        try {
            recover(out, out.resolveSibling(out.getFileName() + ".plinth-old"),
                    out.resolveSibling(out.getFileName() + ".plinth-staging"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot repair " + out + ": " + e.getMessage(), e);
        }
    }

    /** The real output directory: when the given path is a symbolic link, the directory it names. */
    private static Path resolve(Path out) {
        Path p = out.toAbsolutePath().normalize();
        try {
            return Files.isSymbolicLink(p) ? p.toRealPath() : p;
        } catch (IOException e) {
            return p;
        }
    }

    private static Summary writeLocked(Path out, Path staging, Path old, SortedMap<String, String> files,
                                       Predicate<String> inScope) throws IOException {
        try {
            recover(out, old, staging);
            SortedSet<String> owned = readLedger(out);
            checkConflicts(out, files, owned);
            Files.createDirectories(staging);

            SortedSet<String> ledger = new TreeSet<>(files.keySet());
            int removed = 0;
            int unchanged = 0;
            if (Files.isDirectory(out)) {
                for (String dir : listDirectories(out)) Files.createDirectories(staging.resolve(dir));
                for (String rel : listFiles(out)) {
                    if (rel.equals(LEDGER)) continue;
                    boolean mine = owned.contains(rel);
                    if (mine && inScope.test(rel)) {
                        if (!files.containsKey(rel)) removed++;
                        else if (sameContent(out.resolve(rel), files.get(rel))) unchanged++;
                        continue;
                    }
                    if (files.containsKey(rel)) continue; // owned, out of scope, but produced again
                    carryOver(out.resolve(rel), staging.resolve(rel));
                    if (mine) ledger.add(rel);
                }
            }
            for (var e : files.entrySet()) {
                Path p = staging.resolve(e.getKey());
                Files.createDirectories(p.getParent());
                Files.writeString(p, e.getValue(), StandardCharsets.UTF_8);
            }
            writeLedger(staging, ledger);
            swap(out, old, staging);
            return new Summary(files.size(), files.size() - unchanged, unchanged, removed);
        } catch (IOException | RuntimeException e) {
            deleteTree(staging);
            throw e;
        }
    }

    /** The owned files of an output directory (empty when there is none). */
    public static SortedSet<String> readLedger(Path out) throws IOException {
        SortedSet<String> owned = new TreeSet<>();
        Path ledger = out.resolve(LEDGER);
        if (!Files.isRegularFile(ledger)) return owned;
        for (String line : Files.readAllLines(ledger, StandardCharsets.UTF_8)) {
            String l = line.trim();
            if (l.isEmpty() || l.startsWith("#")) continue;
            if (l.startsWith("/") || l.contains("..") || l.contains("\\")) continue; // never trust a path out of the tree
            owned.add(l);
        }
        return owned;
    }

    private static void writeLedger(Path dir, SortedSet<String> ledger) throws IOException {
        StringBuilder sb = new StringBuilder(LEDGER_HEADER).append('\n');
        for (String f : ledger) sb.append(f).append('\n');
        Files.writeString(dir.resolve(LEDGER), sb.toString(), StandardCharsets.UTF_8);
    }

    private static void checkConflicts(Path out, SortedMap<String, String> files, SortedSet<String> owned) {
        if (!Files.isDirectory(out)) return;
        Diagnostics d = new Diagnostics();
        for (String rel : files.keySet()) {
            if (!owned.contains(rel) && Files.exists(out.resolve(rel), LinkOption.NOFOLLOW_LINKS)) {
                d.error(Loc.file(out.getFileName() + "/" + rel), "the output already has this file and Plinth does not own it; "
                        + "move it away or delete it, Plinth never overwrites files it did not write");
            }
        }
        d.throwIfErrors();
    }

    /** Repairs what an interrupted earlier run left behind. */
    private static void recover(Path out, Path old, Path staging) throws IOException {
        if (Files.exists(old)) {
            if (!Files.exists(out)) Files.move(old, out, StandardCopyOption.ATOMIC_MOVE);
            else deleteTree(old);
        }
        deleteTree(staging);
    }

    private static void swap(Path out, Path old, Path staging) throws IOException {
        if (Files.exists(out)) {
            Files.move(out, old, StandardCopyOption.ATOMIC_MOVE);
            Files.move(staging, out, StandardCopyOption.ATOMIC_MOVE);
            deleteTree(old);
        } else {
            Files.createDirectories(out.getParent());
            Files.move(staging, out, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    private static void carryOver(Path from, Path to) throws IOException {
        Files.createDirectories(to.getParent());
        if (!Files.isSymbolicLink(from)) {
            try {
                Files.createLink(to, from); // the old tree is discarded after the swap, so a link is enough
                return;
            } catch (UnsupportedOperationException | IOException e) {
                if (e instanceof FileAlreadyExistsException) throw (IOException) e;
            }
        }
        Files.copy(from, to, LinkOption.NOFOLLOW_LINKS, StandardCopyOption.COPY_ATTRIBUTES);
    }

    private static boolean sameContent(Path p, String content) throws IOException {
        byte[] want = content.getBytes(StandardCharsets.UTF_8);
        return Files.size(p) == want.length && java.util.Arrays.equals(Files.readAllBytes(p), want);
    }

    /** Directories carry over too (an empty one may matter, e.g. in a Git checkout). */
    private static List<String> listDirectories(Path dir) throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> s = Files.walk(dir)) {
            s.filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) && !p.equals(dir))
                    .forEach(p -> out.add(dir.relativize(p).toString().replace('\\', '/')));
        }
        out.sort(null);
        return out;
    }

    private static List<String> listFiles(Path dir) throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> s = Files.walk(dir)) {
            s.filter(p -> !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))
                    .forEach(p -> out.add(dir.relativize(p).toString().replace('\\', '/')));
        }
        out.sort(null);
        return out;
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Used by callers that want to fail on an unusable output path before rendering. */
    public static void requireUsable(Path out) {
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw PlinthException.of(Loc.file(out.toString()), "the output path exists and is not a directory");
        }
    }
}
