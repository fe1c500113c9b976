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
import dev.plinth.values.Strings;
import java.nio.ByteBuffer;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

/**
 * Stage 5, write: brings the output directory to the rendered files, touching only files whose
 * bytes change, all or nothing.
 *
 * <p>Everything happens under the output's lock ({@link OutputLock}). First a journal listing
 * every change (new, replaced and deleted files) is written and made durable; then each change is
 * applied: the old content of a file rewritten in place is first copied into a backup file, a
 * file to be replaced by a new inode or deleted is moved to a backup tree beside the output, and
 * a new file is written beside the output and renamed into place only where no file exists (so a
 * file another process created meanwhile is never overwritten, and no half-written file ever has
 * an output path); then the journal is deleted, which is the commit. A run that dies before the
 * journal exists leaves the output untouched; one that dies or fails while applying is rolled
 * back (by itself when it fails, by the next command that takes the lock when it was killed),
 * which deletes the files it created, if they still hold exactly what it wrote, and puts the
 * backups back. So after any run the output is either the previous one or the new one; while a
 * journal is present it may be neither, and {@code verify} refuses to call it clean.
 *
 * <p>The ledger ({@value #LEDGER}) lists the files Plinth owns; a render removes owned files it
 * no longer produces and never touches any other file. The ledger is input like any other: an
 * entry that is not a plain relative path inside the output is refused, and so is any path that
 * runs through a symbolic link inside the output.
 */
public final class OutputWriter {
    public static final String LEDGER = ".plinth-ledger";
    /** In the backup folder: the previous content of the files a render rewrites in place. */
    private static final String REPLACED = "replaced.bin";
    /** In the backup folder: new files, written there and then renamed into place. */
    private static final String NEW = "new";
    /** For the crash harness (bench/crash.sh): a pause before each change, so that kills land while writing. */
    private static final long PAUSE_MILLIS = Long.getLong("plinth.writer.pauseMillis", 0);
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
        try (OutputLock ignored = OutputLock.acquire(out)) {
            Future<Void> other = Parallel.inBackground(() -> {
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
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + p.out + ": " + e.getMessage(), e);
        }
    }

    /**
     * Repairs what an interrupted earlier run left behind: rolls back a half-applied change set
     * and drops the backup. Takes the output's lock (callers that read the output
     * afterwards hold it themselves, so that no render starts in between): never while another
     * command is writing.
     */
    public static void recoverInterrupted(Path out) {
        try (OutputLock ignored = OutputLock.acquire(out)) {
            recover(Paths.of(out));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot repair " + out + ": " + e.getMessage(), e);
        }
    }

    /**
     * The journal of an interrupted write, when one is beside the output (then the output may be
     * a mix of two renders until a render rolls it back), else null.
     */
    public static Path interruptedJournal(Path out) {
        Path journal = Paths.of(out).journal;
        return Files.exists(journal, LinkOption.NOFOLLOW_LINKS) ? journal : null;
    }

    /** The output directory as the writer uses it: absolute, and the directory a link names. */
    static Path resolve(Path out) {
        return Paths.of(out).out;
    }

    /** The output and the sibling paths the writer uses. */
    private record Paths(Path out, Path backup, Path journal) {
        static Paths of(Path out) {
            Path p = out.toAbsolutePath().normalize();
            try {
                if (Files.isSymbolicLink(p)) p = p.toRealPath(); // write into the directory a link names
            } catch (IOException e) {
                // a dangling link: write beside it as given
            }
            String n = p.getFileName().toString();
            return new Paths(p, p.resolveSibling(n + ".plinth-backup"),
                    p.resolveSibling(n + ".plinth-journal"));
        }
    }

    /** A file's content digest and whether the file on disk already has it. */
    private record Compared(String rel, OutputFile.Digest digest, boolean same) {
    }

