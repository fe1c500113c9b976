package dev.plinth.cache;

import dev.plinth.definitions.Library;
import dev.plinth.output.OutputWriter;
import dev.plinth.values.CheckedFile;
import dev.plinth.values.Strings;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.nio.file.InvalidPathException;
import java.util.function.Function;
import java.util.stream.IntStream;

/**
 * The no-op fast path: a digest of everything a render reads (path, size and modification time
 * of every input file, the built-in library, the options) and of the output it left (the same
 * for every owned file). When both match the last render's, nothing can have changed and the
 * render stops before reading a single spec. Size and time, not content: a file rewritten with
 * other bytes of the same size in the same millisecond would be missed, which `--full` covers.
 */
public final class Fingerprint {
    private static final String FILE = "fingerprint.txt";

    /**
     * The last render's fingerprints, what it produced (for the summary line) and the library and
     * CRD folders platform.yaml named, so that the next check need not read platform.yaml: while
     * its size and time are the same, so are they.
     */
    public record Stored(String inputs, String outputs, int clusters, int files, List<Path> roots) {
        public Stored {
            roots = List.copyOf(roots);
        }
    }

    private Fingerprint() {
    }

    /**
     * Digest of the inputs: spec files, the library and CRD folders (the platform's and those of
     * the options), the compiler and built-in library build, and the options.
     */
    public static String inputs(Path root, List<Path> folders, String options) {
        StringBuilder text = new StringBuilder("plinth " + Library.builtinFingerprint() + "\n" + options + "\n");
        statTree(text, root, root.resolve("platform.yaml"));
        statTree(text, root, root.resolve("environments"));
        for (Path p : folders) statTree(text, root, p);
        return digest(text);
    }

    /** Digest of the owned output files as they are on disk now (stat calls on two threads). */
    public static String outputs(Path out) {
        return outputs(out, rel -> null);
    }

    /**
     * The same digest, taking size and time from {@code known} (the files a render just wrote
     * or compared) where it has them, and from the disk for the others.
     */
    public static String outputs(Path out, Function<String, long[]> known) {
        try {
            Path ledger = out.resolve(OutputWriter.LEDGER);
            if (!Files.isRegularFile(ledger)) return "";
            List<String> owned = OutputWriter.ledgerLines(out);
            String[] lines = new String[owned.size()];
            IntStream.range(0, owned.size()).parallel()
                    .forEach(i -> {
                        long[] seen = known.apply(owned.get(i));
                        lines[i] = seen != null ? line(owned.get(i), seen[0], seen[1]) : stat(owned.get(i), out.resolve(owned.get(i)));
                    });
            StringBuilder text = new StringBuilder(lines.length * 64).append(stat("ledger", ledger));
            for (String line : lines) text.append(line);
            // a file's own stat does not see a directory on its way replaced by a link to a copy
            // (a pull request can plant one): the kind of every such directory is part of the digest
            List<String> directories = OutputWriter.directoriesOnTheWay(owned);
            String[] kinds = new String[directories.size()];
            IntStream.range(0, kinds.length).parallel()
                    .forEach(i -> kinds[i] = directories.get(i) + "\t" + OutputWriter.DirectoryKind.of(out.resolve(directories.get(i))) + "\n");
            for (String kind : kinds) text.append(kind);
            return digest(text);
        } catch (IOException e) {
            return "";
        }
    }

    public static Stored read(Path cacheDir) {
        try {
            // checked like every cache file: one damaged, cut short, or not a regular file is no fast path
            String text = CheckedFile.read(cacheDir.resolve(FILE));
            if (text == null) return null;
            List<String> lines = text.lines().toList();
            if (lines.size() < 4) return null;
            List<Path> roots = new ArrayList<>();
            for (String r : lines.subList(4, lines.size())) roots.add(Path.of(r));
            return new Stored(lines.get(0), lines.get(1), Integer.parseInt(lines.get(2)), Integer.parseInt(lines.get(3)), roots);
        } catch (IOException | NumberFormatException | InvalidPathException e) {
            return null; // absent or damaged: no fast path
        }
    }

    public static void write(Path cacheDir, Stored stored) {
        try {
            CheckedFile.directory(cacheDir);
            StringBuilder sb = new StringBuilder();
            sb.append(stored.inputs()).append('\n').append(stored.outputs()).append('\n')
                    .append(stored.clusters()).append('\n').append(stored.files()).append('\n');
            for (Path r : stored.roots()) sb.append(r).append('\n');
            CheckedFile.write(cacheDir.resolve(FILE), sb.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Forgets the fingerprint, so the next render does the work (after a failed render, say). */
    public static void clear(Path cacheDir) {
        try {
            Path file = cacheDir.resolve(FILE);
            if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) CheckedFile.deleteTree(file); // a folder in its place too
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void statTree(StringBuilder text, Path root, Path start) {
        if (!Files.exists(start, LinkOption.NOFOLLOW_LINKS)) {
            text.append("absent ").append(start).append('\n');
            return;
        }
        List<String> entries = new ArrayList<>();
        try {
            Files.walkFileTree(start, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path f, BasicFileAttributes a) {
                    entries.add(root.relativize(f) + "\t" + a.size() + "\t" + a.lastModifiedTime().toMillis());
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        entries.sort(null); // walk order depends on the file system
        for (String e : entries) text.append(e).append('\n');
    }

    /** One line per file: its name, size and time, or that it is missing (one system call). */
    private static String stat(String name, Path file) {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return line(name, a.size(), a.lastModifiedTime().toMillis());
        } catch (IOException e) {
            return name + "\tmissing\n";
        }
    }

    private static String line(String name, long size, long mtime) {
        return name + "\t" + size + "\t" + mtime + "\n";
    }

    /**
     * The stat lines' checksum (see {@link Strings#checksum}): computed on every render and every
     * no-op, where SHA-256, without an intrinsic under C1, cost tens of milliseconds. Nobody
     * crafts mtimes to collide, and a chance collision (about 2^-64) is what `--full` is for.
     */
    private static String digest(StringBuilder text) {
        return Strings.checksum(text.toString().getBytes(StandardCharsets.UTF_8));
    }
}
