package dev.plinth.check.cel;

import dev.plinth.values.Quantity;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.plinth.values.NameSyntax;
import dev.cel.common.CelFunctionDecl;
import dev.cel.common.CelOverloadDecl;
import dev.cel.common.types.CelType;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.OpaqueType;
import dev.cel.common.types.OptionalType;
import dev.cel.common.types.SimpleType;
import dev.cel.common.types.TypeParamType;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelFunctionBinding;

import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The functions the Kubernetes API server adds to CEL (k8s.io/apiserver/pkg/cel/library) that
 * CEL-Java does not have: named formats ({@code format.dns1123Label().validate(s)}), quantities,
 * semantic versions ({@code semver('1.2.3').isLessThan(semver('1.10.0'))}), the list functions
 * ({@code isSorted}, {@code sum}, {@code min}, {@code max}, {@code indexOf},
 * {@code lastIndexOf}), regular expressions ({@code find}, {@code findAll}, RE2 syntax) and URLs.
 * Written from the documented behaviour of those libraries; IP and CIDR are in
 * {@link NetworkLibrary}; the authorizer is not provided.
 */
final class KubernetesLibrary {
    static final OpaqueType FORMAT = OpaqueType.create("kubernetes.NamedFormat");
    static final OpaqueType QUANTITY = OpaqueType.create("kubernetes.Quantity");
    static final OpaqueType URL = OpaqueType.create("kubernetes.URL");
    static final OpaqueType SEMVER = OpaqueType.create("kubernetes.Semver");

    private static final CelType STRING = SimpleType.STRING;
    private static final CelType BOOL = SimpleType.BOOL;
    private static final CelType INT = SimpleType.INT;
    private static final CelType DOUBLE = SimpleType.DOUBLE;
    private static final TypeParamType T = TypeParamType.create("T");
    private static final CelType LIST_T = ListType.create(T);
    private static final CelType ERRORS = OptionalType.create(ListType.create(STRING));

    private KubernetesLibrary() {
    }

    /** A named format of the format library. */
    record Format(String name) {
    }

    /** The names of the format library, in the order of its documentation. */
    static final List<String> FORMATS = List.of("dns1123Label", "dns1123Subdomain", "dns1035Label", "qualifiedName",
            "dns1123LabelPrefix", "dns1123SubdomainPrefix", "dns1035LabelPrefix", "labelValue", "uri", "uuid", "byte",
            "date", "datetime");

