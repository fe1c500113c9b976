package dev.plinth.values;

import io.fabric8.kubernetes.api.model.Quantity;

import java.math.BigDecimal;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.List;

/**
 * Kubernetes quantities ({@code resource.Quantity}): the syntax the API server parses, and the
 * amount (bytes for binary suffixes, cores for CPU) from fabric8's {@link Quantity}.
 */
public final class Quantities {
    /** ParseQuantity's grammar: a signed decimal number, then a binary or decimal SI suffix or an exponent. */
    private static final Pattern SYNTAX = Pattern.compile(
            "[+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:[eE][+-]?[0-9]+|Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?");
    private static final Map<String, BigDecimal> AMOUNTS = new ConcurrentHashMap<>();
    /** What the cache holds for a string that is not a quantity. */
    private static final BigDecimal NOT_A_QUANTITY = new BigDecimal("-0.000000000000000001");

    private Quantities() {
    }

    /** The amount of a quantity written as a string or a number, or null when it is not one. */
    public static BigDecimal parse(Object quantity) {
        if (quantity == null || quantity instanceof Boolean || quantity instanceof Map || quantity instanceof List) return null;
        // a platform writes the same few quantities thousands of times; fabric8 parses each anew
        String q = String.valueOf(quantity);
        BigDecimal known = AMOUNTS.get(q);
        if (known == null) {
            known = NOT_A_QUANTITY;
            if (SYNTAX.matcher(q).matches()) {
                try {
                    known = Quantity.getAmountInBytes(new Quantity(q));
                } catch (IllegalArgumentException | ArithmeticException e) {
                    known = NOT_A_QUANTITY;
                }
            }
            if (AMOUNTS.size() < 10_000) AMOUNTS.put(q, known); // bounded, for long-lived processes
        }
        return known == NOT_A_QUANTITY ? null : known;
    }

    /** The amount, or zero when the value is not a quantity (the schema check reports those). */
    public static BigDecimal amountOrZero(Object quantity) {
        BigDecimal a = parse(quantity);
        return a == null ? BigDecimal.ZERO : a;
    }
}
