package dev.plinth.values;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A Kubernetes resource quantity ({@code k8s.io/apimachinery/pkg/api/resource.Quantity}): its
 * amount as the API server parses it, exactly, as a decimal.
 *
 * <p>The grammar, as {@code ParseQuantity} reads it (not as its documentation writes it):
 * <ul>
 * <li>an optional sign, digits, and an optional point with more digits; every part may be empty,
 * so {@code +}, {@code -}, {@code .}, {@code 1.} and {@code .5} are numbers (an empty number is
 * zero, and so is a bare suffix such as {@code m} or {@code Ki}); the empty text is not one;</li>
 * <li>a suffix: none, a decimal SI one ({@code n u m k M G T P E}, powers of 1000), a binary SI
 * one ({@code Ki Mi Gi Ti Pi Ei}, powers of 1024), or a decimal exponent ({@code e} or {@code E}
 * and a signed integer of at most 64 bits, taken as its lower 32 as Go's {@code int32} does), so
 * {@code 1E} is 10^18 but {@code 1E3} is 1000;</li>
 * <li>nothing else: no space, no other letter.</li>
 * </ul>
 * The amount is the number times its suffix, then rounded away from zero to nanos when it has
 * finer digits ({@code 0.1n} is {@code 1n}), and a binary amount is capped at 2^63-1 either
 * side of zero ({@code 8Ei} is 2^63-1). Decimal amounts are not capped.
 *
 * <p>A value of an object's field is read as the API server decodes JSON into a Quantity
 * ({@link #fromValue}): a string with the spaces JSON carries unescaped trimmed, or a number.
 * Bad input is never a quantity: {@link #parse} and {@link #fromValue} are empty for it,
 * {@link #parseOrThrow} throws with the API server's message.
 */
public final class Quantity implements Comparable<Quantity> {
    /** apimachinery's messages for what is not a quantity. */
    static final String FORMAT_WRONG = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
    static final String NUMERIC = "unable to parse numeric part of quantity";
    static final String SUFFIX = "unable to parse quantity's suffix";

    private static final String SUFFIX_LETTERS = "eEinumkKMGTP";
    private static final BigDecimal MAX_BINARY = BigDecimal.valueOf(Long.MAX_VALUE);
    private static final int NANO_SCALE = 9;

    public static final Quantity ZERO = new Quantity(BigDecimal.ZERO);

    /** Trailing zeros stripped (zero is {@link BigDecimal#ZERO}), so equal amounts are equal. */
    private final BigDecimal amount;

    private Quantity(BigDecimal amount) {
        this.amount = amount.signum() == 0 ? BigDecimal.ZERO : amount.stripTrailingZeros();
    }

    /** Thrown by {@link #parseOrThrow}: the text is not a quantity; the message is the API server's. */
    public static final class InvalidQuantityException extends IllegalArgumentException {
        InvalidQuantityException(String message) {
            super(message);
        }
    }

    /** The quantity a text is, as {@code resource.ParseQuantity} reads it; empty when it is not one. */
    public static Optional<Quantity> parse(String text) {
        return read(text) instanceof Quantity quantity ? Optional.of(quantity) : Optional.empty();
    }

    /** The quantity a text is, or an exception with the message the API server gives. */
    public static Quantity parseOrThrow(String text) {
        Object q = read(text);
        if (q instanceof Quantity quantity) return quantity;
        throw new InvalidQuantityException((String) q);
    }

    /**
     * Texts read, with their quantity or the message of why they are none: a platform writes the
     * same few quantities thousands of times, and the schema check, api-validation and quota-fit
     * each read them. Bounded, for a long-lived process (the Maven plugin).
     */
    private static final Map<String, Object> READ = new ConcurrentHashMap<>();

    private static Object read(String text) {
        Object q = READ.get(text);
        if (q == null) {
            q = scan(text);
            if (READ.size() < 10_000) READ.put(text, q);
        }
        return q;
    }

    /**
     * The quantity an object's field holds, as the API server decodes it from JSON: a string,
     * without the spaces at its ends that JSON carries as they are (Go's encoder escapes tabs,
     * line breaks and U+2028/U+2029, which are then not trimmed), or a finite number. Empty
     * for anything else, null included (an unset field is the caller's to tell apart).
     */
    public static Optional<Quantity> fromValue(Object value) {
        if (value instanceof String s) return parse(trimSpaces(s));
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return Optional.of(new Quantity(BigDecimal.valueOf(((Number) value).longValue())));
        }
        if (value instanceof BigInteger i) return Optional.of(new Quantity(new BigDecimal(i)));
        if (value instanceof BigDecimal d) return Optional.of(new Quantity(roundToNanos(d)));
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (!Double.isFinite(d)) return Optional.empty();
            // the number as JSON writes it (the shortest decimal that reads back as the double)
            return Optional.of(new Quantity(roundToNanos(new BigDecimal(Double.toString(d)))));
        }
        return Optional.empty();
    }

    /** A whole number of units. */
    public static Quantity of(long amount) {
        return new Quantity(BigDecimal.valueOf(amount));
    }

    /** The amount: bytes for memory and storage, cores for CPU, a count for the rest. */
    public BigDecimal amount() {
        return amount;
    }

    public int signum() {
        return amount.signum();
    }

    public Quantity add(Quantity other) {
        return new Quantity(amount.add(other.amount));
    }

    public Quantity subtract(Quantity other) {
        return new Quantity(amount.subtract(other.amount));
    }

    @Override
    public int compareTo(Quantity other) {
        return amount.compareTo(other.amount);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Quantity q && amount.equals(q.amount);
    }

    @Override
    public int hashCode() {
        return amount.hashCode();
    }

    /** The amount as a decimal ({@code 1.5}, {@code 1073741824}), not a canonical quantity. */
    @Override
    public String toString() {
        return amount.toString();
    }

    // ---- the parser ------------------------------------------------------------------------------

    /** The quantity, or the message of why the text is not one. */
    private static Object scan(String s) {
        int n = s.length();
        if (n == 0) return FORMAT_WRONG;
        int i = 0;
        boolean negative = false;
        if (s.charAt(0) == '+' || s.charAt(0) == '-') {
            negative = s.charAt(0) == '-';
            i++;
        }
        int intStart = i;
        while (i < n && isDigit(s.charAt(i))) i++;
        int intEnd = i;
        int fracStart = i;
        if (i < n && s.charAt(i) == '.') {
            fracStart = ++i;
            while (i < n && isDigit(s.charAt(i))) i++;
        }
        int fracEnd = i;
        // the suffix: letters that may start one, an optional sign, digits; then the end
        int suffixStart = i;
        while (i < n && SUFFIX_LETTERS.indexOf(s.charAt(i)) >= 0) i++;
        if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) i++;
        while (i < n && isDigit(s.charAt(i))) i++;
        if (i < n) return FORMAT_WRONG;

        String suffix = s.substring(suffixStart);
        boolean binary = false;
        int exponent;
        switch (suffix) {
            case "" -> exponent = 0;
            case "n" -> exponent = -9;
            case "u" -> exponent = -6;
            case "m" -> exponent = -3;
            case "k" -> exponent = 3;
            case "M" -> exponent = 6;
            case "G" -> exponent = 9;
            case "T" -> exponent = 12;
            case "P" -> exponent = 15;
            case "E" -> exponent = 18;
            case "Ki", "Mi", "Gi", "Ti", "Pi", "Ei" -> {
                binary = true;
                exponent = 10 * (1 + "KMGTPE".indexOf(suffix.charAt(0)));
            }
            default -> {
                if (suffix.length() < 2 || (suffix.charAt(0) != 'e' && suffix.charAt(0) != 'E')) return SUFFIX;
                try {
                    exponent = (int) Long.parseLong(suffix.substring(1));
                } catch (NumberFormatException e) {
                    return SUFFIX;
                }
            }
        }

        String digits = s.substring(intStart, intEnd) + s.substring(fracStart, fracEnd);
        BigDecimal value = digits.isEmpty() ? BigDecimal.ZERO : new BigDecimal(new BigInteger(digits), fracEnd - fracStart);
        try {
            value = binary ? value.multiply(new BigDecimal(BigInteger.ONE.shiftLeft(exponent))) : value.scaleByPowerOfTen(exponent);
        } catch (ArithmeticException e) {
            return NUMERIC; // a scale past 32 bits, where Go's arithmetic would wrap around
        }
        value = roundToNanos(value);
        if (binary && value.compareTo(MAX_BINARY) > 0) value = MAX_BINARY;
        return new Quantity(negative ? value.negate() : value);
    }

    /** Finer than nanos: rounded up, away from zero, to nanos. */
    private static BigDecimal roundToNanos(BigDecimal d) {
        if (d.scale() <= NANO_SCALE || d.signum() == 0) return d;
        // below a nano altogether: one nano, without rescaling by a power of ten as large as the scale
        if (d.precision() - d.scale() <= -NANO_SCALE) return BigDecimal.valueOf(d.signum(), NANO_SCALE);
        return d.setScale(NANO_SCALE, RoundingMode.UP);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /**
     * Without the spaces at either end that survive as they are in JSON text and that Go's
     * {@code strings.TrimSpace} removes: the space, U+0085, U+00A0 and the other space
     * separators (tabs, line breaks and U+2028/U+2029 reach the API server as escapes).
     */
    private static String trimSpaces(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && jsonSpace(s.charAt(start))) start++;
        while (end > start && jsonSpace(s.charAt(end - 1))) end--;
        return start == 0 && end == s.length() ? s : s.substring(start, end);
    }

    private static boolean jsonSpace(char c) {
        return c == ' ' || c == '\u0085' || c == '\u00a0' || (c > 0xff && Character.getType(c) == Character.SPACE_SEPARATOR);
    }
}
