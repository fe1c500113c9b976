package dev.plinth.cache;

import dev.plinth.values.CheckedFile;
import dev.plinth.values.Strings;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one file format of the caches: a folder of shard files, each a version line (the cache's
 * format and the build's identity), one line per entry, an end line that counts them, and a
 * checksum of it all ({@link CheckedFile}). A line is {@code LENGTH SP KEY TAB FIELDS}: the
 * length lets a load find the lines without reading them character by character, and a line
 * stays text in place until its entry is used.
 *
 * <p>An entry lives from one run to the next only if the run used it ({@link #keep}) or wrote it
 * ({@link #put}); a shard is written again only when one of its entries changed, came or went.
 * A shard that is damaged, cut short, of another build or not a regular file reads as empty: its
 * entries are misses. Keys are chosen by each cache; a key has no tab, line break or lone
 * surrogate, and neither has a line.
 */
final class ShardedStore {
    /** A line of a shard, in place in the shard's text (the key and its fields, without the length). */
    record Line(String text, int start, int end) {
        String string() {
            return text.substring(start, end);
        }

        /** Where the next tab is, at or after {@code from}, or -1 when the line has none there. */
        int tab(int from) {
            int i = text.indexOf('\t', from);
            return i < 0 || i >= end ? -1 : i;
        }

        /** The fields after the key, split at tabs. */
        String[] fields() {
            String s = string();
            return s.substring(s.indexOf('\t') + 1).split("\t", -1);
        }
    }

    private final Path folder;
    private final String version;
    private final int shards;
    private final Map<String, Line> previous;
    /** This run's entries: a previous {@link Line} carried over, or the text of a new line. */
    private final Map<String, Object> current = new ConcurrentHashMap<>();

    private ShardedStore(Path folder, String version, int shards, Map<String, Line> previous) {
        this.folder = folder;
        this.version = version;
        this.shards = shards;
        this.previous = previous;
    }

    /** A store that remembers nothing and writes nothing. */
    static ShardedStore disabled() {
        return new ShardedStore(null, "", 1, Map.of());
    }

    /** The entries the last run left in {@code folder}; a bad shard's are misses. */
    static ShardedStore load(Path folder, String version, int shards) {
        Map<String, Line> lines = new HashMap<>();
        for (int shard = 0; shard < shards; shard++) {
            try {
                String text = CheckedFile.read(folder.resolve(shardName(shard)));
                if (text != null) lines.putAll(parse(text, version));
            } catch (IOException | IllegalArgumentException e) {
                // unreadable: its entries are misses, never trusted
            }
        }
        return new ShardedStore(folder, version, shards, lines);
    }

    boolean enabled() {
        return folder != null;
    }

    /** The last run's line of this key, or null. */
    Line previous(String key) {
        return previous.get(key);
    }

    /** Keeps the last run's line of this key as it is. */
    void keep(String key, Line line) {
        if (folder != null) current.put(key, line);
    }

    /** This run's line of the key ({@code KEY TAB FIELDS}); a line with a lone surrogate, which has no UTF-8 form, is not kept. */
    void put(String key, String line) {
        if (folder == null) return;
        if (Strings.hasLoneSurrogate(line)) current.remove(key);
        else current.put(key, line);
    }

    /** Drops this run's entry of the key (it will not be there next time). */
    void remove(String key) {
        current.remove(key);
    }

    /**
     * The lines by key (their first field), or none when the version differs or the text is
     * damaged or cut short: the version line, the lines, "end COUNT" and a final line break.
     */
    static Map<String, Line> parse(String text, String version) {
        int first = text.indexOf('\n');
        if (first < 0 || !text.startsWith(version) || first != version.length() || !text.endsWith("\n")) return Map.of();
        Map<String, Line> out = new HashMap<>();
        int at = first + 1;
        while (at < text.length() && Character.isDigit(text.charAt(at))) {
            int space = text.indexOf(' ', at);
            if (space < 0 || space - at > 9) return Map.of();
            int start = space + 1;
            int end = start + Integer.parseInt(text, at, space, 10);
            if (end >= text.length() || text.charAt(end) != '\n') return Map.of();
            int tab = text.indexOf('\t', start);
            if (tab <= start || tab >= end) return Map.of();
            out.put(text.substring(start, tab), new Line(text, start, end));
            at = end + 1;
        }
        return text.length() == at + ("end " + out.size() + "\n").length() && text.startsWith("end " + out.size() + "\n", at)
                ? out : Map.of();
    }

    /** Writes the shards whose entries changed, came or went since the last run. */
    void save() {
        if (folder == null) return;
        boolean[] dirty = new boolean[shards];
        List<Map<String, Object>> byShard = new ArrayList<>();
        for (int i = 0; i < shards; i++) byShard.add(new TreeMap<>());
        current.forEach((key, entry) -> {
            int shard = shard(key);
            byShard.get(shard).put(key, entry);
            if (!(entry instanceof Line line) || previous.get(key) != line) dirty[shard] = true;
        });
        for (String key : previous.keySet()) if (!current.containsKey(key)) dirty[shard(key)] = true;
        try {
            for (int i = 0; i < shards; i++) {
                if (!dirty[i]) continue;
                Path file = folder.resolve(shardName(i));
                if (byShard.get(i).isEmpty()) {
                    Files.deleteIfExists(file);
                    continue;
                }
                CheckedFile.directory(folder.getParent()); // the cache folder, which a file may have taken
                CheckedFile.directory(folder);
                StringBuilder sb = new StringBuilder(version).append('\n');
                for (Object entry : byShard.get(i).values()) {
                    String line = entry instanceof Line l ? l.string() : (String) entry;
                    sb.append(line.length()).append(' ').append(line).append('\n');
                }
                sb.append("end ").append(byShard.get(i).size()).append('\n');
                CheckedFile.write(file, sb.toString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the cache " + folder + ": " + e.getMessage(), e);
        }
    }

    private int shard(String key) {
        return Math.floorMod(key.hashCode(), shards); // String.hashCode is the same in every JVM
    }

    private static String shardName(int shard) {
        return String.format(Locale.ROOT, "%02x.cache", shard);
    }
}
