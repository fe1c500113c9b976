package dev.plinth.values;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** SmallMap behaves like a LinkedHashMap; JsonValues reads JSON into the plain value model. */
class SmallMapTest {
    @Test
    void behavesLikeALinkedHashMapUnderRandomOperations() {
        Random random = new Random(2611L);
        for (int run = 0; run < 200; run++) {
            SmallMap small = new SmallMap(1 + random.nextInt(4));
            Map<String, Object> linked = new LinkedHashMap<>();
            int keys = 1 + random.nextInt(40); // past the size where SmallMap adds a hash index
            for (int op = 0; op < 300; op++) {
                String k = "k" + random.nextInt(keys);
                switch (random.nextInt(5)) {
                    case 0, 1 -> assertEquals(linked.put(k, op), small.put(k, op));
                    case 2 -> assertEquals(linked.remove(k), small.remove(k));
                    case 3 -> assertEquals(linked.get(k), small.get(k));
                    default -> {
                        // remove through the iterator, as Map.entrySet().removeIf does
                        int mod = 2 + random.nextInt(5);
                        linked.entrySet().removeIf(e -> ((Integer) e.getValue()) % mod == 0);
                        small.entrySet().removeIf(e -> ((Integer) e.getValue()) % mod == 0);
                    }
                }
                assertEquals(linked.containsKey(k), small.containsKey(k));
            }
            assertEquals(new ArrayList<>(linked.keySet()), new ArrayList<>(small.keySet()), "insertion order");
            assertEquals(new ArrayList<>(linked.values()), new ArrayList<>(small.values()));
            assertEquals(linked, small);
            assertEquals(small, linked);
            assertEquals(linked.hashCode(), small.hashCode());
        }
    }

    @Test
    void entriesWriteThroughAndIteratorsAreChecked() {
        SmallMap m = new SmallMap();
        m.put("a", 1L);
        m.put("b", 2L);
        m.entrySet().iterator().next().setValue(10L);
        assertEquals(Map.of("a", 10L, "b", 2L), m);
        Iterator<Map.Entry<String, Object>> it = m.entrySet().iterator();
        assertThrows(IllegalStateException.class, it::remove);
        it.next();
        it.next();
        assertThrows(java.util.NoSuchElementException.class, it::next);
        assertThrows(NullPointerException.class, () -> m.put(null, 1L));
    }

    @Test
    void readsJsonIntoPlainValues() throws IOException {
        Object v = JsonValues.read("{\"b\":[1,2.5,\"x\",true,false,null,{}],\"a\":{\"n\":12345678901234,\"big\":123456789012345678901234}}");
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("b", java.util.Arrays.asList(1L, 2.5, "x", true, false, null, Map.of()));
        expected.put("a", Map.of("n", 12345678901234L, "big", new java.math.BigInteger("123456789012345678901234")));
        assertEquals(expected, v);
        assertEquals(List.of("b", "a"), new ArrayList<>(((Map<?, ?>) v).keySet()));
        assertThrows(IOException.class, () -> JsonValues.read("{\"a\":1"));
        assertThrows(IOException.class, () -> JsonValues.read("{} {}"));
        assertThrows(IOException.class, () -> JsonValues.read(""));
    }
}
