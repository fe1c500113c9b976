package dev.plinth.secrets;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.ArrayList;
import java.util.Set;

/**
 * What a secret looks like, as the no-plaintext-secrets check and the report redaction both read
 * it. Two kinds of detector: those a value is recognised by on its own, anywhere in any text (a
 * token format with a fixed prefix, a private key, a URL with a password, a base64-wrapped key),
 * and those that need the name the value is stored under ({@code DB_PASSWORD}, {@code
 * *_API_KEY}, an AWS secret key next to its key id). Formats follow the public rules of secret
 * scanners (gitleaks, trufflehog, GitHub's token format notes); the expressions are our own.
 *
 * <p>Every method is cheap on the common case: a string without any of the detectors' fixed
 * parts is ruled out by one scan before any expression runs.
 */
public final class Detectors {
    private Detectors() {
    }

    /**
     * A self-identifying format: its name (for messages), the fixed strings one of which any
     * match contains (a plain search for them rules the expression out on almost every string;
     * "secret" is searched ignoring case, "://" only counts with an "@"), and the expression.
     */
    private record Format(String what, Pattern pattern, String... keywords) {
        boolean possible(String text) {
            for (String k : keywords) {
                boolean found = switch (k) {
                    case "://" -> text.contains(k) && text.indexOf('@') >= 0;
                    case "secret" -> indexOfIgnoreCase(text, k) >= 0;
                    default -> text.contains(k);
                };
                if (found) return true;
            }
            return false;
        }
    }

    private static final List<Format> FORMATS = List.of(
            new Format("a private key", Pattern.compile(
                    "-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----(?:[\\s\\S]*?-----END [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----|[\\s\\S]*)"),
                    "-----BEGIN"),
            new Format("an AWS access key", Pattern.compile("\\b(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\\b"), "AKIA", "ASIA", "ABIA", "ACCA"),
            new Format("a Google API key", Pattern.compile("\\bAIza[0-9A-Za-z_-]{35}\\b"), "AIza"),
            // fine-grained: github_pat_ + 22 + _ + 59 characters (82, taken from 80 up); classic: gh[pousr]_ + 36
            new Format("a GitHub token", Pattern.compile("\\bgithub_pat_[A-Za-z0-9_]{80,}|\\bgh[pousr]_[A-Za-z0-9]{36,}\\b"),
                    "github_pat_", "ghp_", "gho_", "ghu_", "ghs_", "ghr_"),
            new Format("a GitLab token", Pattern.compile("\\bgl(?:pat|dt|ptt|rt|cbt|oas)-[A-Za-z0-9_-]{20,}"),
                    "glpat-", "gldt-", "glptt-", "glrt-", "glcbt-", "gloas-"),
            new Format("a Slack webhook", Pattern.compile(
                    "hooks\\.slack\\.com/(?:services/T[A-Za-z0-9_]{6,}/B[A-Za-z0-9_]{6,}/[A-Za-z0-9_]{20,}|(?:workflows|triggers)/[A-Za-z0-9_/]{20,})"),
                    "hooks.slack.com"),
            new Format("a Slack token", Pattern.compile("\\bxox[abeoprs]-[A-Za-z0-9-]{10,}"), "xox"),
            new Format("a Stripe secret key", Pattern.compile("\\b[sr]k_live_[0-9A-Za-z]{24,}\\b"), "k_live_"),
            new Format("a JSON Web Token", Pattern.compile("\\beyJ[A-Za-z0-9_-]{10,}\\.eyJ[A-Za-z0-9_-]{10,}\\.[A-Za-z0-9_-]{10,}"), "eyJ"),
            new Format("an AWS secret access key", Pattern.compile(
                    "(?i)aws_?secret_?access_?key[\"']?\\s*[:=]\\s*[\"']?[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+])"), "secret"),
            new Format("a URL with a password", Pattern.compile("\\b[A-Za-z][A-Za-z0-9+.-]{1,20}://[^\\s/:@\"'<>]*:([^\\s/@\"'<>]+)@"), "://"));

    /** Base64 of "-----BEGIN" at each of the three alignments. */
    private static final String[] BASE64_BEGIN = {"LS0tLS1CRUdJT", "0tLS0tQkVHSU", "tLS0tLUJFR0lO"};

