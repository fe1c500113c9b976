package dev.plinth.output;

import dev.plinth.concurrent.Parallel;
import dev.plinth.diag.Diagnostics;
import dev.plinth.diag.Loc;
import dev.plinth.diag.PlinthException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Stage 5, write: brings the output directory to the rendered files, touching only files whose
 * bytes change, all or nothing.
 *
 * <p>First a journal listing every change (new, replaced and deleted files) is written and made
 * durable; then each change is applied: a file to be replaced or deleted is first moved to a
 * backup tree beside the output, new content is written in place; then the journal is deleted,
 * which is the commit. A run that dies before the journal exists leaves the output untouched;
 * one that dies while applying is rolled back by the next run (before it reads any spec), which
 * deletes the new files and puts the backups back. So after any run the output is either the
 * previous one or the new one, and each file is written once.
 *
 * <p>The ledger ({@value #LEDGER}) lists the files Plinth owns; a render removes owned files it
 * no longer produces and never touches any other file.
 */
public final class OutputWriter {
    public static final String LEDGER = ".plinth-ledger";
    /** In the backup folder: the previous content of the files a render rewrites in place. */
    private static final String REPLACED = "replaced.bin";
    private static final String LEDGER_HEADER = "# Files owned by Plinth: a render rewrites or removes exactly these.";

    /** What changed on disk. */
    public record Summary(int files, int written, int unchanged, int removed) {
    }

    /** For tests: fail after this many applied changes, as a killed process would stop. */
    static volatile int crashAfterChanges = -1;

    private OutputWriter() {
    }

    /**
     * Entry point of the stage.
     *
     * @param inScope which owned paths this render is responsible for (all of them, unless only
     *                some environments are rendered); owned paths outside it are kept
     */
    public static Summary write(Path out, SortedMap<String, String> files, Predicate<String> inScope) {
        return write(out, files, inScope, OutputIndex.none());
    }

    /** @param index what the last render knew of the files, to compare without reading; updated and saved */
    public static Summary write(Path out, SortedMap<String, String> files, Predicate<String> inScope, OutputIndex index) {
        return write(out, OutputFile.of(files), inScope, index, 1, () -> {
        });
    }

    /**
     * @param alongside work done on another thread while the writer holds the output's lock (the
     *                  render saves its caches: writing is one thread waiting on the file system),
     *                  and always finished before the lock is released; not started without the lock
     */
    public static Summary write(Path out, SortedMap<String, OutputFile> files, Predicate<String> inScope, OutputIndex index,
                                int jobs, Runnable alongside) {
        Paths p = Paths.of(out);
        try {
            Files.createDirectories(p.out.getParent());
            try (FileChannel channel = FileChannel.open(p.lock, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock lock = channel.tryLock()) {
                if (lock == null) {
                    throw PlinthException.of(Loc.file(p.out.getFileName().toString()),
                            "another render is writing this output right now (" + p.lock + " is locked)");
                }
                java.util.concurrent.Future<Void> other = Parallel.inBackground(() -> {
                    alongside.run();
                    return null;
                });
                Summary summary;
                try {
                    summary = writeLocked(p, files, inScope, index, jobs);
                } catch (Throwable t) {
                    try {
                        Parallel.join(other); // still under the lock; the write's failure is the one reported
                    } catch (RuntimeException | Error e) {
                        t.addSuppressed(e);
                    }
                    throw t;
                }
                Parallel.join(other);
                index.save(); // while no other render can be writing
                return summary;
            } finally {
                Files.deleteIfExists(p.lock);
            }
        } catch (java.nio.channels.OverlappingFileLockException e) {
            throw PlinthException.of(Loc.file(p.out.getFileName().toString()), "another render in this process is writing this output");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + p.out + ": " + e.getMessage(), e);
        }
    }

    /**
     * Repairs what an interrupted earlier run left behind: rolls back a half-applied change set
     * and drops staging and backup trees. Runs before anything else, so even a render that then
     * fails on bad input leaves the previous output in place.
     */
    public static void recoverInterrupted(Path out) {
        try {
            recover(Paths.of(out));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot repair " + out + ": " + e.getMessage(), e);
        }
    }

    /** The output and the sibling paths the writer uses. */
    private record Paths(Path out, Path staging, Path backup, Path journal, Path lock) {
        static Paths of(Path out) {
            Path p = out.toAbsolutePath().normalize();
            try {
                if (Files.isSymbolicLink(p)) p = p.toRealPath(); // write into the directory a link names
            } catch (IOException e) {
                // a dangling link: write beside it as given
            }
            String n = p.getFileName().toString();
            return new Paths(p, p.resolveSibling(n + ".plinth-staging"), p.resolveSibling(n + ".plinth-backup"),
                    p.resolveSibling(n + ".plinth-journal"), p.resolveSibling(n + ".plinth-lock"));
        }
    }

    /** A file's content digest and whether the file on disk already has it. */
    private record Compared(String rel, String digest, boolean same) {
    }

    private static Summary writeLocked(Paths p, SortedMap<String, OutputFile> files, Predicate<String> inScope,
                                       OutputIndex index, int jobs) throws IOException {
        recover(p);
        Set<String> owned = new java.util.HashSet<>(ledgerLines(p.out)); // looked up 40,000 times: hashed
        checkConflicts(p.out, files, owned);

        // what changes: files whose bytes differ, owned files no longer produced, the ledger
        SortedMap<String, String> writes = new TreeMap<>();
        SortedSet<String> deletes = new TreeSet<>();
        int unchanged = 0;
        java.util.Map<String, String> digests = new java.util.HashMap<>();
        List<Compared> compared = Parallel.map(new ArrayList<>(files.entrySet()), jobs, e -> {
            String digest = e.getValue().digest().checksum();
            // a file Plinth does not own does not exist (checkConflicts made sure): nothing to compare,
            // and no failed stat (each one an exception in the JDK) per new file
            if (!owned.contains(e.getKey())) return new Compared(e.getKey(), digest, false);
            try {
                return new Compared(e.getKey(), digest, index.same(p.out, e.getKey(), e.getValue()));
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        });
        for (Compared c : compared) {
            digests.put(c.rel(), c.digest());
            if (c.same()) unchanged++;
            else writes.put(c.rel(), files.get(c.rel()).text());
        }
        SortedSet<String> ledger = new TreeSet<>(files.keySet());
        Set<String> produced = new java.util.HashSet<>(files.keySet());
        for (String rel : owned) {
            if (produced.contains(rel)) continue;
            if (inScope.test(rel)) {
                if (Files.exists(p.out.resolve(rel), LinkOption.NOFOLLOW_LINKS)) deletes.add(rel);
            } else {
                ledger.add(rel); // another environment's file: still owned, left alone
            }
        }
        String ledgerText = ledgerText(ledger);
        if (!sameContent(p.out.resolve(LEDGER), ledgerText.getBytes(StandardCharsets.UTF_8))) writes.put(LEDGER, ledgerText);
        if (writes.isEmpty() && deletes.isEmpty()) return new Summary(files.size(), 0, unchanged, 0);

        SortedSet<String> created = new TreeSet<>();
        SortedSet<String> replaced = new TreeSet<>();
        for (String rel : writes.keySet()) {
            // a file Plinth does not own does not exist (checkConflicts made sure): no stat needed
            boolean exists = (owned.contains(rel) || rel.equals(LEDGER)) && Files.exists(p.out.resolve(rel), LinkOption.NOFOLLOW_LINKS);
            (exists ? replaced : created).add(rel);
        }
        Map<String, long[]> inPlace = backUpReplaced(p, replaced);
        writeJournal(p, created, replaced, inPlace, deletes);
        apply(p, writes, created, inPlace, deletes);
        Files.delete(p.journal); // the commit
        deleteTree(p.backup);
        for (String rel : writes.keySet()) {
            if (!rel.equals(LEDGER)) index.record(p.out, rel, digests.get(rel));
        }
        deletes.forEach(index::forget);
        int written = (int) writes.keySet().stream().filter(k -> !k.equals(LEDGER)).count();
        return new Summary(files.size(), written, unchanged, deletes.size());
    }

    /**
     * Copies the current content of the replaced regular files into one backup file (made
     * durable), so that they can be rewritten in place: no new inode per file and no tree of
     * moved-away files to delete afterwards (ext4 is slow to create files right after many
     * were deleted). Returns offset and length in the backup by file; other replaced paths
     * (links, say) are moved aside as before.
     */
    private static Map<String, long[]> backUpReplaced(Paths p, SortedSet<String> replaced) throws IOException {
        Map<String, long[]> where = new java.util.HashMap<>();
        if (replaced.isEmpty()) return where;
        Files.createDirectories(p.backup);
        try (FileChannel ch = FileChannel.open(p.backup.resolve(REPLACED), StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            long offset = 0;
            for (String rel : replaced) {
                Path target = p.out.resolve(rel);
                if (!rewritableInPlace(target)) continue;
                byte[] old = Files.readAllBytes(target);
                ch.write(java.nio.ByteBuffer.wrap(old));
                where.put(rel, new long[]{offset, old.length});
                offset += old.length;
            }
            ch.force(true);
        }
        return where;
    }

    /**
     * A regular file that can be written and has no other name: anything else (a link, a
     * read-only file, a file hard-linked into a snapshot) is moved aside and written anew, which
     * needs only the directory to be writable and leaves other names of the file alone.
     */
    private static boolean rewritableInPlace(Path file) throws IOException {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) || !Files.isWritable(file)) return false;
        try {
            return ((Number) Files.getAttribute(file, "unix:nlink", LinkOption.NOFOLLOW_LINKS)).intValue() == 1;
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            return true; // no link count on this file system (Windows): links there are rare
        }
    }

    /**
     * The change set, made durable before the first change is applied: N created, R rewritten
     * in place (offset and length of the old content in the backup file), W moved aside and
     * written anew, D deleted (moved aside).
     */
    private static void writeJournal(Paths p, SortedSet<String> created, SortedSet<String> replaced,
                                     Map<String, long[]> inPlace, SortedSet<String> deletes) throws IOException {
        StringBuilder sb = new StringBuilder("# plinth journal: a render was applying these changes\n");
        created.forEach(w -> sb.append("N ").append(w).append('\n'));
        for (String w : replaced) {
            long[] at = inPlace.get(w);
            if (at != null) sb.append("R ").append(at[0]).append(' ').append(at[1]).append(' ').append(w).append('\n');
            else sb.append("W ").append(w).append('\n');
        }
        deletes.forEach(d -> sb.append("D ").append(d).append('\n'));
        Path tmp = p.journal.resolveSibling(p.journal.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(sb.toString().getBytes(StandardCharsets.UTF_8)));
            ch.force(true);
        }
        Files.move(tmp, p.journal, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void apply(Paths p, SortedMap<String, String> writes, SortedSet<String> created,
                              Map<String, long[]> inPlace, SortedSet<String> deletes) throws IOException {
        int applied = 0;
        java.util.Set<Path> directories = new java.util.HashSet<>(); // made or seen: one mkdir per directory
        for (var e : writes.entrySet()) {
            crashPoint(applied++);
            Path target = p.out.resolve(e.getKey());
            if (!created.contains(e.getKey()) && !inPlace.containsKey(e.getKey())) {
                Path backup = p.backup.resolve(e.getKey());
                if (directories.add(backup.getParent())) Files.createDirectories(backup.getParent());
                Files.move(target, backup, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            if (directories.add(target.getParent())) Files.createDirectories(target.getParent());
            Files.write(target, e.getValue().getBytes(StandardCharsets.UTF_8));
        }
        for (String rel : deletes) {
            crashPoint(applied++);
            Path target = p.out.resolve(rel);
            moveInto(target, p.backup.resolve(rel));
            removeEmptyParents(target.getParent(), p.out);
        }
    }

    private static void crashPoint(int applied) {
        if (crashAfterChanges >= 0 && applied >= crashAfterChanges) {
            throw new IllegalStateException("simulated crash after " + applied + " changes");
        }
    }

    /** Rolls back a journal left by an interrupted run and drops leftovers. */
    private static void recover(Paths p) throws IOException {
        if (Files.isRegularFile(p.journal)) {
            for (String line : Files.readAllLines(p.journal, StandardCharsets.UTF_8)) {
                if (line.length() < 3 || line.startsWith("#")) continue;
                String[] restore = line.startsWith("R ") ? line.split(" ", 4) : null;
                String rel = restore != null ? restore[3] : line.substring(2);
                if (rel.startsWith("/") || rel.contains("..")) continue; // never follow a path out of the tree
                Path target = p.out.resolve(rel);
                Path backup = p.backup.resolve(rel);
                if (restore != null) {
                    // rewritten in place, maybe half written: the old content comes back from the backup file
                    Files.write(target, readBackup(p, Long.parseLong(restore[1]), Integer.parseInt(restore[2])));
                } else if (line.startsWith("N ")) {
                    // a file this run created, maybe half written
                    if (Files.deleteIfExists(target)) removeEmptyParents(target.getParent(), p.out);
                } else if (Files.exists(backup, LinkOption.NOFOLLOW_LINKS)) {
                    moveInto(backup, target); // the previous file comes back
                }
                // no backup: the change never started, the file is the previous one
            }
            Files.delete(p.journal);
        }
        Files.deleteIfExists(p.journal.resolveSibling(p.journal.getFileName() + ".tmp"));
        deleteTree(p.backup);
        deleteTree(p.staging);
        // leftovers of the earlier whole-tree swap
        Path old = p.out.resolveSibling(p.out.getFileName() + ".plinth-old");
        if (Files.exists(old)) {
            if (!Files.exists(p.out)) Files.move(old, p.out, StandardCopyOption.ATOMIC_MOVE);
            else deleteTree(old);
        }
    }

    private static byte[] readBackup(Paths p, long offset, int length) throws IOException {
        try (FileChannel ch = FileChannel.open(p.backup.resolve(REPLACED), StandardOpenOption.READ)) {
            java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate(length);
            while (buffer.hasRemaining()) {
                if (ch.read(buffer, offset + buffer.position()) < 0) throw new IOException("the backup of replaced files is cut short");
            }
            return buffer.array();
        }
    }

    private static void moveInto(Path from, Path to) throws IOException {
        Files.createDirectories(to.getParent());
        Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Removes directories that the removal of owned files left empty, up to the output root. */
    private static void removeEmptyParents(Path dir, Path root) throws IOException {
        while (dir != null && !dir.equals(root) && dir.startsWith(root) && Files.isDirectory(dir)) {
            try (Stream<Path> s = Files.list(dir)) {
                if (s.findAny().isPresent()) return;
            }
            Files.delete(dir);
            dir = dir.getParent();
        }
    }

    /** The owned files of an output directory (empty when there is none). */
    public static SortedSet<String> readLedger(Path out) throws IOException {
        return new TreeSet<>(ledgerLines(out));
    }

    /**
     * The owned files as the ledger lists them (sorted, as written), without sorting them again:
     * a render and the no-op check read 20,000 paths that share long prefixes.
     */
    public static List<String> ledgerLines(Path out) throws IOException {
        List<String> owned = new ArrayList<>();
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

    private static String ledgerText(SortedSet<String> ledger) {
        StringBuilder sb = new StringBuilder(LEDGER_HEADER).append('\n');
        for (String f : ledger) sb.append(f).append('\n');
        return sb.toString();
    }

    private static void checkConflicts(Path out, SortedMap<String, OutputFile> files, Set<String> owned) {
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

    /** Size first, then bytes: most unchanged files are told apart without reading them twice. */
    private static boolean sameContent(Path p, byte[] want) throws IOException {
        if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) return false;
        return Files.size(p) == want.length && Arrays.equals(Files.readAllBytes(p), want);
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
