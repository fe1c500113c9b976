package dev.plinth.values;

/**
 * Where a value sits in an object ({@code spec.template.spec.containers[0].image}), as a chain
 * of keys and list indexes that is spelt out only when a finding needs it: checks walk every
 * field of every object, and almost none has a finding.
 */
public record FieldPath(FieldPath parent, Object key) {
    public static final FieldPath ROOT = new FieldPath(null, null);

    public FieldPath field(Object name) {
        return new FieldPath(this, name);
    }

    public FieldPath index(int i) {
        return new FieldPath(this, i);
    }

    @Override
    public String toString() {
        if (parent == null) return "";
        String up = parent.toString();
        if (key instanceof Integer i) return up + "[" + i + "]";
        return up.isEmpty() ? String.valueOf(key) : up + "." + key;
    }
}