    static List<CelFunctionDecl> declarations() {
        List<CelFunctionDecl> d = new ArrayList<>();
        for (String f : FORMATS) {
            d.add(CelFunctionDecl.newFunctionDeclaration("format." + f, CelOverloadDecl.newGlobalOverload("format_" + f, FORMAT)));
        }
        d.add(fn("format.named", CelOverloadDecl.newGlobalOverload("format_named", OptionalType.create(FORMAT), STRING)));
        d.add(fn("validate", CelOverloadDecl.newMemberOverload("format_validate", ERRORS, FORMAT, STRING)));

        d.add(fn("quantity", CelOverloadDecl.newGlobalOverload("quantity_string", QUANTITY, STRING)));
        d.add(fn("isQuantity", CelOverloadDecl.newGlobalOverload("is_quantity_string", BOOL, STRING)));
        d.add(fn("isInteger", CelOverloadDecl.newMemberOverload("quantity_is_integer", BOOL, QUANTITY)));
        d.add(fn("asInteger", CelOverloadDecl.newMemberOverload("quantity_as_integer", INT, QUANTITY)));
        d.add(fn("asApproximateFloat", CelOverloadDecl.newMemberOverload("quantity_as_float", DOUBLE, QUANTITY)));
        d.add(fn("sign", CelOverloadDecl.newMemberOverload("quantity_sign", INT, QUANTITY)));
        d.add(fn("add", CelOverloadDecl.newMemberOverload("quantity_add", QUANTITY, QUANTITY, QUANTITY),
                CelOverloadDecl.newMemberOverload("quantity_add_int", QUANTITY, QUANTITY, INT)));
        d.add(fn("sub", CelOverloadDecl.newMemberOverload("quantity_sub", QUANTITY, QUANTITY, QUANTITY),
                CelOverloadDecl.newMemberOverload("quantity_sub_int", QUANTITY, QUANTITY, INT)));
        d.add(fn("isGreaterThan", CelOverloadDecl.newMemberOverload("quantity_is_greater_than", BOOL, QUANTITY, QUANTITY),
                CelOverloadDecl.newMemberOverload("semver_is_greater_than", BOOL, SEMVER, SEMVER)));
        d.add(fn("isLessThan", CelOverloadDecl.newMemberOverload("quantity_is_less_than", BOOL, QUANTITY, QUANTITY),
                CelOverloadDecl.newMemberOverload("semver_is_less_than", BOOL, SEMVER, SEMVER)));
        d.add(fn("compareTo", CelOverloadDecl.newMemberOverload("quantity_compare_to", INT, QUANTITY, QUANTITY),
                CelOverloadDecl.newMemberOverload("semver_compare_to", INT, SEMVER, SEMVER)));
        d.add(fn("semver", CelOverloadDecl.newGlobalOverload("string_to_semver", SEMVER, STRING),
                CelOverloadDecl.newGlobalOverload("string_bool_to_semver", SEMVER, STRING, BOOL)));
        d.add(fn("isSemver", CelOverloadDecl.newGlobalOverload("is_semver", BOOL, STRING),
                CelOverloadDecl.newGlobalOverload("is_semver_normalize", BOOL, STRING, BOOL)));
        for (String part : List.of("major", "minor", "patch")) {
            d.add(fn(part, CelOverloadDecl.newMemberOverload("semver_" + part, INT, SEMVER)));
        }

        d.add(fn("isSorted", CelOverloadDecl.newMemberOverload("list_is_sorted", BOOL, LIST_T)));
        d.add(fn("sum", CelOverloadDecl.newMemberOverload("list_sum", T, LIST_T)));
        d.add(fn("min", CelOverloadDecl.newMemberOverload("list_min", T, LIST_T)));
        d.add(fn("max", CelOverloadDecl.newMemberOverload("list_max", T, LIST_T)));
        d.add(fn("indexOf", CelOverloadDecl.newMemberOverload("list_index_of", INT, LIST_T, T)));
        d.add(fn("lastIndexOf", CelOverloadDecl.newMemberOverload("list_last_index_of", INT, LIST_T, T)));

        d.add(fn("find", CelOverloadDecl.newMemberOverload("string_find", STRING, STRING, STRING)));
        d.add(fn("findAll", CelOverloadDecl.newMemberOverload("string_find_all", ListType.create(STRING), STRING, STRING),
                CelOverloadDecl.newMemberOverload("string_find_all_n", ListType.create(STRING), STRING, STRING, INT)));

        d.add(fn("url", CelOverloadDecl.newGlobalOverload("url_string", URL, STRING)));
        d.add(fn("isURL", CelOverloadDecl.newGlobalOverload("is_url_string", BOOL, STRING)));
        d.add(fn("getScheme", CelOverloadDecl.newMemberOverload("url_get_scheme", STRING, URL)));
        d.add(fn("getHost", CelOverloadDecl.newMemberOverload("url_get_host", STRING, URL)));
        d.add(fn("getHostname", CelOverloadDecl.newMemberOverload("url_get_hostname", STRING, URL)));
        d.add(fn("getPort", CelOverloadDecl.newMemberOverload("url_get_port", STRING, URL)));
        d.add(fn("getEscapedPath", CelOverloadDecl.newMemberOverload("url_get_escaped_path", STRING, URL)));
        d.add(fn("getQuery", CelOverloadDecl.newMemberOverload("url_get_query", MapType.create(STRING, ListType.create(STRING)), URL)));
        return d;
    }

    private static CelFunctionDecl fn(String name, CelOverloadDecl... overloads) {
        return CelFunctionDecl.newFunctionDeclaration(name, overloads);
    }

