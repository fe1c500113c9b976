package dev.plinth.yaml;

import dev.plinth.diag.Diagnostic;
import dev.plinth.diag.Diagnostics;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class YamlReaderTest {

    private static List<String> errors(String yaml) {
        Diagnostics d = new Diagnostics();
        YamlReader.readAll("f.yaml", yaml, d);
        return d.sorted().stream().map(Diagnostic::format).toList();
    }

    @Test
    void keepsPositionsOfValuesAndKeys() {
        Diagnostics d = new Diagnostics();
        PNode doc = YamlReader.readAll("f.yaml", "a:\n  b: 1\n  c: [x, y]\n", d).get(0);
        PNode.PMap a = (PNode.PMap) ((PNode.PMap) doc).get("a");
        assertEquals("f.yaml:2:6", a.get("b").loc().toString());
        assertEquals("f.yaml:3:3", a.keyLoc("c").toString());
        assertEquals(1L, a.get("b").toPlain());
        assertFalse(d.hasErrors());
    }

    @Test
    void readsYaml12CoreTypes() {
        Diagnostics d = new Diagnostics();
        Object v = YamlReader.readAll("f.yaml", "a: yes\nb: true\nc: 010\nd: 1.5\ne: ~\nf: '3'\n", d).get(0).toPlain();
        assertEquals(Map.of("a", "yes", "b", true, "c", 10L, "d", 1.5, "f", "3"),
                ((Map<?, ?>) v).entrySet().stream().filter(e -> e.getValue() != null)
                        .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
    }

    @Test
    void reportsDuplicateKeysAtTheSecondKey() {
        assertEquals(List.of("f.yaml:3:1: error: duplicate key 'a' (first at line 1)"), errors("a: 1\nb: 2\na: 3\n"));
    }

    @Test
    void reportsMalformedYamlWithPosition() {
        List<String> e = errors("a: {b: 1\nc: 2\n");
        assertEquals(1, e.size());
        assertTrue(e.get(0).startsWith("f.yaml:2:2: error: invalid YAML:"), e.get(0));
    }

    @Test
    void stopsAnAliasBomb() {
        StringBuilder y = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x]\n");
        String prev = "a";
        for (String n : List.of("b", "c", "d", "e", "f", "g", "h", "i")) {
            y.append(n).append(": &").append(n).append(" [");
            for (int i = 0; i < 9; i++) y.append(i == 0 ? "" : ", ").append('*').append(prev);
            y.append("]\n");
            prev = n;
        }
        List<String> e = errors(y.toString());
        assertEquals(1, e.size());
        assertTrue(e.get(0).contains("aliases"), e.get(0));
    }

    @Test
    void boundsExpansionOfFewAliases() {
        // 20 levels of two aliases: under SnakeYAML's alias limit, but 2^20 nodes once expanded
        StringBuilder y = new StringBuilder("l0: &l0 [x, x]\n");
        for (int i = 1; i <= 20; i++) y.append("l").append(i).append(": &l").append(i)
                .append(" [*l").append(i - 1).append(", *l").append(i - 1).append("]\n");
        List<String> e = errors(y.toString());
        assertEquals(1, e.size());
        assertTrue(e.get(0).contains("alias bomb"), e.get(0));
    }

    @Test
    void readsSeveralDocumentsAndSkipsEmptyOnes() {
        Diagnostics d = new Diagnostics();
        List<PNode> docs = YamlReader.readAll("f.yaml", "---\na: 1\n---\n---\nb: 2\n", d);
        assertEquals(2, docs.size());
        assertInstanceOf(PNode.PMap.class, docs.get(1));
    }
}
