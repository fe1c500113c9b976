package dev.plinth.values;

/**
 * The name syntaxes of apimachinery's {@code util/validation} as predicates over a range of a
 * string: what api-validation and the CEL format library both read names by (each with its own
 * messages, as the API server words them in each place).
 */
public final class NameSyntax {
    private NameSyntax() {
    }

    // the syntaxes as loops over the characters: the check reads every name and label of every
    // object, and java.util.regex costs several times as much

    public static boolean lowerAlnum(char c) {
        return c >= 'a' && c <= 'z' || c >= '0' && c <= '9';
    }

    public static boolean alnum(char c) {
        return lowerAlnum(c) || c >= 'A' && c <= 'Z';
    }

    /** [a-z0-9]([-a-z0-9]*[a-z0-9])? over v[from, to); with letterFirst, [a-z] first. */
    public static boolean isLabel(String v, int from, int to, boolean letterFirst) {
        if (from >= to) return false;
        char first = v.charAt(from);
        if (letterFirst ? !(first >= 'a' && first <= 'z') : !lowerAlnum(first)) return false;
        if (!lowerAlnum(v.charAt(to - 1))) return false;
        for (int i = from + 1; i < to - 1; i++) {
            char c = v.charAt(i);
            if (!lowerAlnum(c) && c != '-') return false;
        }
        return true;
    }

    /** Labels joined by '.' over v[from, to). */
    public static boolean isSubdomain(String v, int from, int to) {
        int start = from;
        for (int i = from; i <= to; i++) {
            if (i == to || v.charAt(i) == '.') {
                if (!isLabel(v, start, i, false)) return false;
                start = i + 1;
            }
        }
        return true;
    }

    /** ([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9] over v[from, to): a qualified name's name part, or a label value. */
    public static boolean isNamePart(String v, int from, int to) {
        if (from >= to || !alnum(v.charAt(from)) || !alnum(v.charAt(to - 1))) return false;
        for (int i = from + 1; i < to - 1; i++) {
            char c = v.charAt(i);
            if (!alnum(c) && c != '-' && c != '_' && c != '.') return false;
        }
        return true;
    }

    /** A whole string as an RFC 1123 label. */
    public static boolean isLabel(String v) {
        return isLabel(v, 0, v.length(), false);
    }

    /** A whole string as a DNS-1035 label (a letter first). */
    public static boolean isDns1035Label(String v) {
        return isLabel(v, 0, v.length(), true);
    }

    /** A whole string as an RFC 1123 subdomain. */
    public static boolean isSubdomain(String v) {
        return isSubdomain(v, 0, v.length());
    }

    /** A whole string as a qualified name's name part, or a non-empty label value. */
    public static boolean isNamePart(String v) {
        return isNamePart(v, 0, v.length());
    }
}
