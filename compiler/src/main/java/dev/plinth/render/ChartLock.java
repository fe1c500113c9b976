package dev.plinth.render;

import dev.plinth.diag.Diagnostic;
import dev.plinth.diag.Diagnostics;
import dev.plinth.yaml.PNode;
import dev.plinth.yaml.YamlReader;
import dev.plinth.yaml.YamlWriter;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code plinth.lock} at the platform root: the remote charts {@code plinth vendor} downloaded
 * into {@code vendor/charts/}, each with the sha256 digest of its archive. Render reads only the
 * lock and the vendor folder, never the network, and refuses an archive whose digest differs.
 */
public final class ChartLock {
    public static final String FILE = "plinth.lock";
    /** A vendored archive is read whole to digest it; charts are kilobytes. */
    public static final long MAX_BYTES = 64L << 20;
    private static final String HEADER = "# Written by `plinth vendor`: the remote Helm charts in vendor/charts/, pinned by digest. Do not edit.\n";

    /** One locked chart: where it was declared, the archive's URL, and {@code sha256:HEX} of the archive. */
    public record Entry(String source, String name, String version, String url, String digest) {
        String key() {
            return ChartLock.key(source, name, version);
        }
    }

    private final Map<String, Entry> entries;

    private ChartLock(Map<String, Entry> entries) {
        this.entries = entries;
    }

    public static ChartLock empty() {
        return new ChartLock(Map.of());
    }

    private static String key(String source, String name, String version) {
        return source + "\n" + name + "\n" + version;
    }

    public Entry find(ChartSource chart) {
        return entries.get(key(chart.source(), chart.name(), chart.version()));
    }

    /** The lock at the root: empty when there is none; an error when it is not a lock Plinth wrote. */
    public static ChartLock read(Path root) throws IOException {
        Path file = root.resolve(FILE);
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) return empty();
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!a.isRegularFile()) throw new IOException(FILE + " is not a regular file (a link, folder or device)");
        if (a.size() > MAX_BYTES) throw new IOException(FILE + " is larger than " + (MAX_BYTES >> 20) + " MiB");
        Diagnostics diags = new Diagnostics();
        List<PNode> docs = YamlReader.readAll(FILE, Files.readString(file, StandardCharsets.UTF_8), diags);
        for (Diagnostic d : diags.sorted()) throw new IOException(d.toString());
        Map<String, Entry> entries = new LinkedHashMap<>();
        PNode charts = docs.size() == 1 && docs.get(0) instanceof PNode.PMap m ? m.get("charts") : null;
        if (!(charts instanceof PNode.PList list)) throw new IOException(FILE + " has no 'charts' list: run plinth vendor");
        for (PNode item : list.items()) {
            if (!(item.toPlain() instanceof Map<?, ?> e) || !(e.get("source") instanceof String source)
                    || !(e.get("name") instanceof String name) || !(e.get("version") instanceof String version)
                    || !(e.get("url") instanceof String url) || !(e.get("digest") instanceof String digest)) {
                throw new IOException(FILE + ":" + item.loc().line() + ": an entry needs source, name, version, url and digest: run plinth vendor");
            }
            Entry entry = new Entry(source, name, version, url, digest);
            entries.put(entry.key(), entry);
        }
        return new ChartLock(entries);
    }

    /** The lock's text: entries sorted by source, name and version, so that it is the same for the same charts. */
    public static String write(List<Entry> entries) {
        List<Map<String, Object>> charts = new ArrayList<>();
        entries.stream().sorted(Comparator.comparing(Entry::key)).forEach(e -> {
            Map<String, Object> m = new TreeMap<>();
            m.put("source", e.source());
            m.put("name", e.name());
            m.put("version", e.version());
            m.put("url", e.url());
            m.put("digest", e.digest());
            charts.add(m);
        });
        return HEADER + YamlWriter.write(Map.of("charts", charts));
    }

    /** {@code sha256:HEX} of a file, read without following a link. */
    public static String digest(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            MessageDigest sha = sha256();
            byte[] buf = new byte[1 << 16];
            long total = 0;
            for (int n; (n = in.read(buf)) > 0; ) {
                if ((total += n) > MAX_BYTES) throw new IOException(file.getFileName() + " is larger than " + (MAX_BYTES >> 20) + " MiB");
                sha.update(buf, 0, n);
            }
            return "sha256:" + HexFormat.of().formatHex(sha.digest());
        }
    }

    public static String digest(byte[] bytes) {
        return "sha256:" + HexFormat.of().formatHex(sha256().digest(bytes));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The vendored archive of a remote chart, checked against the lock: its path when it is a
     * regular file inside the root whose digest is the locked one, else why not (ending in what
     * to do).
     */
    public static Object vendored(Path root, ChartLock lock, ChartSource chart) {
        Entry entry = lock.find(chart);
        if (entry == null) return "chart " + chart.describe() + " is not in " + FILE + ": run plinth vendor";
        Path file = root.resolve(chart.vendorPath());
        try {
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                return "chart " + chart.describe() + " is not vendored (" + chart.vendorPath() + " is missing or not a regular file): run plinth vendor";
            }
            if (!file.toRealPath().startsWith(root.toRealPath())) return chart.vendorPath() + " leads out of the platform root";
            String actual = digest(file);
            if (!actual.equals(entry.digest())) {
                return "the digest of " + chart.vendorPath() + " (" + actual + ") differs from " + FILE + " (" + entry.digest()
                        + "): the archive was changed; run plinth vendor";
            }
            return file;
        } catch (IOException e) {
            return "cannot read " + chart.vendorPath() + ": " + e.getMessage();
        }
    }
}
