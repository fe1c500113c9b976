package dev.plinth.output;

import dev.plinth.values.Strings;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * A file of the output: its text, or, for an object of a unit the render cache had, the length
 * and checksum of its YAML (see {@link Strings#checksum}) and how to write that YAML again. The
 * writer compares such a file with the disk by length and checksum, so the text of an unchanged
 * object is produced only if its file on disk was changed or lost.
 */
public final class OutputFile {
    private final Supplier<String> source;
    private volatile String text;
    private volatile Digest digest;

    /** The length in UTF-8 bytes and the checksum of a text, written as {@code LENGTH:CHECKSUM}. */
    public record Digest(int length, String checksum) {
        public static Digest of(String text) {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            return new Digest(bytes.length, Strings.checksum(bytes));
        }

        /** The form {@link #toString} gives, or null when it is not one. */
        public static Digest parse(String s) {
            int colon = s.indexOf(':');
            if (colon <= 0 || colon == s.length() - 1) return null;
            try {
                int length = Integer.parseInt(s, 0, colon, 10);
                return length < 0 ? null : new Digest(length, s.substring(colon + 1));
            } catch (NumberFormatException e) {
                return null;
            }
        }

        @Override
        public String toString() {
            return length + ":" + checksum;
        }
    }

    private OutputFile(String text, Digest digest, Supplier<String> source) {
        this.text = text;
        this.digest = digest;
        this.source = source;
    }

    public static OutputFile of(String text) {
        return new OutputFile(text, null, null);
    }

    /** A file known by its digest, whose text {@code source} produces when it is needed. */
    public static OutputFile known(Digest digest, Supplier<String> source) {
        return new OutputFile(null, digest, source);
    }

    public static SortedMap<String, OutputFile> of(Map<String, String> texts) {
        SortedMap<String, OutputFile> files = new TreeMap<>();
        texts.forEach((path, text) -> files.put(path, of(text)));
        return files;
    }

    public static SortedMap<String, String> texts(Map<String, OutputFile> files) {
        SortedMap<String, String> texts = new TreeMap<>();
        files.forEach((path, f) -> texts.put(path, f.text()));
        return texts;
    }

    public String text() {
        String t = text;
        if (t == null) text = t = source.get();
        return t;
    }

    public byte[] bytes() {
        return text().getBytes(StandardCharsets.UTF_8);
    }

    public Digest digest() {
        Digest d = digest;
        if (d == null) digest = d = Digest.of(text());
        return d;
    }
}