    static List<CelFunctionBinding> bindings() {
        List<CelFunctionBinding> b = new ArrayList<>();
        for (String f : FORMATS) b.add(CelFunctionBinding.from("format_" + f, List.of(), args -> new Format(f)));
        b.add(CelFunctionBinding.from("format_named", String.class,
                name -> FORMATS.contains(name) ? Optional.of(new Format(name)) : Optional.empty()));
        b.add(CelFunctionBinding.from("format_validate", Format.class, String.class, (f, s) -> {
            List<String> errors = validate(f.name(), s);
            return errors.isEmpty() ? Optional.empty() : Optional.of(errors);
        }));

        b.add(CelFunctionBinding.from("quantity_string", String.class, KubernetesLibrary::quantity));
        b.add(CelFunctionBinding.from("is_quantity_string", String.class, s -> Quantity.parse(s).isPresent()));
        b.add(CelFunctionBinding.from("quantity_is_integer", Quantity.class, q -> fitsLong(q.amount())));
        b.add(CelFunctionBinding.from("quantity_as_integer", Quantity.class, q -> {
            if (!fitsLong(q.amount())) throw new CelEvaluationException("cannot convert value to integer");
            return q.amount().longValueExact();
        }));
        b.add(CelFunctionBinding.from("quantity_as_float", Quantity.class, q -> q.amount().doubleValue()));
        b.add(CelFunctionBinding.from("quantity_sign", Quantity.class, q -> (long) q.signum()));
        b.add(CelFunctionBinding.from("quantity_add", Quantity.class, Quantity.class, Quantity::add));
        b.add(CelFunctionBinding.from("quantity_add_int", Quantity.class, Long.class, (x, y) -> x.add(Quantity.of(y))));
        b.add(CelFunctionBinding.from("quantity_sub", Quantity.class, Quantity.class, Quantity::subtract));
        b.add(CelFunctionBinding.from("quantity_sub_int", Quantity.class, Long.class, (x, y) -> x.subtract(Quantity.of(y))));
        b.add(CelFunctionBinding.from("quantity_is_greater_than", Quantity.class, Quantity.class, (x, y) -> x.compareTo(y) > 0));
        b.add(CelFunctionBinding.from("quantity_is_less_than", Quantity.class, Quantity.class, (x, y) -> x.compareTo(y) < 0));
        b.add(CelFunctionBinding.from("quantity_compare_to", Quantity.class, Quantity.class, (x, y) -> (long) Integer.signum(x.compareTo(y))));

        b.add(CelFunctionBinding.from("semver_is_greater_than", Semver.class, Semver.class, (x, y) -> x.compareTo(y) > 0));
        b.add(CelFunctionBinding.from("semver_is_less_than", Semver.class, Semver.class, (x, y) -> x.compareTo(y) < 0));
        b.add(CelFunctionBinding.from("semver_compare_to", Semver.class, Semver.class, (x, y) -> (long) Integer.signum(x.compareTo(y))));
        b.add(CelFunctionBinding.from("string_to_semver", String.class, s -> semver(s, false)));
        b.add(CelFunctionBinding.from("string_bool_to_semver", String.class, Boolean.class, KubernetesLibrary::semver));
        b.add(CelFunctionBinding.from("is_semver", String.class, s -> Semver.parse(s, false) != null));
        b.add(CelFunctionBinding.from("is_semver_normalize", String.class, Boolean.class, (s, n) -> Semver.parse(s, n) != null));
        b.add(CelFunctionBinding.from("semver_major", Semver.class, v -> v.major()));
        b.add(CelFunctionBinding.from("semver_minor", Semver.class, v -> v.minor()));
        b.add(CelFunctionBinding.from("semver_patch", Semver.class, v -> v.patch()));

        b.add(CelFunctionBinding.from("list_is_sorted", List.class, l -> {
            for (int i = 1; i < l.size(); i++) if (compare(l.get(i - 1), l.get(i)) > 0) return false;
            return true;
        }));
        b.add(CelFunctionBinding.from("list_sum", List.class, KubernetesLibrary::sum));
        b.add(CelFunctionBinding.from("list_min", List.class, l -> extreme(l, -1)));
        b.add(CelFunctionBinding.from("list_max", List.class, l -> extreme(l, 1)));
        b.add(CelFunctionBinding.from("list_index_of", List.class, Object.class, (l, v) -> (long) indexOf(l, v, false)));
        b.add(CelFunctionBinding.from("list_last_index_of", List.class, Object.class, (l, v) -> (long) indexOf(l, v, true)));

        b.add(CelFunctionBinding.from("string_find", String.class, String.class, (s, re) -> {
            Matcher m = regex(re).matcher(s);
            return m.find() ? m.group() : "";
        }));
        b.add(CelFunctionBinding.from("string_find_all", String.class, String.class, (s, re) -> findAll(s, re, -1)));
        b.add(CelFunctionBinding.from("string_find_all_n", List.of(String.class, String.class, Long.class),
                args -> findAll((String) args[0], (String) args[1], (Long) args[2])));

        b.add(CelFunctionBinding.from("url_string", String.class, s -> {
            URI u = parseUrl(s);
            if (u == null) throw new CelEvaluationException("URL parse error during conversion from string: " + s);
            return u;
        }));
        b.add(CelFunctionBinding.from("is_url_string", String.class, s -> parseUrl(s) != null));
        b.add(CelFunctionBinding.from("url_get_scheme", URI.class, u -> u.getScheme() == null ? "" : u.getScheme()));
        b.add(CelFunctionBinding.from("url_get_host", URI.class, u -> u.getRawAuthority() == null ? ""
                : u.getRawAuthority().substring(u.getRawAuthority().indexOf('@') + 1)));
        b.add(CelFunctionBinding.from("url_get_hostname", URI.class, u -> {
            String h = u.getHost() == null ? "" : u.getHost();
            return h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
        }));
        b.add(CelFunctionBinding.from("url_get_port", URI.class, u -> u.getPort() < 0 ? "" : String.valueOf(u.getPort())));
        b.add(CelFunctionBinding.from("url_get_escaped_path", URI.class, u -> u.getRawPath() == null ? "" : u.getRawPath()));
        b.add(CelFunctionBinding.from("url_get_query", URI.class, KubernetesLibrary::query));
        return b;
    }

