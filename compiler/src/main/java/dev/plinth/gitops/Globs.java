package dev.plinth.gitops;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The two pattern languages of Argo CD's project rules, as the consumer reads them (written from
 * their documented semantics, not from Plinth's generator):
 *
 * <ul>
 *   <li>{@link #glob}: the glob of {@code github.com/gobwas/glob}, which Argo CD uses for
 *   source repositories and destinations: {@code *} any run of characters that are not
 *   separators (of anything when no separator is given), {@code **} any run of characters,
 *   {@code ?} one character that is not a separator, {@code [abc]}, {@code [a-z]},
 *   {@code [!abc]}, {@code {a,b}} alternatives (patterns themselves), {@code \} escapes. A pattern
 *   that does not compile matches nothing.</li>
 *   <li>{@link #pathMatch}: Go's {@code path/filepath.Match}, which Argo CD uses for the group,
 *   kind and name of resource allow and deny lists: {@code *} any run of characters but
 *   {@code /}, {@code ?} one character but {@code /}, {@code [abc]}, {@code [a-z]},
 *   {@code [^abc]}, {@code \} escapes; no alternatives. A malformed pattern matches nothing.</li>
 * </ul>
 */
final class Globs {
    /** A pattern that matches nothing (one that did not compile). */
    private static final Pattern NOTHING = Pattern.compile("(?!)");
    private static final Map<String, Pattern> GLOBS = new ConcurrentHashMap<>();
    private static final Map<String, Pattern> PATHS = new ConcurrentHashMap<>();
    /** Characters that make a pattern more than a literal, in either language. */
    private static final String META = "*?[{\\";

    private Globs() {
    }

    /** gobwas/glob's {@code Match}: does {@code text} match {@code pattern}, with these separators? */
    static boolean glob(String pattern, String text, char... separators) {
        if (isLiteral(pattern)) return pattern.equals(text);
        String key = new String(separators) + "\0" + pattern;
        Pattern p = GLOBS.computeIfAbsent(key, k -> {
            try {
                GlobParser parser = new GlobParser(pattern, new String(separators));
                String regex = parser.alternatives(false);
                if (parser.pos != pattern.length()) return NOTHING;
                return Pattern.compile(regex, Pattern.DOTALL);
            } catch (IllegalArgumentException e) {
                return NOTHING;
            }
        });
        return p.matcher(text).matches();
    }

    /** Go's {@code filepath.Match} on Unix: true only for a well-formed pattern that matches. */
    static boolean pathMatch(String pattern, String text) {
        if (isLiteral(pattern)) return pattern.equals(text);
        Pattern p = PATHS.computeIfAbsent(pattern, Globs::compilePath);
        return p.matcher(text).matches();
    }

    /** True when a pattern has no wildcard, class, alternative or escape: it matches itself only. */
    private static boolean isLiteral(String pattern) {
        for (int i = 0; i < pattern.length(); i++) if (META.indexOf(pattern.charAt(i)) >= 0) return false;
        return true;
    }

    private static Pattern compilePath(String pattern) {
        StringBuilder re = new StringBuilder();
        int i = 0;
        while (i < pattern.length()) {
            char c = pattern.charAt(i);
            switch (c) {
                case '*' -> {
                    re.append("[^/]*");
                    i++;
                }
                case '?' -> {
                    re.append("[^/]");
                    i++;
                }
                case '\\' -> {
                    if (i + 1 >= pattern.length()) return NOTHING;
                    re.append(Pattern.quote(String.valueOf(pattern.charAt(i + 1))));
                    i += 2;
                }
                case '[' -> {
                    i++;
                    boolean negated = i < pattern.length() && pattern.charAt(i) == '^';
                    if (negated) i++;
                    StringBuilder cls = new StringBuilder();
                    int ranges = 0;
                    while (true) {
                        if (i >= pattern.length()) return NOTHING;
                        if (pattern.charAt(i) == ']' && ranges > 0) {
                            i++;
                            break;
                        }
                        int[] lo = escaped(pattern, i);
                        if (lo == null) return NOTHING;
                        i = lo[1];
                        int hi = lo[0];
                        if (i < pattern.length() && pattern.charAt(i) == '-') {
                            int[] h = escaped(pattern, i + 1);
                            if (h == null) return NOTHING;
                            hi = h[0];
                            i = h[1];
                        }
                        if (hi < lo[0]) return NOTHING; // Go accepts it but matches nothing in it
                        cls.append(classChar(lo[0])).append('-').append(classChar(hi));
                        ranges++;
                    }
                    // a class never matches the separator
                    re.append(negated ? "(?:(?!/)[^" + cls + "])" : "[" + cls + "]");
                }
                default -> {
                    re.append(Pattern.quote(String.valueOf(c)));
                    i++;
                }
            }
        }
        return Pattern.compile(re.toString(), Pattern.DOTALL);
    }

    /** A class character at {@code i} (escaped with {@code \} or not): its code and the index after it; null when malformed. */
    private static int[] escaped(String pattern, int i) {
        if (i >= pattern.length()) return null;
        char c = pattern.charAt(i);
        if (c == '-' || c == ']') return null;
        if (c == '\\') {
            if (i + 1 >= pattern.length()) return null;
            return new int[]{pattern.charAt(i + 1), i + 2};
        }
        return new int[]{c, i + 1};
    }

    private static String classChar(int c) {
        return String.format("\\x{%x}", c);
    }

    /** Recursive-descent reading of a gobwas pattern into a Java regex. */
    private static final class GlobParser {
        private final String pattern;
        private final String separators;
        int pos;

        GlobParser(String pattern, String separators) {
            this.pattern = pattern;
            this.separators = separators;
        }

        /** Alternatives separated by commas (inside braces) or the whole pattern. */
        String alternatives(boolean inBraces) {
            StringBuilder out = new StringBuilder();
            while (pos < pattern.length()) {
                char c = pattern.charAt(pos);
                if (inBraces && (c == ',' || c == '}')) return out.toString();
                switch (c) {
                    case '*' -> {
                        if (pos + 1 < pattern.length() && pattern.charAt(pos + 1) == '*') {
                            out.append(".*");
                            pos += 2;
                        } else {
                            out.append(separators.isEmpty() ? ".*" : "[^" + quoteClass(separators) + "]*");
                            pos++;
                        }
                    }
                    case '?' -> {
                        out.append(separators.isEmpty() ? "." : "[^" + quoteClass(separators) + "]");
                        pos++;
                    }
                    case '\\' -> {
                        if (pos + 1 >= pattern.length()) throw new IllegalArgumentException("trailing escape");
                        out.append(Pattern.quote(String.valueOf(pattern.charAt(pos + 1))));
                        pos += 2;
                    }
                    case '[' -> out.append(charClass());
                    case '{' -> {
                        pos++;
                        StringBuilder any = new StringBuilder("(?:");
                        while (true) {
                            any.append(alternatives(true));
                            if (pos >= pattern.length()) throw new IllegalArgumentException("unclosed {");
                            char end = pattern.charAt(pos++);
                            if (end == '}') break;
                            any.append('|');
                        }
                        out.append(any).append(')');
                    }
                    default -> {
                        out.append(Pattern.quote(String.valueOf(c)));
                        pos++;
                    }
                }
            }
            if (inBraces) throw new IllegalArgumentException("unclosed {");
            return out.toString();
        }

        private String charClass() {
            pos++; // [
            boolean negated = pos < pattern.length() && pattern.charAt(pos) == '!';
            if (negated) pos++;
            StringBuilder cls = new StringBuilder();
            while (true) {
                if (pos >= pattern.length()) throw new IllegalArgumentException("unclosed [");
                char c = pattern.charAt(pos);
                if (c == ']') {
                    pos++;
                    break;
                }
                if (c == '\\' && pos + 1 < pattern.length()) {
                    c = pattern.charAt(++pos);
                }
                pos++;
                if (pos + 1 < pattern.length() && pattern.charAt(pos) == '-' && pattern.charAt(pos + 1) != ']') {
                    char hi = pattern.charAt(pos + 1);
                    pos += 2;
                    cls.append(classChar(c)).append('-').append(classChar(hi));
                } else {
                    cls.append(classChar(c));
                }
            }
            if (cls.isEmpty()) throw new IllegalArgumentException("empty class");
            return negated ? "[^" + cls + "]" : "[" + cls + "]";
        }

        private static String quoteClass(String chars) {
            StringBuilder sb = new StringBuilder();
            for (char c : chars.toCharArray()) sb.append(classChar(c));
            return sb.toString();
        }
    }
}
