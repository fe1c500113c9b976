package dev.plinth.render;

import dev.plinth.diag.Loc;
import dev.plinth.yaml.PNode;

import java.util.Map;

/**
 * One rendered Kubernetes object with its provenance: the spec line that produced it (a
 * component, a trait or a tenant) and where it belongs in the output.
 *
 * @param app       null for tenant and platform objects
 * @param component null for tenant and platform objects
 * @param origin    the spec values the object was rendered from (the component's or trait's
 *                  properties, or the tenant spec): findings about a value that came from the
 *                  spec point at that value's own line; null when unknown
 * @param unit      the unit that rendered it (cluster/tenant or cluster/app/component)
 * @param yamlDigest the length and checksum of the object's YAML ({@code LENGTH:CHECKSUM}, see
 *                  {@code OutputFile.Digest}) when the render cache has them, else null
 */
public record RenderedObject(String cluster, Area area, String tenant, String app, String component,
                             Map<String, Object> body, Loc source, PNode origin, String unit, String yamlDigest) {

    public RenderedObject withYamlDigest(String digest) {
        return new RenderedObject(cluster, area, tenant, app, component, body, source, origin, unit, digest);
    }

    /** Which part of a cluster's directory the object goes to (SPEC §4). */
    public enum Area { PLATFORM, TENANT, APP }

    public String apiVersion() {
        return String.valueOf(body.get("apiVersion"));
    }

    public String kind() {
        return String.valueOf(body.get("kind"));
    }

    public String group() {
        String av = apiVersion();
        int i = av.indexOf('/');
        return i < 0 ? "" : av.substring(0, i);
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> metadata() {
        return body.get("metadata") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    public String name() {
        Object n = metadata().get("name");
        return n == null ? null : String.valueOf(n);
    }

    public String namespace() {
        Object n = metadata().get("namespace");
        return n == null ? null : String.valueOf(n);
    }

    /** "Kind/name" or "Kind/namespace/name", for messages. */
    public String describe() {
        String ns = namespace();
        return kind() + "/" + (ns == null ? "" : ns + "/") + name();
    }
}