    private static Summary writeLocked(Paths p, SortedMap<String, OutputFile> files, Predicate<String> inScope,
                                       OutputIndex index, int jobs) throws IOException {
        recover(p);
        Set<String> owned = new HashSet<>(ledgerLines(p.out)); // looked up 40,000 times: hashed
        requireNoLinks(p.out, files.keySet(), owned);
        checkConflicts(p.out, files, owned);

        // what changes: files whose bytes differ, owned files no longer produced, the ledger
        SortedMap<String, String> writes = new TreeMap<>();
        SortedSet<String> deletes = new TreeSet<>();
        int unchanged = 0;
        Map<String, OutputFile.Digest> digests = new HashMap<>();
        List<Compared> compared = Parallel.map(new ArrayList<>(files.entrySet()), jobs, e -> {
            OutputFile.Digest digest = e.getValue().digest();
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
        Set<String> produced = new HashSet<>(files.keySet());
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
        Map<String, OutputFile.Digest> sums = new HashMap<>();
        for (String rel : created) sums.put(rel, rel.equals(LEDGER) ? OutputFile.Digest.of(writes.get(rel)) : digests.get(rel));
        Map<String, long[]> inPlace;
        try {
            inPlace = backUpReplaced(p, replaced);
            writeJournal(p, created, sums, replaced, inPlace, deletes);
        } catch (IOException | RuntimeException e) {
            deleteTree(p.backup); // nothing was changed yet
            throw e;
        }
        try {
            apply(p, writes, created, inPlace, deletes);
        } catch (SimulatedCrash e) {
            throw e; // as a killed process: the next command rolls back
        } catch (IOException | RuntimeException | Error e) {
            try {
                recover(p); // the old output comes back before the error is told
            } catch (IOException | RuntimeException r) {
                e.addSuppressed(r);
                throw e;
            }
            if (e instanceof FileAlreadyExistsException x) {
                throw PlinthException.of(Loc.file(p.out.getFileName() + "/" + p.out.relativize(Path.of(x.getFile()))),
                        "another process created this file while Plinth was writing the output; it was left alone, and the "
                                + "output was rolled back to what it was before this render");
            }
            if (e instanceof FileSystemException x && x.getFile() != null) {
                Path f = Path.of(x.getFile());
                String where = f.startsWith(p.out) ? p.out.getFileName() + "/" + p.out.relativize(f) : f.toString();
                throw PlinthException.of(Loc.file(where), "cannot write this file: "
                        + (x.getReason() != null ? x.getReason() : x.getClass().getSimpleName())
                        + "; the output was rolled back to what it was before this render");
            }
            throw e;
        }
        Files.delete(p.journal); // the commit
        deleteTree(p.backup);
        for (String rel : writes.keySet()) {
            if (!rel.equals(LEDGER)) index.record(p.out, rel, digests.get(rel).checksum());
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
        Map<String, long[]> where = new HashMap<>();
        if (replaced.isEmpty()) return where;
        Files.createDirectories(p.backup);
        try (FileChannel ch = FileChannel.open(p.backup.resolve(REPLACED), StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            long offset = 0;
            for (String rel : replaced) {
                Path target = p.out.resolve(rel);
                if (!rewritableInPlace(target)) continue;
                byte[] old = Files.readAllBytes(target);
                ch.write(ByteBuffer.wrap(old));
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
     * The change set, made durable before the first change is applied: C created (length and
     * checksum of the content: only a file that still holds it is deleted on rollback), R
     * rewritten in place (offset and length of the old content in the backup file), W moved aside
     * and written anew, D deleted (moved aside).
     */
    private static void writeJournal(Paths p, SortedSet<String> created, Map<String, OutputFile.Digest> sums,
                                     SortedSet<String> replaced, Map<String, long[]> inPlace, SortedSet<String> deletes) throws IOException {
        StringBuilder sb = new StringBuilder("# plinth journal: a render was applying these changes\n");
        for (String w : created) {
            OutputFile.Digest digest = sums.get(w);
            sb.append("C ").append(digest.length()).append(' ').append(digest.checksum()).append(' ').append(w).append('\n');
        }
        for (String w : replaced) {
            long[] at = inPlace.get(w);
            if (at != null) sb.append("R ").append(at[0]).append(' ').append(at[1]).append(' ').append(w).append('\n');
            else sb.append("W ").append(w).append('\n');
        }
        deletes.forEach(d -> sb.append("D ").append(d).append('\n'));
        Path tmp = p.journal.resolveSibling(p.journal.getFileName() + ".tmp");
        Files.deleteIfExists(tmp); // a link planted there is removed, never written through
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(sb.toString().getBytes(StandardCharsets.UTF_8)));
            ch.force(true);
        }
        Files.move(tmp, p.journal, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void apply(Paths p, SortedMap<String, String> writes, SortedSet<String> created,
                              Map<String, long[]> inPlace, SortedSet<String> deletes) throws IOException {
        int applied = 0;
        Set<Path> directories = new HashSet<>(); // made or seen: one mkdir per directory
        Path fresh = p.backup.resolve(NEW);
        for (var e : writes.entrySet()) {
            crashPoint(applied++);
            Path target = p.out.resolve(e.getKey());
            byte[] bytes = e.getValue().getBytes(StandardCharsets.UTF_8);
            if (inPlace.containsKey(e.getKey())) {
                Files.write(target, bytes, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING, LinkOption.NOFOLLOW_LINKS);
                continue;
            }
            if (!created.contains(e.getKey())) {
                Path backup = p.backup.resolve(e.getKey());
                if (directories.add(backup.getParent())) Files.createDirectories(backup.getParent());
                Files.move(target, backup, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            if (directories.add(target.getParent())) Files.createDirectories(target.getParent());
            // written beside the output, then renamed into place unless a file is there by now
            if (directories.add(fresh)) Files.createDirectories(fresh);
            Path tmp = fresh.resolve(Integer.toString(applied));
            Files.write(tmp, bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            Files.move(tmp, target);
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
            throw new SimulatedCrash("simulated crash after " + applied + " changes");
        }
        if (PAUSE_MILLIS > 0) {
            try {
                Thread.sleep(PAUSE_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** A test's stand-in for a kill: not rolled back by the run itself. */
    static final class SimulatedCrash extends IllegalStateException {
        SimulatedCrash(String message) {
            super(message);
        }
    }


    /**
     * Rolls back a journal left by an interrupted or failed run and drops leftovers. The journal
     * is input like the ledger: an entry that is not a plain path inside the output, or that runs
     * through a link in it, is refused and nothing is changed.
     */
    private static void recover(Paths p) throws IOException {
        for (Path sibling : List.of(p.journal, p.backup)) {
            if (Files.isSymbolicLink(sibling)) {
                throw PlinthException.of(Loc.file(sibling.toString()), "a symbolic link where Plinth keeps the output's "
                        + (sibling == p.journal ? "journal" : "backup") + "; Plinth never follows links beside its output: remove it");
            }
        }
        if (Files.isRegularFile(p.journal, LinkOption.NOFOLLOW_LINKS)) {
            List<String> lines = Files.readAllLines(p.journal, StandardCharsets.UTF_8);
            List<String[]> entries = new ArrayList<>(); // tag, path, and what the tag needs
            Diagnostics d = new Diagnostics();
            int n = 0;
            for (String line : lines) {
                n++;
                if (line.length() < 3 || line.startsWith("#")) continue;
                String[] e = switch (line.charAt(0)) {
                    case 'R', 'C' -> line.split(" ", 4);
                    default -> new String[]{line.substring(0, 1), line.substring(2)};
                };
                String rel = e[e.length - 1];
                boolean whole = e.length == ("RC".indexOf(e[0].charAt(0)) >= 0 ? 4 : 2) && "RCNWD".contains(e[0]);
                String unsafe = whole ? unsafeEntry(rel) : "a damaged entry";
                if (unsafe != null) {
                    d.error(new Loc(p.journal.toString(), n, 1), "the journal names " + rel + ", " + unsafe
                            + "; Plinth refuses to roll it back: remove " + p.journal.getFileName() + " and " + p.backup.getFileName());
                } else {
                    entries.add(e);
                }
            }
            d.throwIfErrors();
            List<String> paths = entries.stream().map(e -> e[e.length - 1]).toList();
            requireNoLinks(p.out, new TreeSet<>(paths), Set.of());
            for (String[] e : entries) {
                String rel = e[e.length - 1];
                Path target = p.out.resolve(rel);
                Path backup = p.backup.resolve(rel);
                switch (e[0]) {
                    case "R" -> {
                        // rewritten in place, maybe half written: the old content comes back from the backup file
                        if (Files.isSymbolicLink(target)) Files.delete(target); // never written through
                        Files.write(target, readBackup(p, Long.parseLong(e[1]), Integer.parseInt(e[2])));
                    }
                    case "C" -> {
                        // a file this run created: only while it holds exactly what the run wrote (else another
                        // process made it, and it is left alone); a half-written one never had this path
                        if (holds(target, Long.parseLong(e[1]), e[2]) && Files.deleteIfExists(target)) {
                            removeEmptyParents(target.getParent(), p.out);
                        }
                    }
                    case "N" -> {
                        // a journal of an earlier version, which wrote new files in place
                        if (Files.deleteIfExists(target)) removeEmptyParents(target.getParent(), p.out);
                    }
                    case "D" -> {
                        // the deleted file comes back, unless another process made a file there since
                        if (Files.exists(backup, LinkOption.NOFOLLOW_LINKS) && !Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                            moveInto(backup, target);
                        }
                    }
                    default -> {
                        // W: moved aside, maybe written anew: the previous file comes back
                        if (Files.exists(backup, LinkOption.NOFOLLOW_LINKS)) moveInto(backup, target);
                    }
                }
                // no backup: the change never started, the file is the previous one
            }
            Files.delete(p.journal);
        }
        Files.deleteIfExists(p.journal.resolveSibling(p.journal.getFileName() + ".tmp"));
        deleteTree(p.backup);
    }

    /** True when the file is a regular file of this length and checksum. */
    private static boolean holds(Path file, long length, String checksum) throws IOException {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) || Files.size(file) != length) return false;
        return Strings.checksum(Files.readAllBytes(file)).equals(checksum);
    }

    private static byte[] readBackup(Paths p, long offset, int length) throws IOException {
        try (FileChannel ch = FileChannel.open(p.backup.resolve(REPLACED), StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.allocate(length);
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
     * a render and the no-op check read 20,000 paths that share long prefixes. The ledger is
     * input (a pull request can change it): an entry that is not a plain relative path inside the
     * output, or a ledger that is a link, is an error naming it.
     */
    public static List<String> ledgerLines(Path out) throws IOException {
        Diagnostics d = new Diagnostics();
        List<String> owned = ledgerLines(out, (line, entry, why) -> d.error(new Loc(displayName(out) + "/" + LEDGER, line, 1),
                "the ledger names " + entry + ", " + why + "; Plinth refuses to follow it: correct or delete the ledger"));
        d.throwIfErrors();
        return owned;
    }

    /** Told of each ledger entry that is refused. */
    public interface Refused {
        void entry(int line, String entry, String why);
    }

    /** The ledger's safe entries; each unsafe one is told to {@code refused} (line 0: the ledger itself). */
    public static List<String> ledgerLines(Path out, Refused refused) throws IOException {
        List<String> owned = new ArrayList<>();
        Path ledger = out.resolve(LEDGER);
        if (Files.isSymbolicLink(ledger)) {
            refused.entry(0, LEDGER, "a symbolic link (to " + Files.readSymbolicLink(ledger) + ")");
            return owned;
        }
        if (!Files.isRegularFile(ledger, LinkOption.NOFOLLOW_LINKS)) return owned;
        int n = 0;
        for (String line : Files.readAllLines(ledger, StandardCharsets.UTF_8)) {
            n++;
            String l = line.trim();
            if (l.isEmpty() || l.startsWith("#")) continue;
            String why = l.equals(LEDGER) ? "the ledger itself" : unsafeEntry(l);
            if (why != null) refused.entry(n, l, why);
            else owned.add(l);
        }
        return owned;
    }

    /**
     * Why a path read from the ledger or the journal is not a plain relative path inside the
     * output, or null when it is one.
     */
    public static String unsafeEntry(String rel) {
        if (rel.isEmpty()) return "an empty path";
        if (rel.startsWith("/") || rel.contains("\\") || (rel.length() > 1 && rel.charAt(1) == ':')) return "an absolute path";
        if (rel.indexOf('\0') >= 0) return "a path with a NUL character";
        // segment by segment without splitting: a ledger has as many entries as the output has files
        for (int start = 0; start <= rel.length(); ) {
            int end = rel.indexOf('/', start);
            if (end < 0) end = rel.length();
            int length = end - start;
            if (length == 2 && rel.charAt(start) == '.' && rel.charAt(start + 1) == '.') return "a path out of the output";
            if (length == 0 || (length == 1 && rel.charAt(start) == '.')) return "not a plain relative path";
            start = end + 1;
        }
        return null;
    }

    /** A symbolic link on the way to a path under a root, and where it points. */
    public record Link(String path, String target) {
    }

    /**
     * The symbolic links among the directories of these paths under {@code root} (the paths
     * themselves may be links: those are replaced, never followed). Each directory is looked at
     * once, all of them in parallel; a link below a link or below a file is not reported.
     */
    @SafeVarargs
    public static SortedMap<String, Link> linksOnTheWay(Path root, Iterable<String>... relLists) throws IOException {
        List<String> directories = directoriesOnTheWay(relLists);
        DirectoryKind[] kinds = new DirectoryKind[directories.size()];
        IntStream.range(0, kinds.length).parallel()
                .forEach(i -> kinds[i] = DirectoryKind.of(root.resolve(directories.get(i))));
        SortedMap<String, Link> links = new TreeMap<>();
        List<String> blocked = new ArrayList<>(); // links and non-directories: what lies below them is not looked at
        for (int i = 0; i < kinds.length; i++) { // sorted: a directory comes before those inside it
            String dir = directories.get(i);
            if (!blocked.isEmpty() && below(dir, blocked)) continue;
            if (kinds[i] == DirectoryKind.LINK) links.put(dir, new Link(dir, Files.readSymbolicLink(root.resolve(dir)).toString()));
            if (kinds[i] != DirectoryKind.DIRECTORY) blocked.add(dir);
        }
        return links;
    }

    private static boolean below(String dir, List<String> directories) {
        for (String d : directories) if (dir.length() > d.length() && dir.charAt(d.length()) == '/' && dir.startsWith(d)) return true;
        return false;
    }

    /** The distinct directories on the way to these relative paths, sorted. */
    @SafeVarargs
    public static List<String> directoriesOnTheWay(Iterable<String>... relLists) {
        Set<String> directories = new HashSet<>();
        for (Iterable<String> rels : relLists) {
            String previous = ""; // sorted paths come by directory: most share the one before
            for (String rel : rels) {
                int last = rel.lastIndexOf('/');
                if (last <= 0 || (last == previous.length() && rel.startsWith(previous))) continue;
                previous = rel.substring(0, last);
                for (int slash = last; slash > 0; slash = rel.lastIndexOf('/', slash - 1)) {
                    if (!directories.add(rel.substring(0, slash))) break; // its parents are in already
                }
            }
        }
        List<String> sorted = new ArrayList<>(directories);
        Collections.sort(sorted);
        return sorted;
    }

    /** What is at a path that should be a directory, looked at without following a link (one system call). */
    public enum DirectoryKind {
        DIRECTORY, LINK, OTHER, MISSING;

        public static DirectoryKind of(Path path) {
            try {
                BasicFileAttributes a = Files.readAttributes(path,
                        BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                return a.isDirectory() ? DIRECTORY : a.isSymbolicLink() ? LINK : OTHER;
            } catch (IOException e) {
                return MISSING;
            }
        }
    }

    /** Refuses paths (new and owned) that run through a symbolic link inside the output: an error names each link. */
    private static void requireNoLinks(Path out, Set<String> produced, Set<String> owned) throws IOException {
        // owned files still produced are on the produced paths' ways already
        Set<String> hashed = produced instanceof HashSet<String> h ? h : new HashSet<>(produced);
        List<String> ownedOnly = new ArrayList<>();
        for (String rel : owned) if (!hashed.contains(rel)) ownedOnly.add(rel);
        Collections.sort(ownedOnly);
        SortedMap<String, Link> links = linksOnTheWay(out, produced, ownedOnly); // each directory looked at once
        if (links.isEmpty()) return;
        Diagnostics d = new Diagnostics();
        for (Link l : links.values()) {
            d.error(Loc.file(displayName(out) + "/" + l.path()), "a symbolic link inside the output (to " + l.target()
                    + "); Plinth never writes, reads or deletes through links: replace it with a directory or remove it");
        }
        throw new PlinthException(d);
    }

    private static String displayName(Path out) {
        Path name = out.getFileName();
        return name == null ? out.toString() : name.toString();
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
        for (Path p = out.toAbsolutePath().getParent(); p != null; p = p.getParent()) {
            if (Files.exists(p) && !Files.isDirectory(p)) {
                throw PlinthException.of(Loc.file(out.toString()), "the output path is inside " + p + ", which is not a directory");
            }
        }
    }
}
