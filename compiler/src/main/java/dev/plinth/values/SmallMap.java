package dev.plinth.values;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * An insertion-ordered map kept in two arrays, for the many small maps rendered objects are made
 * of. A LinkedHashMap costs about 300 bytes for four entries (a table, an entry object per key,
 * an entry set); this costs about 100, which is most of the heap a large render holds (a million
 * maps at 5000 apps x 3 environments). Lookups scan the keys; a map that grows past
 * {@value #INDEXED} entries also gets a hash index. Like LinkedHashMap, safe for concurrent
 * reads once written, not for concurrent writes.
 */
public final class SmallMap extends AbstractMap<String, Object> {
    private static final int INDEXED = 12;

    private String[] keys;
    private Object[] values;
    private int size;
    private Map<String, Integer> index; // only for bigger maps; rebuilt by writes

    public SmallMap() {
        this(4);
    }

    public SmallMap(int capacity) {
        keys = new String[Math.max(1, capacity)];
        values = new Object[keys.length];
    }

    /** Reads never change the map: bodies are read by several check threads at once. */
    private int indexOf(Object key) {
        Map<String, Integer> ix = index;
        if (ix != null) {
            Integer i = ix.get(key);
            return i == null ? -1 : i;
        }
        for (int i = 0; i < size; i++) {
            if (keys[i].equals(key)) return i;
        }
        return -1;
    }

    /** The hash index of a bigger map, built by the writes that make it big, never by a read. */
    private void reindex() {
        if (size <= INDEXED) {
            index = null;
            return;
        }
        Map<String, Integer> ix = new HashMap<>(size * 2);
        for (int i = 0; i < size; i++) ix.put(keys[i], i);
        index = ix;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public boolean containsKey(Object key) {
        return indexOf(key) >= 0;
    }

    @Override
    public Object get(Object key) {
        int i = indexOf(key);
        return i < 0 ? null : values[i];
    }

    @Override
    public Object put(String key, Object value) {
        if (key == null) throw new NullPointerException("SmallMap keys are strings");
        int i = indexOf(key);
        if (i >= 0) {
            Object old = values[i];
            values[i] = value;
            return old;
        }
        if (size == keys.length) {
            keys = Arrays.copyOf(keys, size * 2);
            values = Arrays.copyOf(values, size * 2);
        }
        keys[size] = key;
        values[size] = value;
        size++;
        if (index != null) index.put(key, size - 1);
        else if (size > INDEXED) reindex();
        return null;
    }

    @Override
    public Object remove(Object key) {
        int i = indexOf(key);
        if (i < 0) return null;
        Object old = values[i];
        removeAt(i);
        return old;
    }

    private void removeAt(int i) {
        System.arraycopy(keys, i + 1, keys, i, size - i - 1);
        System.arraycopy(values, i + 1, values, i, size - i - 1);
        size--;
        keys[size] = null;
        values[size] = null;
        reindex();
    }

    @Override
    public void clear() {
        Arrays.fill(keys, 0, size, null);
        Arrays.fill(values, 0, size, null);
        size = 0;
        index = null;
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public int size() {
                return size;
            }

            @Override
            public Iterator<Entry<String, Object>> iterator() {
                return new Iterator<>() {
                    private int next;
                    private int last = -1;

                    @Override
                    public boolean hasNext() {
                        return next < size;
                    }

                    @Override
                    public Entry<String, Object> next() {
                        if (next >= size) throw new NoSuchElementException();
                        last = next++;
                        int at = last;
                        return new Entry<>() {
                            @Override
                            public String getKey() {
                                return keys[at];
                            }

                            @Override
                            public Object getValue() {
                                return values[at];
                            }

                            @Override
                            public Object setValue(Object value) {
                                Object old = values[at];
                                values[at] = value;
                                return old;
                            }

                            @Override
                            public boolean equals(Object o) {
                                return o instanceof Entry<?, ?> e && keys[at].equals(e.getKey())
                                        && Objects.equals(values[at], e.getValue());
                            }

                            @Override
                            public int hashCode() {
                                return keys[at].hashCode() ^ Objects.hashCode(values[at]);
                            }
                        };
                    }

                    @Override
                    public void remove() {
                        if (last < 0) throw new IllegalStateException();
                        removeAt(last);
                        next = last;
                        last = -1;
                    }
                };
            }
        };
    }

    @Override
    public void forEach(BiConsumer<? super String, ? super Object> action) {
        for (int i = 0; i < size; i++) action.accept(keys[i], values[i]);
    }
}
