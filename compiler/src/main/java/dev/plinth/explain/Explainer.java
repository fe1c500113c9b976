package dev.plinth.explain;

import dev.plinth.definitions.JsonnetEngine;
import dev.plinth.definitions.Library;
import dev.plinth.diag.Loc;
import dev.plinth.diag.PlinthException;
import dev.plinth.render.Definition;
import dev.plinth.render.Definitions;
import dev.plinth.schema.ParamSchema;
import dev.plinth.schema.SchemaChecker;
import dev.plinth.spec.SpecLoader;
import dev.plinth.spec.Specs;
import dev.plinth.values.JsonValues;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@code plinth explain TARGET[.field.path]}: a component type, trait or spec kind described
 * from the schemas Plinth checks with (definitions' {@code parameters}, the spec kinds' schemas),
 * as {@code kubectl explain} describes a resource. Fields are listed sorted by name, whatever
 * order their schema has (Jsonnet objects have none).
 */
public final class Explainer {
    private Explainer() {
    }

    /** Where a wrong target is reported: it comes from the command line, not from a file. */
    private static final Loc COMMAND_LINE = new Loc("plinth explain", 0, 0);

    /** What the target names: its header lines, description, example and schema. */
    private record Subject(String name, Map<String, String> header, String description, String example,
                           ParamSchema schema) {
    }

    /**
     * The explanation of {@code target} in the platform at {@code root} (its own library roots
     * first, as a render finds definitions). Throws {@link PlinthException} for an unknown type,
     * kind or field, naming the known ones.
     */
    public static String explain(Path root, String target, boolean recursive) {
        Library library = new Library(root, SpecLoader.loadPlatform(root).libraryRoots(root));
        Definitions definitions = new Definitions(new JsonnetEngine(library));
        try {
            int dot = target.indexOf('.');
            Subject subject = subject(definitions, dot < 0 ? target : target.substring(0, dot));
            List<String> path = dot < 0 ? List.of() : List.of(target.substring(dot + 1).split("\\.", -1));
            return describe(subject, path, recursive);
        } catch (Definitions.BrokenDefinition | Library.LibraryError e) {
            throw PlinthException.of(COMMAND_LINE, e.getMessage());
        }
    }

    private static Subject subject(Definitions definitions, String name) throws Definitions.BrokenDefinition {
        int slash = name.indexOf('/');
        String prefix = slash < 0 ? null : name.substring(0, slash);
        String bare = slash < 0 ? name : name.substring(slash + 1);
        if (prefix != null && !List.of("component", "trait", "kind").contains(prefix)) {
            throw PlinthException.of(COMMAND_LINE, "unknown prefix '" + prefix + "/' in '" + name
                    + "' (known: component/, kind/, trait/)");
        }
        List<Subject> found = new ArrayList<>();
        List<String> as = new ArrayList<>();
        if (prefix == null || prefix.equals("kind")) {
            String kind = bare.toLowerCase(Locale.ROOT);
            if (SpecLoader.kinds().contains(kind)) {
                Map<String, String> header = new LinkedHashMap<>();
                header.put("KIND", kindName(kind));
                header.put("VERSION", Specs.API_VERSION);
                found.add(new Subject(kindName(kind), header, null, null, SpecLoader.kindSchema(kind)));
                as.add("kind/" + kindName(kind));
            }
        }
        for (String kind : List.of("components", "traits")) {
            String singular = kind.equals("components") ? "component" : "trait";
            if (prefix != null && !prefix.equals(singular)) continue;
            Optional<Definition> d = definitions.find(kind, bare);
            if (d.isEmpty()) continue;
            Definition def = d.get();
            Map<String, String> header = new LinkedHashMap<>();
            header.put(singular.toUpperCase(Locale.ROOT), bare);
            header.put("SOURCE", def.display());
            if (kind.equals("traits")) {
                header.put("APPLIES TO", String.join(", ", def.appliesTo()));
                if (!def.conflictsWith().isEmpty()) header.put("CONFLICTS WITH", String.join(", ", def.conflictsWith()));
            }
            found.add(new Subject(bare, header, def.description(), def.example(), def.parameters()));
            as.add(singular + "/" + bare);
        }
        if (found.size() == 1) return found.get(0);
        if (found.size() > 1) {
            throw PlinthException.of(COMMAND_LINE, "'" + bare + "' names more than one thing ("
                    + String.join(", ", as) + "): write one of these");
        }
        Library library = definitions.library();
        String kinds = String.join(", ", SpecLoader.kinds().stream().map(Explainer::kindName).toList());
        throw PlinthException.of(COMMAND_LINE, "unknown " + switch (prefix == null ? "" : prefix) {
            case "component" -> "component type '" + bare + "' (known: " + String.join(", ", library.typeNames("components")) + ")";
            case "trait" -> "trait '" + bare + "' (known: " + String.join(", ", library.typeNames("traits")) + ")";
            case "kind" -> "spec kind '" + bare + "' (known: " + kinds + ")";
            default -> "type or kind '" + bare + "' (known kinds: " + kinds
                    + "; component types: " + String.join(", ", library.typeNames("components"))
                    + "; traits: " + String.join(", ", library.typeNames("traits")) + ")";
        });
    }

    private static String kindName(String kind) {
        return kind.substring(0, 1).toUpperCase(Locale.ROOT) + kind.substring(1);
    }

