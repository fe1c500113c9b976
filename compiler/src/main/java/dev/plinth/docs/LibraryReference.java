package dev.plinth.docs;

import dev.plinth.definitions.JsonnetEngine;
import dev.plinth.definitions.Library;
import dev.plinth.render.Definition;
import dev.plinth.render.Definitions;
import dev.plinth.schema.ParamSchema;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import dev.plinth.values.JsonValues;

/**
 * Generates {@code docs/library.md}, the reference of the built-in types, from the definitions'
 * own descriptions, parameter schemas and examples, so the reference cannot drift from the code.
 * A test compares the committed file with a fresh generation.
 */
public final class LibraryReference {
    private LibraryReference() {
    }

    public static String generate() throws Definitions.BrokenDefinition {
        Library builtins = new Library(Path.of("."), List.of());
        Definitions defs = new Definitions(new JsonnetEngine(builtins));
        StringBuilder md = new StringBuilder();
        md.append("# Built-in library reference\n\n")
                .append("<!-- Generated from library/ by dev.plinth.docs.LibraryReference; do not edit. ")
                .append("Regenerate with: mvn -pl compiler test -Dtest=LibraryReferenceTest -Dgolden.update=true -->\n\n")
                .append("Every type below is a Jsonnet file in `library/`; a platform's own `library/` may replace any of ")
                .append("them or add new ones (see [definitions.md](definitions.md)). Parameters are checked before ")
                .append("rendering; the defaults shown are filled in.\n\n")
                .append("Types run by an operator read its version from the cluster's `operators` map (environment spec) ")
                .append("to choose the API they emit; the default applies when the cluster does not name the operator.\n\n")
                .append("Every object also carries `app.kubernetes.io/managed-by: plinth` and the labels `plinth.dev/tenant`, ")
                .append("`plinth.dev/app` and `plinth.dev/component`; namespaced objects without a namespace get the app's.\n\n");
        for (String kind : List.of("components", "traits")) {
            List<String> names = builtins.typeNames(kind);
            md.append("## ").append(kind.equals("components") ? "Component types" : "Traits").append("\n\n");
            for (String n : names) {
                md.append("- [`").append(n).append("`](#").append(n).append(")\n");
            }
            md.append('\n');
            for (String n : names) {
                Definition d = defs.find(kind, n).orElseThrow();
                md.append("### ").append(n).append("\n\n").append(d.description()).append("\n\n");
                if (!d.listens().isEmpty()) {
                    md.append("Listens on (a declared use that names no port reaches these): ")
                            .append(String.join(", ", d.listens().stream().map(p -> "`" + p.get("port") + "`/" + p.get("protocol")).toList()))
                            .append(".\n\n");
                }
                if (d.operator() != null) {
                    md.append("Operator: `").append(d.operator().get("name")).append("` in the cluster's `operators`, default version ")
                            .append(d.operator().get("default")).append("; supported: ").append(d.operator().get("supported")).append(".\n\n");
                }
                if (kind.equals("traits")) {
                    md.append("Applies to: ").append(d.appliesTo().stream().map(a -> "`" + a + "`").collect(Collectors.joining(", ")));
                    if (!d.conflictsWith().isEmpty()) {
                        md.append(". Conflicts with: ").append(d.conflictsWith().stream().map(a -> "`" + a + "`").collect(Collectors.joining(", ")));
                    }
                    md.append(".\n\n");
                }
                List<String[]> rows = new ArrayList<>();
                flatten("", d.parameters(), rows);
                if (rows.isEmpty()) {
                    md.append("No parameters.\n\n");
                } else {
                    md.append("| parameter | type | default | description |\n|---|---|---|---|\n");
                    for (String[] r : rows) md.append("| ").append(String.join(" | ", r)).append(" |\n");
                    md.append('\n');
                }
                if (d.example() != null) {
                    md.append("```yaml\n").append(d.example().strip()).append("\n```\n\n");
                }
            }
        }
        return md.toString();
    }

    private static void flatten(String prefix, ParamSchema schema, List<String[]> rows) {
        if (schema.properties() == null) return;
        for (Map.Entry<String, ParamSchema> e : schema.properties().entrySet()) {
            ParamSchema p = e.getValue();
            String name = prefix + e.getKey();
            String type = p.typeName();
            if (p.type().equals("map") && p.values() != null) type = "map of " + p.values().typeName();
            if (p.type().equals("array") && p.items() != null) type = "list of " + p.items().typeName();
            StringBuilder desc = new StringBuilder(p.description() == null ? "" : p.description());
            if (p.required()) desc.insert(0, "**Required.** ");
            if (p.enumValues() != null) desc.append(desc.isEmpty() ? "" : " ").append("One of ")
                    .append(p.enumValues().stream().map(v -> "`" + v + "`").collect(Collectors.joining(", "))).append('.');
            if (p.minimum() != null && p.maximum() != null) {
                desc.append(desc.isEmpty() ? "" : " ").append("From ").append(num(p.minimum())).append(" to ").append(num(p.maximum())).append('.');
            } else if (p.minimum() != null) {
                desc.append(desc.isEmpty() ? "" : " ").append("At least ").append(num(p.minimum())).append('.');
            } else if (p.maximum() != null) {
                desc.append(desc.isEmpty() ? "" : " ").append("At most ").append(num(p.maximum())).append('.');
            }
            if (p.pattern() != null) desc.append(desc.isEmpty() ? "" : " ").append("Pattern `").append(p.pattern()).append("`.");
            String def = p.hasDefault() && p.defaultValue() != null ? "`" + JsonValues.write(p.defaultValue()) + "`" : "";
            rows.add(new String[]{"`" + name + "`", type, def, desc.toString().replace("|", "\\|")});
            if (p.type().equals("object")) flatten(name + ".", p, rows);
            if (p.type().equals("array") && p.items() != null && p.items().properties() != null) flatten(name + "[].", p.items(), rows);
        }
    }

    private static String num(Number n) {
        return n.doubleValue() == Math.rint(n.doubleValue()) ? String.valueOf(n.longValue()) : n.toString();
    }
}