    private static boolean base64Begin(String text) {
        for (String b : BASE64_BEGIN) if (text.contains(b)) return true;
        return false;
    }

    private static boolean anyIgnoreCase(String text, String[] needles) {
        for (String n : needles) if (indexOfIgnoreCase(text, n) >= 0) return true;
        return false;
    }

    /** {@code needle} (lower-case ASCII) in {@code text}, ignoring ASCII case. */
    static int indexOfIgnoreCase(String text, String needle) {
        char first = needle.charAt(0);
        char upper = Character.toUpperCase(first);
        for (int i = 0, last = text.length() - needle.length(); i <= last; i++) {
            char c = text.charAt(i);
            if ((c == first || c == upper) && text.regionMatches(true, i, needle, 0, needle.length())) return i;
        }
        return -1;
    }

    /** URL credentials: the user is kept, the password masked. */
    private static final Pattern URL_PASSWORD = Pattern.compile("(\\b[A-Za-z][A-Za-z0-9+.-]{1,20}://[^\\s/:@\"'<>]*:)([^\\s/@\"'<>]+)(@)");

    /** Base64 of a PEM header ("-----BEGIN") at any of the three alignments, and the run of base64 around it. */
    /**
     * The runs of base64 around each base64 "-----BEGIN" in {@code text} that decode to a private
     * key, as {start, end} pairs. Found by a plain search and widened by hand: linear in the text,
     * where an expression with a leading {@code [A-Za-z0-9+/]*} is quadratic on a long run.
     */
    private static List<int[]> encodedKeys(String text) {
        List<int[]> out = new ArrayList<>();
        int from = 0;
        while (true) {
            int at = -1;
            for (String b : BASE64_BEGIN) {
                int i = text.indexOf(b, from);
                if (i >= 0 && (at < 0 || i < at)) at = i;
            }
            if (at < 0) return out;
            int start = at;
            while (start > from && base64Char(text.charAt(start - 1))) start--;
            int end = at;
            while (end < text.length() && (base64Char(text.charAt(end)) || text.charAt(end) == '=' || Character.isWhitespace(text.charAt(end)))) end++;
            String decoded = decode(text.substring(start, end));
            if (decoded != null && decoded.contains("PRIVATE KEY")) out.add(new int[]{start, end});
            from = end;
        }
    }

    private static boolean base64Char(char c) {
        return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/';
    }

    /** The name of the self-identifying secret in {@code text}, or null. */
    public static String inText(String text) {
        if (text == null || text.length() < 16) return null;
        for (Format f : FORMATS) {
            if (!f.possible(text)) continue;
            Matcher m = f.pattern().matcher(text);
            while (m.find()) {
                if (f.what().equals("a URL with a password") && placeholder(m.group(1))) continue;
                return f.what();
            }
        }
        if (base64Begin(text) && !encodedKeys(text).isEmpty()) return "a base64-encoded private key";
        return null;
    }

    private static final Map<String, String> KEYS = new ConcurrentHashMap<>();

    /**
     * {@link #inText} for a map key or a name: the same few thousand keys come back in every
     * object, so the verdicts are kept (up to a bound).
     */
    public static String inKey(String key) {
        if (key.length() < 16) return null;
        String what = KEYS.get(key);
        if (what == null) {
            what = inText(key);
            if (what == null) what = "";
            if (KEYS.size() < MAX_CACHED_NAMES && key.length() <= 256) KEYS.put(key, what);
        }
        return what.isEmpty() ? null : what;
    }

    /**
     * {@code text} with every self-identifying secret in it masked: a URL's password becomes
     * {@code ***} (the user and host stay), any other match {@code ***} as a whole.
     */
    public static String mask(String text) {
        if (text == null || text.length() < 16) return text;
        String out = text;
        for (Format f : FORMATS) {
            if (!f.possible(out)) continue;
            if (f.what().equals("a URL with a password")) {
                out = maskUrls(out);
            } else {
                out = f.pattern().matcher(out).replaceAll(Redaction.MASK);
            }
        }
        if (base64Begin(out)) {
            StringBuilder sb = new StringBuilder();
            int last = 0;
            for (int[] run : encodedKeys(out)) {
                sb.append(out, last, run[0]).append(Redaction.MASK);
                last = run[1];
            }
            out = sb.append(out, last, out.length()).toString();
        }
        return out;
    }

