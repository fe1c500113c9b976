package dev.plinth.render;

import dev.plinth.schema.ParamSchema;

import java.util.List;
import java.util.Map;

/**
 * What Plinth reads from a definition file before rendering: its parameter schema and, for
 * traits, what it applies to and conflicts with.
 *
 * @param kind      "components" or "traits"
 * @param path      virtual path in the library
 * @param display   how the file is named in messages
 * @param example   an optional spec snippet showing the type in use (for the reference docs)
 * @param appliesTo for traits: component types or rendered kinds, or "*"
 * @param host      what Plinth computes in Java before render() runs ("helm": the chart's
 *                  manifests in props.manifests), or null
 * @param operator  the operator the type targets, {name, default, supported}, or null
 * @param listens   for components: the ports other components reach its pods on when a use
 *                  names no port, each {port: number or name, protocol}; empty when none
 */
public record Definition(String kind, String type, String path, String display, String description,
                         String example, ParamSchema parameters, List<String> appliesTo, List<String> conflictsWith,
                         String host, Map<String, Object> operator, List<Map<String, Object>> listens,
                         List<String> refers) {
}