    // ---- formats ---------------------------------------------------------------------------------

    // the syntaxes are read with NameSyntax; the API server's messages quote its regular expressions
    private static final String LABEL = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
    private static final String SUBDOMAIN = "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";
    private static final String DNS1035 = "[a-z]([-a-z0-9]*[a-z0-9])?";
    private static final String QUALIFIED = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
    private static final java.util.regex.Pattern UUID = java.util.regex.Pattern.compile(
            "(urn:uuid:)?\\{?[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}}?");

    /** What is wrong with {@code s} as the named format: no message when it is valid. */
    static List<String> validate(String format, String s) {
        List<String> errors = new ArrayList<>();
        switch (format) {
            case "dns1123Label", "dns1123LabelPrefix" -> name(prefixed(format, s), 63, NameSyntax::isLabel, LABEL, "a lowercase RFC 1123 label must "
                    + "consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character "
                    + "(e.g. 'my-name',  or '123-abc'", errors);
            case "dns1123Subdomain", "dns1123SubdomainPrefix" -> name(prefixed(format, s), 253, NameSyntax::isSubdomain, SUBDOMAIN,
                    "a lowercase RFC 1123 "
                    + "subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an "
                    + "alphanumeric character (e.g. 'example.com'", errors);
            case "dns1035Label", "dns1035LabelPrefix" -> name(prefixed(format, s), 63, NameSyntax::isDns1035Label, DNS1035,
                    "a DNS-1035 label must consist of "
                    + "lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric "
                    + "character (e.g. 'my-name',  or 'abc-123'", errors);
            case "qualifiedName" -> {
                String name = s;
                int slash = s.indexOf('/');
                if (slash >= 0 && s.indexOf('/', slash + 1) < 0) {
                    String prefix = s.substring(0, slash);
                    name = s.substring(slash + 1);
                    if (prefix.isEmpty()) errors.add("prefix part must be non-empty");
                    else if (prefix.length() > 253 || !NameSyntax.isSubdomain(prefix)) {
                        errors.add("prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, "
                                + "'-' or '.', and must start and end with an alphanumeric character");
                    }
                } else if (slash >= 0) {
                    errors.add("a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end "
                            + "with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for "
                            + "validation is '" + QUALIFIED + "') with an optional DNS subdomain prefix and '/' "
                            + "(e.g. 'example.com/MyName')");
                    return errors;
                }
                if (name.isEmpty()) errors.add("name part must be non-empty");
                else if (name.length() > 63) errors.add("name part must be no more than 63 characters");
                if (!name.isEmpty() && !NameSyntax.isNamePart(name)) {
                    errors.add("name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with "
                            + "an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation "
                            + "is '" + QUALIFIED + "')");
                }
            }
            case "labelValue" -> {
                if (s.length() > 63) errors.add("must be no more than 63 characters");
                if (!s.isEmpty() && !NameSyntax.isNamePart(s)) {
                    errors.add("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', "
                            + "and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or "
                            + "'12345', regex used for validation is '(" + QUALIFIED + ")?')");
                }
            }
            case "uri" -> {
                URI u = parseUrl(s);
                if (u == null) errors.add("invalid URI");
            }
            case "uuid" -> {
                if (!UUID.matcher(s).matches()) errors.add("does not match the UUID format");
            }
            case "byte" -> {
                try {
                    Base64.getDecoder().decode(s);
                } catch (IllegalArgumentException e) {
                    errors.add("invalid base64");
                }
            }
            case "date" -> {
                try {
                    LocalDate.parse(s);
                } catch (DateTimeParseException e) {
                    errors.add("invalid date");
                }
            }
            case "datetime" -> {
                try {
                    OffsetDateTime.parse(s);
                } catch (DateTimeParseException e) {
                    errors.add("invalid datetime");
                }
            }
            default -> errors.add("unknown format " + format);
        }
        return errors;
    }