    private static String describe(Subject subject, List<String> path, boolean recursive) {
        ParamSchema schema = subject.schema();
        StringBuilder at = new StringBuilder(subject.name());
        for (String field : path) {
            ParamSchema parent = fieldsOf(schema);
            if (parent == null) {
                throw PlinthException.of(COMMAND_LINE, at + " is <" + typeName(schema) + "> and has no fields (no '" + field + "')");
            }
            ParamSchema child = parent.properties().get(field);
            if (child == null) {
                throw PlinthException.of(COMMAND_LINE, "unknown field '" + field + "' in " + at + " (known: "
                        + String.join(", ", new TreeMap<>(parent.properties()).keySet()) + ")");
            }
            schema = child;
            at.append('.').append(field);
        }

        StringBuilder out = new StringBuilder();
        Map<String, String> header = new LinkedHashMap<>(subject.header());
        if (!path.isEmpty()) header.put("FIELD", String.join(".", path) + " <" + typeName(schema) + ">");
        int width = header.keySet().stream().mapToInt(String::length).max().orElse(0) + 2;
        header.forEach((k, v) -> out.append(pad(k + ":", width)).append(v).append('\n'));

        String description = path.isEmpty() && subject.description() != null ? subject.description() : schema.description();
        out.append("\nDESCRIPTION:\n").append(indent(description == null || description.isBlank() ? "<empty>" : description.strip(), 4));

        List<String> facts = new ArrayList<>();
        if (schema.hasDefault()) facts.add("DEFAULT: " + JsonValues.write(schema.defaultValue()));
        if (schema.enumValues() != null) {
            facts.add("ALLOWED VALUES: " + String.join(", ", schema.enumValues().stream().map(JsonValues::write).toList()));
        }
        if (schema.pattern() != null) facts.add("PATTERN: " + schema.pattern());
        if (schema.minimum() != null) facts.add("MINIMUM: " + SchemaChecker.fmt(schema.minimum()));
        if (schema.maximum() != null) facts.add("MAXIMUM: " + SchemaChecker.fmt(schema.maximum()));
        if (!path.isEmpty()) facts.add("REQUIRED: " + (schema.required() ? "yes" : "no"));
        if (!facts.isEmpty()) out.append('\n').append(String.join("\n", facts)).append('\n');

        if (path.isEmpty() && subject.example() != null && !subject.example().isBlank()) {
            out.append("\nEXAMPLE:\n").append(indent(subject.example().stripTrailing(), 4));
        }

        ParamSchema fields = fieldsOf(schema);
        if (fields != null) {
            out.append("\nFIELDS:\n");
            if (recursive) tree(fields, 2, out);
            else {
                // a blank line between fields only sets descriptions apart: without any, a list reads better
                boolean described = fields.properties().values().stream().anyMatch(f -> f.description() != null && !f.description().isBlank());
                String separator = "";
                for (Map.Entry<String, ParamSchema> e : new TreeMap<>(fields.properties()).entrySet()) {
                    out.append(separator).append("  ").append(line(e.getKey(), e.getValue())).append('\n');
                    String d = e.getValue().description();
                    if (d != null && !d.isBlank()) out.append("    ").append(d.strip().lines().findFirst().orElse("")).append('\n');
                    separator = described ? "\n" : "";
                }
            }
        }
        return out.toString();
    }

    private static void tree(ParamSchema fields, int depth, StringBuilder out) {
        for (Map.Entry<String, ParamSchema> e : new TreeMap<>(fields.properties()).entrySet()) {
            out.append(" ".repeat(depth)).append(line(e.getKey(), e.getValue())).append('\n');
            ParamSchema children = fieldsOf(e.getValue());
            if (children != null) tree(children, depth + 2, out);
        }
    }

    private static String line(String name, ParamSchema s) {
        return name + " <" + typeName(s) + ">" + (s.required() ? " -required-" : "");
    }

    /**
     * The object schema whose properties are the fields one level down: the schema itself, an
     * array's items, a map's values, or the alternative of a {@code oneOf} that has fields (at
     * most one of each shape, so at most two). Null when the value has no named fields.
     */
    static ParamSchema fieldsOf(ParamSchema s) {
        if (s == null) return null;
        if (s.oneOf() != null) {
            for (ParamSchema alternative : s.oneOf()) {
                ParamSchema f = fieldsOf(alternative);
                if (f != null) return f;
            }
            return null;
        }
        return switch (s.type()) {
            case "object" -> s.properties() == null || s.properties().isEmpty() ? null : s;
            case "map" -> fieldsOf(s.values());
            case "array" -> fieldsOf(s.items());
            default -> null;
        };
    }

    /** {@code string}, {@code []object}, {@code map of quantity}, {@code string or object}. */
    static String typeName(ParamSchema s) {
        if (s.oneOf() != null) return String.join(" or ", s.oneOf().stream().map(Explainer::typeName).toList());
        return switch (s.type()) {
            case "array" -> "[]" + (s.items() == null ? "any" : grouped(typeName(s.items())));
            case "map" -> s.values() == null ? "map" : "map of " + grouped(typeName(s.values()));
            default -> s.type();
        };
    }

    private static String grouped(String type) {
        return type.contains(" or ") ? "(" + type + ")" : type;
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s + " " : s + " ".repeat(width - s.length());
    }

    private static String indent(String text, int n) {
        StringBuilder sb = new StringBuilder();
        for (String l : text.split("\n", -1)) sb.append(l.isEmpty() ? "" : " ".repeat(n) + l).append('\n');
        return sb.toString();
    }
}
