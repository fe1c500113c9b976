package dev.plinth.incremental;

import dev.plinth.definitions.Library;
import dev.plinth.output.OutputWriter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

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
        MessageDigest md = sha256();
        update(md, "plinth " + Library.builtinFingerprint() + "\n" + options + "\n");
        statTree(md, root, root.resolve("platform.yaml"));
        statTree(md, root, root.resolve("environments"));
        for (Path p : folders) statTree(md, root, p);
        return HexFormat.of().formatHex(md.digest());
    }

    /** Digest of the owned output files as they are on disk now (stat calls on two threads). */
    public static String outputs(Path out) {
        return outputs(out, rel -> null);
    }

    /**
     * The same digest, taking size and time from {@code known} (the files a render just wrote
     * or compared) where it has them, and from the disk for the others.
     */
    public static String outputs(Path out, java.util.function.Function<String, long[]> known) {
        MessageDigest md = sha256();
        try {
            Path ledger = out.resolve(OutputWriter.LEDGER);
            if (!Files.isRegularFile(ledger)) return "";
            update(md, stat("ledger", ledger));
            List<String> owned = new ArrayList<>(OutputWriter.readLedger(out));
            String[] lines = new String[owned.size()];
            java.util.stream.IntStream.range(0, owned.size()).parallel()
                    .forEach(i -> {
                        long[] seen = known.apply(owned.get(i));
                        lines[i] = seen != null ? line(owned.get(i), seen[0], seen[1]) : stat(owned.get(i), out.resolve(owned.get(i)));
                    });
            StringBuilder text = new StringBuilder(lines.length * 64);
            for (String line : lines) text.append(line);
            update(md, text.toString()); // one update: the digest's per-call cost is most of it otherwise
        } catch (IOException e) {
            return "";
        }
        return HexFormat.of().formatHex(md.digest());
    }

    public static Stored read(Path cacheDir) {
        try {
            List<String> lines = Files.readAllLines(cacheDir.resolve(FILE), StandardCharsets.UTF_8);
            if (lines.size() < 4) return null;
            List<Path> roots = new ArrayList<>();
            for (String r : lines.subList(4, lines.size())) roots.add(Path.of(r));
            return new Stored(lines.get(0), lines.get(1), Integer.parseInt(lines.get(2)), Integer.parseInt(lines.get(3)), roots);
        } catch (IOException | NumberFormatException | java.nio.file.InvalidPathException e) {
            return null; // absent or damaged: no fast path
        }
    }

    public static void write(Path cacheDir, Stored stored) {
        try {
            Files.createDirectories(cacheDir);
            StringBuilder sb = new StringBuilder();
            sb.append(stored.inputs()).append('\n').append(stored.outputs()).append('\n')
                    .append(stored.clusters()).append('\n').append(stored.files()).append('\n');
            for (Path r : stored.roots()) sb.append(r).append('\n');
            Files.writeString(cacheDir.resolve(FILE), sb.toString(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Forgets the fingerprint, so the next render does the work (after a failed render, say). */
    public static void clear(Path cacheDir) {
        try {
            Files.deleteIfExists(cacheDir.resolve(FILE));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void statTree(MessageDigest md, Path root, Path start) {
        if (!Files.exists(start, LinkOption.NOFOLLOW_LINKS)) {
            update(md, "absent " + start + "\n");
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
        for (String e : entries) update(md, e + "\n");
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

    private static void update(MessageDigest md, String s) {
        md.update(s.getBytes(StandardCharsets.UTF_8));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
