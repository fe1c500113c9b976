package dev.plinth.yaml;

import dev.plinth.diag.Loc;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A spec value that remembers where it was written. Specs stay as PNodes through loading,
 * extends and overrides, so every later error can point at the line that set the value.
 */
public sealed interface PNode permits PNode.PMap, PNode.PList, PNode.PScalar {

    Loc loc();

    /** The value as plain Java: Map (insertion-ordered), List, String, Long, Double, Boolean or null. */
    Object toPlain();

    String typeName();

    record PMap(Loc loc, Map<String, PNode> entries, Map<String, Loc> keyLocs) implements PNode {
        public PMap {
            entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
            keyLocs = Collections.unmodifiableMap(new LinkedHashMap<>(keyLocs));
        }

        public PNode get(String key) {
            return entries.get(key);
        }

        public Loc keyLoc(String key) {
            return keyLocs.getOrDefault(key, loc);
        }

        @Override
        public Object toPlain() {
            Map<String, Object> m = new LinkedHashMap<>();
            entries.forEach((k, v) -> m.put(k, v.toPlain()));
            return m;
        }

        @Override
        public String typeName() {
            return "object";
        }
    }

    record PList(Loc loc, List<PNode> items) implements PNode {
        public PList {
            items = List.copyOf(items);
        }

        @Override
        public Object toPlain() {
            List<Object> l = new ArrayList<>(items.size());
            for (PNode n : items) l.add(n.toPlain());
            return l;
        }

        @Override
        public String typeName() {
            return "list";
        }
    }

    /** value is a String, Long, Double, Boolean or null. */
    record PScalar(Loc loc, Object value) implements PNode {
        @Override
        public Object toPlain() {
            return value;
        }

        @Override
        public String typeName() {
            return typeNameOf(value);
        }
    }

    static String typeNameOf(Object v) {
        if (v == null) return "null";
        if (v instanceof String) return "string";
        if (v instanceof Long || v instanceof Integer) return "integer";
        if (v instanceof Number) return "number";
        if (v instanceof Boolean) return "boolean";
        if (v instanceof Map) return "object";
        if (v instanceof List) return "list";
        return v.getClass().getSimpleName();
    }

    /** Builds a PNode from plain Java (e.g. a schema default), every node at the given loc. */
    static PNode fromPlain(Object v, Loc loc) {
        if (v instanceof Map<?, ?> m) {
            Map<String, PNode> e = new LinkedHashMap<>();
            m.forEach((k, val) -> e.put(String.valueOf(k), fromPlain(val, loc)));
            return new PMap(loc, e, Map.of());
        }
        if (v instanceof List<?> l) {
            List<PNode> items = new ArrayList<>();
            for (Object o : l) items.add(fromPlain(o, loc));
            return new PList(loc, items);
        }
        if (v instanceof Integer i) return new PScalar(loc, i.longValue());
        return new PScalar(loc, v);
    }

    /**
     * Deep merge used by overrides: maps merge key by key, anything else is replaced by the
     * overlay (lists too, as in kustomize strategic merge without keys and Helm values).
     */
    static PNode merge(PNode base, PNode overlay) {
        if (base instanceof PMap b && overlay instanceof PMap o) {
            Map<String, PNode> e = new LinkedHashMap<>(b.entries());
            Map<String, Loc> k = new LinkedHashMap<>(b.keyLocs());
            o.entries().forEach((key, val) -> {
                PNode prev = e.get(key);
                e.put(key, prev == null ? val : merge(prev, val));
                k.put(key, o.keyLoc(key));
            });
            return new PMap(b.loc(), e, k);
        }
        return overlay;
    }
}
