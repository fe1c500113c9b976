package dev.plinth.check.api;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.Set;

/**
 * What robfig/cron v3's {@code ParseStandard} accepts (the parser the CronJob validation uses):
 * five fields (minute, hour, day of month, month, day of week) of comma-separated ranges
 * ({@code *} or {@code ?}, {@code a}, {@code a-b}, each with an optional {@code /step}; month and
 * weekday names), or a descriptor ({@code @yearly}, {@code @annually}, {@code @monthly},
 * {@code @weekly}, {@code @daily}, {@code @midnight}, {@code @hourly}, {@code @every <duration>}).
 */
public final class Cron {
    private record Bounds(int min, int max, Map<String, Integer> names) {
    }

    private static final Map<String, Integer> MONTHS = Map.ofEntries(Map.entry("jan", 1), Map.entry("feb", 2), Map.entry("mar", 3),
            Map.entry("apr", 4), Map.entry("may", 5), Map.entry("jun", 6), Map.entry("jul", 7), Map.entry("aug", 8),
            Map.entry("sep", 9), Map.entry("oct", 10), Map.entry("nov", 11), Map.entry("dec", 12));
    private static final Map<String, Integer> DAYS = Map.of("sun", 0, "mon", 1, "tue", 2, "wed", 3, "thu", 4, "fri", 5, "sat", 6);
    private static final Bounds[] FIELDS = {
        new Bounds(0, 59, null), new Bounds(0, 23, null), new Bounds(1, 31, null), new Bounds(1, 12, MONTHS), new Bounds(0, 6, DAYS)};
    private static final Set<String> DESCRIPTORS = Set.of("@yearly", "@annually", "@monthly", "@weekly",
            "@daily", "@midnight", "@hourly");
    /** Go's time.ParseDuration. */
    private static final Pattern DURATION = Pattern.compile("[-+]?(0|((\\d+(\\.\\d*)?|\\.\\d+)(ns|us|\u00b5s|\u03bcs|ms|s|m|h))+)");
    /** strconv.Atoi: an optional sign and decimal digits. */
    private static final Pattern INT = Pattern.compile("[+-]?\\d+");
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    private Cron() {
    }

    /** Why ParseStandard rejects the schedule (its error text), or null when it accepts it. */
    public static String problem(String spec) {
        if (spec.isEmpty()) return "empty spec string";
        String s = spec;
        if (s.startsWith("TZ=") || s.startsWith("CRON_TZ=")) {
            int space = s.indexOf(' ');
            if (space < 0) return "provided bad location " + s.substring(s.indexOf('=') + 1);
            s = s.substring(space).strip();
        }
        if (s.startsWith("@")) {
            if (DESCRIPTORS.contains(s)) return null;
            if (s.startsWith("@every ")) {
                String d = s.substring("@every ".length());
                return DURATION.matcher(d).matches() ? null : "failed to parse duration " + s + ": time: invalid duration \"" + d + "\"";
            }
            return "unrecognized descriptor: " + s;
        }
        String trimmed = s.strip();
        String[] fields = trimmed.isEmpty() ? new String[0] : WHITESPACE.split(trimmed);
        if (fields.length != 5) return "expected exactly 5 fields, found " + fields.length + ": [" + String.join(" ", fields) + "]";
        for (int i = 0; i < 5; i++) {
            for (String range : fields[i].split(",")) {
                if (range.isEmpty()) continue; // FieldsFunc drops empty items
                String problem = range(range, FIELDS[i]);
                if (problem != null) return problem;
            }
        }
        return null;
    }

    private static String range(String expr, Bounds r) {
        String[] rangeAndStep = expr.split("/", -1);
        String[] lowAndHigh = rangeAndStep[0].split("-", -1);
        boolean single = lowAndHigh.length == 1;
        long start;
        long end;
        if (lowAndHigh[0].equals("*") || lowAndHigh[0].equals("?")) {
            start = r.min();
            end = r.max();
        } else {
            Object s = intOrName(lowAndHigh[0], r.names());
            if (s instanceof String err) return err;
            start = (Long) s;
            if (lowAndHigh.length == 1) {
                end = start;
            } else if (lowAndHigh.length == 2) {
                Object e = intOrName(lowAndHigh[1], r.names());
                if (e instanceof String err) return err;
                end = (Long) e;
            } else {
                return "too many hyphens: " + expr;
            }
        }
        long step;
        if (rangeAndStep.length == 1) {
            step = 1;
        } else if (rangeAndStep.length == 2) {
            Object st = parseInt(rangeAndStep[1]);
            if (st instanceof String err) return err;
            step = (Long) st;
            if (single) end = r.max(); // "N/step" means "N-max/step"
        } else {
            return "too many slashes: " + expr;
        }
        if (start < r.min()) return "beginning of range (" + start + ") below minimum (" + r.min() + "): " + expr;
        if (end > r.max()) return "end of range (" + end + ") above maximum (" + r.max() + "): " + expr;
        if (start > end) return "beginning of range (" + start + ") beyond end of range (" + end + "): " + expr;
        if (step == 0) return "step of range should be a positive number: " + expr;
        return null;
    }

    private static Object intOrName(String expr, Map<String, Integer> names) {
        if (names != null) {
            Integer named = names.get(expr.toLowerCase(Locale.ROOT));
            if (named != null) return (long) named;
        }
        return parseInt(expr);
    }

    private static Object parseInt(String expr) {
        if (!INT.matcher(expr).matches() || expr.length() > 18) return "failed to parse int from " + expr + ": strconv.Atoi: parsing \"" + expr + "\": invalid syntax";
        long n = Long.parseLong(expr.startsWith("+") ? expr.substring(1) : expr);
        if (n < 0) return "negative number (" + n + ") not allowed: " + expr;
        return n;
    }
}
