package dev.plinth.render;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * What a Helm chart folder must pass before Helm reads it: no link in it that leads out of the
 * platform root (Helm follows links, so {@code .Files.Get} of a link to /etc/passwd would put
 * that file in a ConfigMap), and no template action that calls a function whose result changes
 * from one render to the next or asks a cluster ({@link #NON_DETERMINISTIC}): the output would
 * differ on every render, and {@code verify} would never pass. Packed subcharts
 * ({@code charts/*.tgz}) are read too.
 */
final class ChartInspection {
    /**
     * Sprig and Helm functions whose result is not a function of the chart and its values: the
     * clock or the machine's time zone ({@code date}, {@code htmlDate} and {@code toDate} use the
     * local zone, and the date formatters take the current time for an argument that is not a
     * time or a number), randomness (random strings, keys, certificates, salts and IVs), and the
     * cluster or the network. {@code dateModify}, {@code durationRound} and {@code unixEpoch}
     * are functions of their argument, and every time value comes from one of these.
     */
    static final List<String> CLOCK = List.of("now", "ago", "date", "dateInZone", "date_in_zone", "htmlDate",
            "htmlDateInZone", "toDate", "mustToDate");
    static final List<String> RANDOM = List.of("randAlphaNum", "randAlpha", "randNumeric", "randAscii", "randInt",
            "randBytes", "shuffle", "uuidv4", "genCA", "genCAWithKey", "genPrivateKey", "genSelfSignedCert",
            "genSelfSignedCertWithKey", "genSignedCert", "genSignedCertWithKey", "bcrypt", "htpasswd", "encryptAES");
    static final List<String> CLUSTER = List.of("lookup", "getHostByName");
    static final List<String> NON_DETERMINISTIC = java.util.stream.Stream.of(CLOCK, RANDOM, CLUSTER)
            .flatMap(List::stream).toList();
    /**
     * Refused even when a component names it: Helm as Plinth embeds it runs lookup against the
     * cluster the machine's kubeconfig names (localhost:8080 without one), not client-only.
     */
    static final List<String> NEVER_ALLOWED = List.of("lookup");

    /**
     * Why a chart may not be rendered: {@code function} is the non-deterministic function a
     * template calls (a component may allow it by name), null for any other problem.
     */
    record Problem(String text, String function) {
    }

    private static final Pattern CALL = Pattern.compile("(?<![\\w.$])(" + String.join("|", NON_DETERMINISTIC) + ")(?![\\w])");
    private static final Pattern ACTION = Pattern.compile("\\{\\{(.*?)\\}\\}", Pattern.DOTALL);
    /** The most bytes of chart files inspected (a chart is kilobytes; a packed one is read into memory). */
    private static final long MAX_BYTES = 64L << 20;

    private ChartInspection() {
    }

    /** The problems found, each naming the file (relative to the platform root) and, for a call, its line. */
    static List<Problem> inspect(Path chart, Path root) throws IOException {
        List<Problem> problems = new ArrayList<>();
        Path realRoot = root.toRealPath();
        long[] budget = {MAX_BYTES};
        Files.walkFileTree(chart, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
                String rel = root.relativize(f).toString().replace('\\', '/');
                if (a.isSymbolicLink()) {
                    Path real;
                    try {
                        real = f.toRealPath();
                    } catch (IOException e) {
                        problems.add(new Problem(rel + " is a symbolic link that leads nowhere", null));
                        return FileVisitResult.CONTINUE;
                    }
                    if (!real.startsWith(realRoot)) {
                        problems.add(new Problem(rel + " is a symbolic link out of the platform root (to " + real + "): Helm would read it", null));
                        return FileVisitResult.CONTINUE;
                    }
                    if (Files.isDirectory(real)) {
                        problems.add(new Problem(rel + " is a symbolic link to a folder: charts may not link folders", null));
                        return FileVisitResult.CONTINUE;
                    }
                } else if (!a.isRegularFile()) {
                    problems.add(new Problem(rel + " is a special file (a FIFO, socket or device)", null));
                    return FileVisitResult.CONTINUE;
                }
                String name = f.getFileName().toString();
                if ((budget[0] -= a.size()) < 0) {
                    problems.add(new Problem("the chart is larger than " + (MAX_BYTES >> 20) + " MiB", null));
                    return FileVisitResult.TERMINATE;
                }
                if (name.endsWith(".tgz") || name.endsWith(".tar.gz")) {
                    try (InputStream in = Files.newInputStream(f)) {
                        inspectPacked(rel, in, problems);
                    }
                } else if (isTemplate(chart.relativize(f).toString().replace('\\', '/'))) {
                    scan(rel, Files.readString(f, StandardCharsets.UTF_8), problems);
                }
                return FileVisitResult.CONTINUE;
            }
        });
        return problems;
    }

    /** Files Helm parses as templates: under a chart's (or subchart's) templates/ folder. */
    private static boolean isTemplate(String pathInChart) {
        return pathInChart.startsWith("templates/") || pathInChart.contains("/templates/");
    }

    /** Template actions that call a non-deterministic function, by line. */
    static void scan(String rel, String text, List<Problem> problems) {
        Matcher action = ACTION.matcher(text);
        while (action.find()) {
            String body = action.group(1).strip();
            if (body.startsWith("-")) body = body.substring(1).strip();
            if (body.startsWith("/*")) continue; // a comment
            Matcher call = CALL.matcher(withoutStrings(action.group(1)));
            while (call.find()) {
                int line = 1;
                int at = action.start(1) + call.start();
                for (int i = 0; i < at; i++) if (text.charAt(i) == '\n') line++;
                String f = call.group(1);
                problems.add(new Problem(rel + ":" + line + ": calls " + f + ", whose result " + (CLUSTER.contains(f)
                        ? "depends on a cluster or the network" : CLOCK.contains(f) ? "depends on the clock or the time zone"
                        : "is random") + ", so the chart renders differently every time", f));
            }
        }
    }

    /** The action with its string literals blanked (same length, so positions stay). */
    private static String withoutStrings(String s) {
        StringBuilder out = new StringBuilder(s);
        char quote = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quote != 0) {
                if (c == '\\' && quote == '"' && i + 1 < s.length()) {
                    out.setCharAt(i, ' ');
                    out.setCharAt(++i, ' ');
                    continue;
                }
                if (c == quote) quote = 0;
                else out.setCharAt(i, ' ');
            } else if (c == '"' || c == '`') {
                quote = c;
            }
        }
        return out.toString();
    }

    /** A packed chart: a gzipped tar, read entry by entry. */
    private static void inspectPacked(String rel, InputStream raw, List<Problem> problems) throws IOException {
        try (InputStream in = new GZIPInputStream(raw)) {
            byte[] header = new byte[512];
            long total = 0;
            while (in.readNBytes(header, 0, 512) == 512) {
                if (header[0] == 0) break;
                String name = field(header, 0, 100);
                String prefix = field(header, 345, 155);
                if (!prefix.isEmpty()) name = prefix + "/" + name;
                long size;
                try {
                    size = Long.parseLong(field(header, 124, 12).trim().isEmpty() ? "0" : field(header, 124, 12).trim(), 8);
                } catch (NumberFormatException e) {
                    problems.add(new Problem(rel + " is not a chart archive Plinth can read", null));
                    return;
                }
                char type = (char) header[156];
                if (type == '1' || type == '2') {
                    problems.add(new Problem(rel + ": " + name + " is a link: packed charts may not hold links", null));
                } else if (size > MAX_BYTES || (total += size) > MAX_BYTES) {
                    problems.add(new Problem(rel + " unpacks to more than " + (MAX_BYTES >> 20) + " MiB", null));
                    return;
                }
                byte[] body = in.readNBytes((int) Math.min(size, MAX_BYTES));
                if (body.length < size) break;
                if ((type == '0' || type == 0) && isTemplate(name.substring(name.indexOf('/') + 1))) {
                    scan(rel + ":" + name, new String(body, StandardCharsets.UTF_8), problems);
                }
                long pad = (512 - size % 512) % 512;
                in.readNBytes((int) pad);
            }
        }
    }

    private static String field(byte[] header, int from, int length) {
        int end = from;
        while (end < from + length && header[end] != 0) end++;
        return new String(header, from, end - from, StandardCharsets.UTF_8);
    }
}