    private static String maskUrls(String text) {
        Matcher m = URL_PASSWORD.matcher(text);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(sb, Matcher.quoteReplacement(m.group(1) + (placeholder(m.group(2)) ? m.group(2) : Redaction.MASK) + m.group(3)));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /** A value, base64 as a whole (a ConfigMap's binaryData, {@code std.base64}, Helm's {@code b64enc}), hiding a secret. */
    public static String inBase64(String value) {
        if (value == null || value.length() < 24 || value.length() > 1 << 20) return null;
        int n = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/' || c == '=') n++;
            else if (c != '\n' && c != '\r') return null;
        }
        if (n % 4 != 0) return null;
        String decoded = decode(value);
        if (decoded == null) return null;
        String what = inText(decoded);
        if (what == null) return null;
        return what.startsWith("a base64") ? what : "a base64-encoded " + what.replaceFirst("^an? ", "");
    }

    /** The bytes of {@code base64} up to its padding or first other character (what follows a value is not part of it). */
    private static String decode(String base64) {
        StringBuilder sb = new StringBuilder(base64.length());
        for (int i = 0; i < base64.length(); i++) {
            char c = base64.charAt(i);
            if (c == '=') break;
            if (!Character.isWhitespace(c)) sb.append(c);
        }
        int rest = sb.length() % 4;
        String s = rest == 1 ? sb.substring(0, sb.length() - 1) : rest == 0 ? sb.toString() : sb + "=".repeat(4 - rest);
        try {
            return new String(Base64.getDecoder().decode(s), StandardCharsets.ISO_8859_1);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** One {@code NAME=value} or {@code name: value} line of a configuration file or script. */
    private static final Pattern ASSIGNMENT = Pattern.compile(
            "^[ \\t]*(?:export[ \\t]+)?[\"']?([A-Za-z_][A-Za-z0-9_.-]{0,100})[\"']?[ \\t]*[:=][ \\t]*[\"']?([^\\s\"'#]{1,512})[\"']?[ \\t]*$",
            Pattern.MULTILINE);
    private static final String[] SENSITIVE_WORDS = {"pass", "pwd", "secret", "token", "key", "credential"};

    /** {@code password="..."} or {@code Password=...;} inside one line: a JAAS config, a connection string. */
    private static final Pattern INLINE = Pattern.compile(
            "(?:^|[\\s;,{(&?])([A-Za-z0-9_.-]{0,40}(?i:password|passwd|pwd|secret|token|api[_-]?key))[ \\t]*=[ \\t]*(\"[^\"\\n]*\"|'[^'\\n]*'|[^\\s;,)}&\"']+)");

    /**
     * A secret assigned to a sensitive name inside a longer value: one line of a multi-line value
     * (a .env or properties file, a script), or a {@code name=value} pair in a line (a JAAS
     * config's {@code password="..."}, a connection string's {@code Password=...;}).
     */
    public static String inLines(String text) {
        if (text == null || text.length() < 8 || text.length() > 1 << 20 || !anyIgnoreCase(text, SENSITIVE_WORDS)) return null;
        if (text.indexOf('\n') >= 0) {
            Matcher m = ASSIGNMENT.matcher(text);
            while (m.find()) {
                String what = named(m.group(1), m.group(2));
                if (what != null) return what;
            }
        }
        if (text.indexOf('=') < 0) return null;
        Matcher m = INLINE.matcher(text);
        while (m.find()) {
            String v = m.group(2);
            if (v.length() >= 2 && (v.charAt(0) == '"' || v.charAt(0) == '\'')) v = v.substring(1, v.length() - 1);
            String what = named(m.group(1), v);
            if (what != null) return what;
        }
        return null;
    }

    // ---- values under a sensitive name ------------------------------------------------------

    /** What a name says about its value: a password, another secret, or nothing. */
    enum Sensitivity { NONE, PASSWORD, SECRET, AWS_SECRET }

    private static final Map<String, Sensitivity> NAMES = new ConcurrentHashMap<>();
    private static final int MAX_CACHED_NAMES = 20_000;

    /**
     * The name's parts: camelCase and any separator split, lower case ({@code dbPassword},
     * {@code DB-PASSWORD}, {@code db.password} are all {@code [db, password]}).
     */
    static String[] words(String name) {
        StringBuilder sb = new StringBuilder(name.length() + 4);
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isUpperCase(c) && i > 0 && Character.isLowerCase(name.charAt(i - 1))) sb.append(' ');
            sb.append(Character.isLetterOrDigit(c) ? Character.toLowerCase(c) : ' ');
        }
        return sb.toString().trim().split(" +");
    }

