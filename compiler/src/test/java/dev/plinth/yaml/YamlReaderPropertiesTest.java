package dev.plinth.yaml;

import dev.plinth.diag.Diagnostic;
import dev.plinth.diag.Diagnostics;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Property-based: whatever text the YAML reader is given (random characters, or a valid spec
 * with random edits), it returns documents or reports errors at a real position; it never
 * throws, overflows the stack or runs out of memory.
 */
class YamlReaderPropertiesTest {
    static final String SPEC = """
            apiVersion: plinth.dev/v1alpha1
            kind: Application
            metadata: {name: shop, tenant: team}
            spec:
              components:
                - name: web   # a comment
                  type: webservice
                  properties:
                    image: "nginx:1.27"
                    env: &env [{name: A, value: "1"}, {name: B, value: 'two'}]
                    more: *env
                    text: |
                      line one
                      line two
            ---
            kind: Other
            """;

    /** Random edits of a valid spec: characters inserted, deleted or replaced, YAML's own among them. */
    @Provide
    Arbitrary<String> mutatedSpecs() {
        Arbitrary<Character> chars = Arbitraries.oneOf(
                Arbitraries.of(':', '-', '&', '*', '!', '|', '>', '[', ']', '{', '}', '#', '\'', '"', '\n', ' ', '\t', '%', '@', '`', '\u0000', '\uFEFF', '\ud83d'),
                Arbitraries.chars());
        Arbitrary<int[]> edit = Combinators.combine(Arbitraries.integers().between(0, SPEC.length()), Arbitraries.integers().between(0, 2))
                .as((at, kind) -> new int[]{at, kind});
        return Combinators.combine(edit.list().ofMinSize(1).ofMaxSize(8), chars.list().ofSize(8)).as((edits, cs) -> {
            StringBuilder sb = new StringBuilder(SPEC);
            for (int i = 0; i < edits.size(); i++) {
                int at = Math.min(edits.get(i)[0], sb.length());
                switch (edits.get(i)[1]) {
                    case 0 -> sb.insert(at, cs.get(i));
                    case 1 -> { if (at < sb.length()) sb.deleteCharAt(at); }
                    default -> { if (at < sb.length()) sb.setCharAt(at, cs.get(i)); }
                }
            }
            return sb.toString();
        });
    }

    @Property(tries = 400)
    void editedSpecsReadOrFailAtARealPosition(@ForAll("mutatedSpecs") String text) {
        check(text);
    }

    @Property(tries = 300)
    void randomTextReadsOrFailsAtARealPosition(@ForAll String text) {
        check(text);
    }

    /** Deep nesting, flow or block, and long aliases chains: errors, never a stack overflow. */
    @Property(tries = 30)
    void deepNestingIsAnError(@ForAll("depths") int depth, @ForAll boolean flow) {
        String text = flow ? "a: " + "[".repeat(depth) + "]".repeat(depth) + "\n"
                : java.util.stream.IntStream.range(0, depth).mapToObj(i -> "  ".repeat(i) + "k" + i + ":").reduce("", (x, y) -> x + y + "\n") + "  ".repeat(depth) + "v\n";
        Diagnostics d = check(text);
        if (depth > YamlReader.MAX_DEPTH + 1) assertTrue(d.hasErrors(), "nesting of " + depth + " is refused");
    }

    @Provide
    Arbitrary<Integer> depths() {
        return Arbitraries.integers().between(1, 3000);
    }

    private static Diagnostics check(String text) {
        Diagnostics d = new Diagnostics();
        List<PNode> docs = YamlReader.readAll("f.yaml", text, d);
        assertTrue(docs != null);
        long lines = text.chars().filter(c -> c == '\n').count() + 2;
        for (Diagnostic diag : d.sorted()) {
            assertTrue(diag.loc().file().equals("f.yaml"), diag.format());
            assertTrue(diag.loc().line() >= 0 && diag.loc().line() <= lines, "a real line: " + diag.format());
        }
        return d;
    }
}