    /** A name of at most {@code max} characters of the syntax, else the API server's messages (which quote its {@code regex}). */
    private static void name(String s, int max, java.util.function.Predicate<String> syntax, String regex, String rule, List<String> errors) {
        if (s.length() > max) errors.add("must be no more than " + max + " characters");
        if (!syntax.test(s)) errors.add(rule + ", regex used for validation is '" + regex + "')");
    }

    private static String prefixed(String format, String s) {
        return format.endsWith("Prefix") ? maskTrailingDash(s) : s;
    }

    /** A generateName prefix may end in a dash: checked as if the dash were a letter. */
    private static String maskTrailingDash(String s) {
        return s.length() > 1 && s.endsWith("-") ? s.substring(0, s.length() - 1) + "a" : s;
    }

    // ---- quantities ------------------------------------------------------------------------------

    /** {@code quantity(s)}: the quantity, or the API server's error. */
    private static Quantity quantity(String s) throws CelEvaluationException {
        try {
            return Quantity.parseOrThrow(s);
        } catch (Quantity.InvalidQuantityException e) {
            throw new CelEvaluationException(e.getMessage());
        }
    }

    private static boolean fitsLong(BigDecimal d) {
        try {
            d.toBigIntegerExact().longValueExact();
            return true;
        } catch (ArithmeticException e) {
            return false;
        }
    }

    // ---- semantic versions -----------------------------------------------------------------------

    /** A semantic version (semver.org 2.0): equal when of equal precedence (build metadata ignored). */
    record Semver(long major, long minor, long patch, List<String> pre) implements Comparable<Semver> {
        private static final java.util.regex.Pattern STRICT = java.util.regex.Pattern.compile(
                "(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)(?:-([0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*))?(?:\\+[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*)?");
        private static final java.util.regex.Pattern LOOSE = java.util.regex.Pattern.compile(
                "v?([0-9]+)(?:\\.([0-9]+))?(?:\\.([0-9]+))?((?:[-+].*)?)");

        /** The version, or null; {@code normalize} accepts a leading v, missing minor or patch and leading zeros. */
        static Semver parse(String s, boolean normalize) {
            if (normalize) {
                java.util.regex.Matcher m = LOOSE.matcher(s);
                if (!m.matches()) return null;
                s = new BigDecimal(m.group(1)).toPlainString() + "." + (m.group(2) == null ? "0" : new BigDecimal(m.group(2)).toPlainString())
                        + "." + (m.group(3) == null ? "0" : new BigDecimal(m.group(3)).toPlainString()) + m.group(4);
            }
            java.util.regex.Matcher m = STRICT.matcher(s);
            if (!m.matches()) return null;
            List<String> pre = m.group(4) == null ? List.of() : List.of(m.group(4).split("\\."));
            for (String p : pre) if (p.matches("0[0-9]+")) return null;
            try {
                return new Semver(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Long.parseLong(m.group(3)), pre);
            } catch (NumberFormatException e) {
                return null;
            }
        }

        @Override
        public int compareTo(Semver o) {
            int c = Long.compare(major, o.major);
            if (c == 0) c = Long.compare(minor, o.minor);
            if (c == 0) c = Long.compare(patch, o.patch);
            if (c != 0) return c;
            if (pre.isEmpty() || o.pre.isEmpty()) return Boolean.compare(pre.isEmpty(), o.pre.isEmpty());
            for (int i = 0; i < Math.min(pre.size(), o.pre.size()); i++) {
                String a = pre.get(i);
                String b = o.pre.get(i);
                boolean an = a.matches("[0-9]+");
                boolean bn = b.matches("[0-9]+");
                c = an && bn ? new BigDecimal(a).compareTo(new BigDecimal(b)) : an ? -1 : bn ? 1 : a.compareTo(b);
                if (c != 0) return c;
            }
            return Integer.compare(pre.size(), o.pre.size());
        }
    }