    /** Words that mark the value as something else than the secret: its file, its name, a switch. */
    private static final Set<String> NOT_THE_VALUE = Set.of(
            "file", "files", "path", "dir", "ref", "refs", "name", "names", "id", "url", "uri", "endpoint", "header", "ttl",
            "expiry", "expiration", "expires", "length", "size", "type", "enabled", "enable", "disabled", "mode", "policy",
            "rotation", "version", "location", "secretname", "field", "format",
            "provider", "store", "source", "algorithm", "hash", "count", "min", "max", "timeout", "interval", "namespace",
            "selector", "template", "prefix", "suffix", "env", "var", "command", "generator", "method", "scope", "scopes",
            "audience", "issuer", "user", "username", "login", "required", "require", "strength", "complexity", "reset",
            "encoder", "encoding", "strategy", "manager", "auth", "authentication", "methods", "grant",
            "hint", "label", "labels", "annotation", "volume", "mount", "kind", "class");

    static Sensitivity sensitivity(String name) {
        Sensitivity s = NAMES.get(name);
        if (s != null) return s;
        s = classify(words(name));
        if (NAMES.size() < MAX_CACHED_NAMES) NAMES.put(name, s);
        return s;
    }

    private static Sensitivity classify(String[] w) {
        if (w.length == 0 || w[0].isEmpty()) return Sensitivity.NONE;
        String last = w[w.length - 1];
        if (NOT_THE_VALUE.contains(last)) return Sensitivity.NONE;
        String joined = String.join("_", w);
        if (joined.contains("aws") && joined.contains("secret") || joined.contains("secret_access_key")) return Sensitivity.AWS_SECRET;
        for (String x : w) {
            if (x.equals("password") || x.equals("passwd") || x.equals("pwd") || x.equals("passphrase") || x.endsWith("password")) {
                return Sensitivity.PASSWORD;
            }
        }
        for (String x : w) {
            if (x.equals("secret") || x.equals("token") || x.equals("apikey") || x.equals("credentials") || x.equals("credential")
                    || x.endsWith("secret") || x.endsWith("token") || x.equals("privatekey") || x.equals("accesskey")) {
                return Sensitivity.SECRET;
            }
        }
        if (joined.contains("api_key") || joined.contains("private_key") || joined.contains("access_key") || joined.contains("secret_key")
                || joined.contains("signing_key") || joined.contains("encryption_key") || joined.contains("master_key")) {
            return Sensitivity.SECRET;
        }
        return Sensitivity.NONE;
    }

    /**
     * A value that stands for a secret kept elsewhere, or for none: empty, a reference
     * ({@code ${DB_PASSWORD}}, {@code $(TOKEN)}, {@code {{ .Values.x }}}, {@code vault:...},
     * {@code ref+...}, an ARN, a file path), or a placeholder ({@code <password>}, {@code
     * changeme}, {@code ***}, {@code xxxx}, {@code REPLACE_ME}).
     */
    static boolean placeholder(String v) {
        String s = v.strip();
        if (s.isEmpty()) return true;
        if (s.contains("${") || s.contains("$(") || s.contains("{{") || s.startsWith("$") || s.startsWith("%(") || s.startsWith("#{")
                || s.startsWith("<") && s.endsWith(">") || s.startsWith("/") || s.startsWith("./") || s.startsWith("file:")
                || s.startsWith("vault:") || s.startsWith("ref+") || s.startsWith("arn:") || s.startsWith("secret://")
                || s.startsWith("sm://") || s.startsWith("gcp:") || s.startsWith("azure:") || s.startsWith("ENC[")) {
            return true;
        }
        String lower = s.toLowerCase(Locale.ROOT);
        if (lower.chars().allMatch(c -> c == '*' || c == 'x' || c == '.' || c == '-' || c == '_' || c == '#')) return true;
        if (LOWER_PATH.matcher(s).matches()) return true; // a path in a secret store: database/creds/app, secret/data/db:password
        if (SWITCHES.contains(lower)) return true;
        return lower.equals("changeme") || lower.equals("change-me") || lower.equals("change_me") || lower.contains("replace")
                || lower.equals("null") || lower.equals("none") || lower.equals("true") || lower.equals("false") || lower.equals("redacted")
                || lower.equals("secret") || lower.equals("password") || lower.equals("token") || lower.equals("example")
                || lower.startsWith("your") || lower.equals("todo") || lower.equals("tbd") || lower.equals("placeholder");
    }

