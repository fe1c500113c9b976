package dev.plinth.check.cel;

import dev.cel.common.values.NullValue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Plain values (maps, lists, strings, numbers, booleans, null, as Plinth reads YAML) as CEL values. */
public final class CelValues {
    private CelValues() {
    }

    /** A value of no declared type: maps and lists keep their keys, numbers become int or double. */
    public static Object dyn(Object v) {
        if (v == null) return NullValue.NULL_VALUE;
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>(m.size() * 2);
            for (Map.Entry<?, ?> e : m.entrySet()) out.put(String.valueOf(e.getKey()), dyn(e.getValue()));
            return out;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            for (Object o : l) out.add(dyn(o));
            return out;
        }
        return number(v, false);
    }

    /** Integers as long, other numbers as double (or all as double); anything else unchanged. */
    static Object number(Object v, boolean asDouble) {
        if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            return asDouble ? (Object) ((Number) v).doubleValue() : (Object) ((Number) v).longValue();
        }
        if (v instanceof BigInteger b) return asDouble ? (Object) b.doubleValue() : (Object) b.longValue();
        if (v instanceof BigDecimal d) {
            if (!asDouble && d.stripTrailingZeros().scale() <= 0) {
                try {
                    return d.longValueExact();
                } catch (ArithmeticException e) {
                    return d.doubleValue();
                }
            }
            return d.doubleValue();
        }
        if (v instanceof Float f) return f.doubleValue();
        return v;
    }

    /** CEL equality of two converted values (numbers compare by value across int and double). */
    static boolean same(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return (x instanceof Double || y instanceof Double) ? x.doubleValue() == y.doubleValue() : x.longValue() == y.longValue();
        }
        return Objects.equals(a, b);
    }
}
