package dev.plinth.output;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import dev.plinth.values.CheckedFile;
import dev.plinth.values.Strings;
import java.nio.file.NoSuchFileException;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the writer knows of the files it wrote: size, modification time and content digest. A
 * file whose size and time still match is compared with its new content by digest, without
 * reading it; any other file is read. Kept in the render cache; safe to lose.
 */
public final class OutputIndex {
    private record State(long size, long mtime, String digest) {
    }

    private final Path file;
    private final Map<String, State> states = new ConcurrentHashMap<>();
    /** Files whose state was checked against the disk (or recorded) during this render. */
    private final Set<String> verified = ConcurrentHashMap.newKeySet();

    private OutputIndex(Path file) {
        this.file = file;
    }

    /** An index that remembers nothing: every comparison reads the file. */
    public static OutputIndex none() {
        return new OutputIndex(null);
    }

    public static OutputIndex load(Path cacheDir) {
        OutputIndex index = new OutputIndex(cacheDir.resolve("outputs.tsv"));
        try {
            // checked (see CheckedFile): an edited index would have unchanged-looking files left as they are
            String text = CheckedFile.read(index.file);
            if (text != null) {
                for (String line : text.split("\n")) {
                    String[] f = line.split("\t");
                    if (f.length == 4) index.states.put(f[0], new State(Long.parseLong(f[1]), Long.parseLong(f[2]), f[3]));
                }
            }
        } catch (IOException | NumberFormatException e) {
            index.states.clear(); // damaged: compare by reading
        }
        return index;
    }

    /**
     * True when the file on disk holds exactly the file's bytes (called from several threads).
     * A file whose size and time are as the index has them is compared by checksum, without
     * producing its text; any other is read and compared byte by byte.
     */
    boolean same(Path out, String rel, OutputFile want) throws IOException {
        Path p = out.resolve(rel);
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return false;
        }
        if (!a.isRegularFile() || a.size() != want.digest().length()) return false;
        State s = states.get(rel);
        if (s != null && s.size() == a.size() && s.mtime() == a.lastModifiedTime().toMillis()) {
            verified.add(rel);
            return s.digest().equals(want.digest().checksum());
        }
        byte[] disk = Files.readAllBytes(p);
        boolean same = Arrays.equals(disk, want.bytes());
        if (same) record(out, rel, Strings.checksum(disk));
        return same;
    }

    /** Notes a file as it is on disk now, with the hash of the content just written or verified. */
    void record(Path out, String rel, String digest) throws IOException {
        if (file == null) return;
        BasicFileAttributes a = Files.readAttributes(out.resolve(rel), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        states.put(rel, new State(a.size(), a.lastModifiedTime().toMillis(), digest));
        verified.add(rel);
    }

    /**
     * Size and modification time of a file as this render saw or left it, or null when it did
     * not look at the file: the no-op fingerprint need not stat it again.
     */
    public long[] seenThisRun(String rel) {
        State s = verified.contains(rel) ? states.get(rel) : null;
        return s == null ? null : new long[]{s.size(), s.mtime()};
    }

    void forget(String rel) {
        verified.remove(rel);
        states.remove(rel);
    }

    public void save() {
        if (file == null) return;
        StringBuilder sb = new StringBuilder();
        // in no particular order: the index is a cache, and sorting every output path is not free
        states.forEach((rel, s) -> sb.append(rel).append('\t').append(s.size()).append('\t').append(s.mtime())
                .append('\t').append(s.digest()).append('\n'));
        try {
            CheckedFile.directory(file.getParent());
            CheckedFile.write(file, sb.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
