package dev.plinth.yaml;

import org.snakeyaml.engine.v2.api.ConstructNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.resolver.ScalarResolver;
import org.snakeyaml.engine.v2.schema.Schema;

import java.util.Map;
import java.util.regex.Pattern;
import java.util.Set;

/**
 * The YAML 1.1 implicit types (and the YAML 1.2 ones they miss, such as {@code 0o17} or {@code 089}), used
 * only when writing. The emitter quotes any string that this
 * resolver would read as something other than a string, so output is safe for YAML 1.1 readers
 * (go-yaml v2, kubectl, Argo CD), which take {@code on}, {@code y}, {@code 012} or {@code 1:30}
 * for booleans and numbers.
 */
final class Yaml11Schema implements Schema {
    private static final Pattern BOOL = Pattern.compile(
            "y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF");
    private static final Pattern INT = Pattern.compile(
            "[-+]?0b[0-1_]+|[-+]?0[0-7_]+|0o[0-7]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+"
                    // YAML 1.2's decimal with leading zeros (go-yaml v3, as kustomize reads: 089 is a number)
                    + "|[-+]?[0-9]+"
                    + "|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+");
    private static final Pattern FLOAT = Pattern.compile(
            "[-+]?(?:[0-9][0-9_]*)?\\.[0-9_]*(?:[eE][-+]?[0-9]+)?|[-+]?[0-9][0-9_]*(?:[eE][-+]?[0-9]+)"
                    + "|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\\.[0-9_]*|[-+]?\\.(?:inf|Inf|INF)|\\.(?:nan|NaN|NAN)");
    private static final Pattern NULL = Pattern.compile("~|null|Null|NULL|");
    private static final Pattern TIMESTAMP = Pattern.compile(
            "[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:(?:[Tt]|[ \\t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\\.[0-9]*)?"
                    + "(?:[ \\t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)?");
    private static final Pattern MERGE_OR_VALUE = Pattern.compile("<<|=");

    /** The YAML 1.1 booleans and nulls that start with a letter: a set lookup instead of regexes. */
    private static final Set<String> WORDS = Set.of(
            "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "true", "True", "TRUE", "false", "False", "FALSE",
            "on", "On", "ON", "off", "Off", "OFF", "null", "Null", "NULL");

    private static final ScalarResolver RESOLVER = (value, implicit) -> {
        if (!implicit) return Tag.STR;
        // Fast path: most scalars (keys, names, images) start with a letter, and then only the
        // boolean and null words can be anything but a string. The emitter asks for every scalar.
        if (!value.isEmpty() && Character.isLetter(value.charAt(0))) {
            if (!WORDS.contains(value)) return Tag.STR;
            return NULL.matcher(value).matches() ? Tag.NULL : Tag.BOOL;
        }
        if (BOOL.matcher(value).matches()) return Tag.BOOL;
        if (INT.matcher(value).matches()) return Tag.INT;
        if (FLOAT.matcher(value).matches()) return Tag.FLOAT;
        if (NULL.matcher(value).matches()) return Tag.NULL;
        if (TIMESTAMP.matcher(value).matches() || MERGE_OR_VALUE.matcher(value).matches()) {
            return new Tag("tag:yaml.org,2002:timestamp");
        }
        return Tag.STR;
    };

    /** True when a YAML 1.1 reader takes the plain scalar for a string. */
    static boolean resolvesToString(String value) {
        return Tag.STR.equals(RESOLVER.resolve(value, true));
    }

    @Override
    public ScalarResolver getScalarResolver() {
        return RESOLVER;
    }

    @Override
    public Map<Tag, ConstructNode> getSchemaTagConstructors() {
        return Map.of();
    }
}
