package dev.plinth.check.api;

import dev.plinth.values.NameSyntax;

import java.util.regex.Pattern;

/**
 * The name and value syntaxes of apimachinery's {@code util/validation} (IsDNS1123Label,
 * IsDNS1123Subdomain, IsDNS1035Label, IsQualifiedName, IsValidLabelValue, IsValidPortName,
 * IsConfigMapKey, IsEnvVarName, IsRelaxedEnvVarName, IsWildcardDNS1123Subdomain,
 * IsValidPercent) and {@code path.IsValidPathSegmentName}. Each returns why a value is not
 * valid, or null when it is.
 */
public final class Names {
    private static final Pattern PERCENT = Pattern.compile("[0-9]+%");

    static final String DNS1123_LABEL_MSG = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', "
            + "and must start and end with an alphanumeric character";
    static final String DNS1123_SUBDOMAIN_MSG = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, "
            + "'-' or '.', and must start and end with an alphanumeric character";
    static final String DNS1035_LABEL_MSG = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', "
            + "start with an alphabetic character, and end with an alphanumeric character";

    private Names() {
    }

    static String maxLen(int n) {
        return "must be no more than " + n + " characters";
    }

    public static String dns1123Label(String v) {
        if (v.length() > 63) return maxLen(63);
        return NameSyntax.isLabel(v, 0, v.length(), false) ? null : DNS1123_LABEL_MSG;
    }

    public static String dns1123Subdomain(String v) {
        if (v.length() > 253) return maxLen(253);
        return NameSyntax.isSubdomain(v, 0, v.length()) ? null : DNS1123_SUBDOMAIN_MSG;
    }

    public static String dns1035Label(String v) {
        if (v.length() > 63) return maxLen(63);
        return NameSyntax.isLabel(v, 0, v.length(), true) ? null : DNS1035_LABEL_MSG;
    }

    /** A wildcard host such as {@code *.example.com}. */
    public static String wildcardDns1123Subdomain(String v) {
        if (v.length() > 253) return maxLen(253);
        if (v.startsWith("*.") && NameSyntax.isSubdomain(v, 2, v.length())) return null;
        return "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain";
    }

    /** A label or annotation key: an optional DNS subdomain prefix and '/', then a name of 63 characters at most. */
    public static String qualifiedName(String v) {
        int slash = v.indexOf('/');
        int nameFrom = 0;
        if (slash >= 0) {
            if (v.indexOf('/', slash + 1) >= 0) return qualifiedNameMsg();
            if (slash == 0) return "prefix part must be non-empty";
            if (slash > 253) return "prefix part " + maxLen(253);
            if (!NameSyntax.isSubdomain(v, 0, slash)) return "prefix part " + DNS1123_SUBDOMAIN_MSG;
            nameFrom = slash + 1;
        }
        int length = v.length() - nameFrom;
        if (length == 0) return "name part must be non-empty";
        if (length > 63) return "name part " + maxLen(63);
        return NameSyntax.isNamePart(v, nameFrom, v.length()) ? null : qualifiedNameMsg();
    }

    private static String qualifiedNameMsg() {
        return "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
                + "alphanumeric character (with an optional DNS subdomain prefix and '/', e.g. 'example.com/MyName')";
    }

    public static String labelValue(String v) {
        if (v.length() > 63) return maxLen(63);
        if (v.isEmpty() || NameSyntax.isNamePart(v, 0, v.length())) return null;
        return "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', "
                + "and must start and end with an alphanumeric character";
    }

    /** IANA_SVC_NAME: a port name. */
    public static String portName(String v) {
        if (v.length() > 15) return maxLen(15);
        boolean letter = false;
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (!NameSyntax.lowerAlnum(c) && c != '-') return "must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)";
            if (c >= 'a' && c <= 'z') letter = true;
        }
        if (v.isEmpty()) return "must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)";
        if (!letter) return "must contain at least one letter (a-z)";
        if (v.contains("--")) return "must not contain consecutive hyphens";
        if (v.startsWith("-") || v.endsWith("-")) return "must not begin or end with a hyphen";
        return null;
    }

    public static String portNumber(long port) {
        return port >= 1 && port <= 65535 ? null : "must be between 1 and 65535, inclusive";
    }

    public static String configMapKey(String v) {
        if (v.length() > 253) return maxLen(253);
        if (!keyChars(v)) return "a valid config key must consist of alphanumeric characters, '-', '_' or '.'";
        return chDirPrefix(v);
    }

    /** [-._a-zA-Z0-9]+ */
    private static boolean keyChars(String v) {
        if (v.isEmpty()) return false;
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (!NameSyntax.alnum(c) && c != '-' && c != '.' && c != '_') return false;
        }
        return true;
    }

    private static String chDirPrefix(String v) {
        if (v.equals(".")) return "must not be '.'";
        if (v.equals("..")) return "must not be '..'";
        if (v.startsWith("..")) return "must not start with '..'";
        return null;
    }

    /** An environment variable name as Kubernetes before 1.32 (and later with RelaxedEnvironmentVariableValidation off) takes it. */
    public static String envVarName(String v) {
        if (v.isEmpty() || v.charAt(0) >= '0' && v.charAt(0) <= '9' || !keyChars(v)) {
            return "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', "
                    + "and must not start with a digit";
        }
        return chDirPrefix(v);
    }

    /** An environment variable name from Kubernetes 1.32: printable ASCII except '='. */
    public static String relaxedEnvVarName(String v) {
        if (v.isEmpty()) return "environment variable name must be non-empty";
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c < 32 || c > 126 || c == '=') return "a valid environment variable name must consist only of printable ASCII characters other than '='";
        }
        return null;
    }

    /** The first minor where RelaxedEnvironmentVariableValidation is on by default (beta in 1.32, GA in 1.34). */
    static final int RELAXED_ENV_VAR_NAMES = 32;

    static String envVarName(String v, int minor) {
        return minor >= RELAXED_ENV_VAR_NAMES ? relaxedEnvVarName(v) : envVarName(v);
    }

    /** A name that is one path segment (RBAC objects): not '.' or '..', no '/' or '%'. */
    public static String pathSegmentName(String v) {
        if (v.equals(".") || v.equals("..")) return "may not be '" + v + "'";
        if (v.contains("/")) return "may not contain '/'";
        if (v.contains("%")) return "may not contain '%'";
        return null;
    }

    public static boolean isPercent(String v) {
        return PERCENT.matcher(v).matches();
    }
}