    /** Lower-case words with a {@code /} or {@code :} between them: a path, not a generated secret. */
    private static final Pattern LOWER_PATH = Pattern.compile("[a-z0-9][a-z0-9_.-]*(?:[/:][a-z0-9_.-]+)+/?");
    /** Values that switch a feature rather than hold a secret ({@code PASSWORD_AUTH: enabled}). */
    private static final Set<String> SWITCHES = Set.of("enabled", "disabled", "enable", "disable", "on", "off", "yes",
            "no", "required", "optional", "auto", "default", "allow", "deny", "plain", "bcrypt", "scram-sha-256", "scram-sha-512", "md5");

    /** A Kubernetes object or key name ({@code db-credentials}, {@code tls.key}): what a {@code *_SECRET} names rather than holds. */
    private static final Pattern REFERENCE_NAME = Pattern.compile("[a-z0-9]([-a-z0-9._]*[a-z0-9])?");

    /**
     * The kind of secret {@code value} is, stored under {@code name} (an env var's name, a map
     * key), or null: a password under a password's name, a high-entropy string under a secret's,
     * token's or API key's name, a 40-character AWS secret access key under an AWS name.
     */
    public static String named(String name, String value) {
        if (name == null || value == null || value.isEmpty() || value.length() > 4096) return null;
        Sensitivity s = sensitivity(name);
        if (s == Sensitivity.NONE || placeholder(value) || value.indexOf('\n') >= 0) return null;
        String v = value.strip();
        if (v.equalsIgnoreCase(name)) return null; // a key's name: password: password
        switch (s) {
            case AWS_SECRET -> {
                if (v.length() == 40 && v.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '/' || c == '+')) {
                    return "an AWS secret access key";
                }
                return highEntropy(v) ? "a high-entropy secret" : null;
            }
            case PASSWORD -> {
                if (v.length() < 4 || REFERENCE_NAME.matcher(v).matches() && v.matches(".*[-.].*") && !v.matches(".*\\d.*")) return null;
                if (v.matches("\\d{1,5}")) return null; // a port or a count
                return "a password";
            }
            case SECRET -> {
                if (REFERENCE_NAME.matcher(v).matches() && !highEntropy(v)) return null;
                return highEntropy(v) ? "a high-entropy secret" : null;
            }
            default -> {
                return null;
            }
        }
    }

    /** An AWS secret access key: 40 characters of base64 (not all one case, with a digit or a sign). */
    public static boolean awsSecretShape(String v) {
        if (v.length() != 40) return false;
        boolean upper = false, lower = false, other = false;
        for (int i = 0; i < 40; i++) {
            char c = v.charAt(i);
            if (c >= 'A' && c <= 'Z') upper = true;
            else if (c >= 'a' && c <= 'z') lower = true;
            else if (c >= '0' && c <= '9' || c == '/' || c == '+') other = true;
            else return false;
        }
        return upper && lower && other;
    }

    /**
     * At least 12 characters, no spaces, of at least two character classes and a Shannon
     * entropy of at least 3 bits a character: a generated key rather than a word or a name.
     */
    static boolean highEntropy(String v) {
        if (v.length() < 12 || v.length() > 512) return false;
        boolean upper = false, lower = false, digit = false, sign = false;
        int[] counts = new int[128];
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c <= ' ' || c >= 127) return false;
            counts[c]++;
            if (c >= 'A' && c <= 'Z') upper = true;
            else if (c >= 'a' && c <= 'z') lower = true;
            else if (c >= '0' && c <= '9') digit = true;
            else sign = true;
        }
        int classes = (upper ? 1 : 0) + (lower ? 1 : 0) + (digit ? 1 : 0) + (sign ? 1 : 0);
        if (classes < 2) return false;
        double h = 0;
        for (int c : counts) {
            if (c == 0) continue;
            double p = (double) c / v.length();
            h -= p * Math.log(p) / Math.log(2);
        }
        return h >= 3.0;
    }
}