    private static Semver semver(String s, boolean normalize) throws CelEvaluationException {
        Semver v = Semver.parse(s, normalize);
        if (v == null) throw new CelEvaluationException("Semver " + s + " parse error");
        return v;
    }

    // ---- lists -----------------------------------------------------------------------------------

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int compare(Object a, Object b) throws CelEvaluationException {
        if (a instanceof Number x && b instanceof Number y) {
            return (x instanceof Double || y instanceof Double)
                    ? Double.compare(x.doubleValue(), y.doubleValue()) : Long.compare(x.longValue(), y.longValue());
        }
        if (a instanceof Quantity x && b instanceof Quantity y) return x.compareTo(y);
        if (a instanceof Comparable x && b != null && a.getClass() == b.getClass()) return x.compareTo(b);
        throw new CelEvaluationException("no such overload: cannot compare " + type(a) + " and " + type(b));
    }

    private static Object extreme(List<?> l, int sign) throws CelEvaluationException {
        if (l.isEmpty()) throw new CelEvaluationException((sign < 0 ? "min" : "max") + " called on empty list");
        Object best = l.get(0);
        for (Object o : l) if (compare(o, best) * sign > 0) best = o;
        return best;
    }

    private static Object sum(List<?> l) throws CelEvaluationException {
        if (l.isEmpty()) return 0L;
        Object first = l.get(0);
        if (first instanceof Double) {
            double d = 0;
            for (Object o : l) d += ((Number) o).doubleValue();
            return d;
        }
        if (first instanceof Long) {
            long n = 0;
            for (Object o : l) n = Math.addExact(n, ((Number) o).longValue());
            return n;
        }
        if (first instanceof Quantity) {
            Quantity n = Quantity.ZERO;
            for (Object o : l) n = n.add((Quantity) o);
            return n;
        }
        if (first instanceof Duration) {
            Duration d = Duration.ZERO;
            for (Object o : l) d = d.plus((Duration) o);
            return d;
        }
        throw new CelEvaluationException("no such overload: sum of " + type(first));
    }

    private static int indexOf(List<?> l, Object v, boolean last) {
        int found = -1;
        for (int i = 0; i < l.size(); i++) {
            if (CelValues.same(l.get(i), v)) {
                found = i;
                if (!last) break;
            }
        }
        return found;
    }

    private static String type(Object o) {
        return o == null ? "null" : o.getClass().getSimpleName();
    }

    // ---- regular expressions --------------------------------------------------------------------

    private static final Map<String, Pattern> REGEXES = new ConcurrentHashMap<>();

    private static Pattern regex(String re) throws CelEvaluationException {
        try {
            Pattern p = REGEXES.get(re);
            if (p == null) {
                p = Pattern.compile(re);
                if (REGEXES.size() < 1000) REGEXES.put(re, p);
            }
            return p;
        } catch (PatternSyntaxException e) {
            throw new CelEvaluationException("invalid regular expression: " + e.getMessage());
        }
    }

    private static List<String> findAll(String s, String re, long limit) throws CelEvaluationException {
        List<String> out = new ArrayList<>();
        if (limit == 0) return out;
        Matcher m = regex(re).matcher(s);
        while (m.find() && (limit < 0 || out.size() < limit)) out.add(m.group());
        return out;
    }

    // ---- URLs ------------------------------------------------------------------------------------

    /** An absolute URL or an absolute path, as Go's url.ParseRequestURI accepts them; null otherwise. */
    static URI parseUrl(String s) {
        if (s == null || s.isEmpty()) return null;
        try {
            URI u = new URI(s);
            if (u.isAbsolute() || s.startsWith("/")) return u;
            return null;
        } catch (URISyntaxException e) {
            return null;
        }
    }

    private static Map<String, List<String>> query(URI u) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        String q = u.getRawQuery();
        if (q == null || q.isEmpty()) return out;
        for (String part : q.split("[&]")) {
            if (part.isEmpty()) continue;
            int eq = part.indexOf('=');
            String k = decode(eq < 0 ? part : part.substring(0, eq));
            String v = eq < 0 ? "" : decode(part.substring(eq + 1));
            out.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
        }
        return out;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }
}
