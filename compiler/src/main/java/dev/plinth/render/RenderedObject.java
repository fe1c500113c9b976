package dev.plinth.render;

import dev.plinth.diag.Loc;
import dev.plinth.yaml.PNode;

import java.util.Map;
import java.util.function.Supplier;

/**
 * One rendered Kubernetes object with its provenance: the spec line that produced it (a
 * component, a trait or a tenant) and where it belongs in the output.
 *
 * <p>An object of a unit the render cache had is made from its identity alone (apiVersion,
 * kind, name, namespace); its body is read from the cache only when something asks for it. After
 * a small change most objects' bodies are never read: their findings, their files and their
 * namespaces' checks come from the cache too.
 */
public final class RenderedObject {
    /** Which part of a cluster's directory the object goes to (docs/spec.md, Output). */
    public enum Area { PLATFORM, TENANT, APP }

    /** What identifies an object without its body. */
    public record Identity(String apiVersion, String kind, String name, String namespace) {
        /** A body's identity (null for a name or namespace it does not have). */
        public static Identity of(Map<String, Object> body) {
            Object meta = body.get("metadata");
            Map<?, ?> m = meta instanceof Map<?, ?> map ? map : Map.of();
            return new Identity(String.valueOf(body.get("apiVersion")), String.valueOf(body.get("kind")), text(m.get("name")),
                    text(m.get("namespace")));
        }

        private static String text(Object v) {
            return v == null ? null : String.valueOf(v);
        }
    }

    private final String cluster;
    private final Area area;
    private final String tenant;
    private final String app;
    private final String component;
    private final Loc source;
    private final PNode origin;
    private final String unit;
    private final Identity identity;
    private Supplier<Map<String, Object>> bodySource;
    private Map<String, Object> body;

    /**
     * @param app       null for tenant and platform objects
     * @param component null for tenant and platform objects
     * @param origin    the spec values the object was rendered from (the component's or trait's
     *                  properties, or the tenant spec): findings about a value that came from the
     *                  spec point at that value's own line; null when unknown
     * @param unit      the unit that rendered it (cluster/tenant or cluster/app/component)
     */
    public RenderedObject(String cluster, Area area, String tenant, String app, String component,
                          Map<String, Object> body, Loc source, PNode origin, String unit) {
        this(cluster, area, tenant, app, component, null, null, body, source, origin, unit);
    }

    /** An object whose body {@code bodySource} gives when it is first asked for (once, on any thread). */
    public static RenderedObject lazy(String cluster, Area area, String tenant, String app, String component,
                                      Identity identity, Supplier<Map<String, Object>> bodySource, Loc source, PNode origin,
                                      String unit) {
        return new RenderedObject(cluster, area, tenant, app, component, identity, bodySource, null, source, origin, unit);
    }

    private RenderedObject(String cluster, Area area, String tenant, String app, String component, Identity identity,
                           Supplier<Map<String, Object>> bodySource, Map<String, Object> body, Loc source, PNode origin,
                           String unit) {
        this.cluster = cluster;
        this.area = area;
        this.tenant = tenant;
        this.app = app;
        this.component = component;
        this.identity = identity;
        this.bodySource = bodySource;
        this.body = body;
        this.source = source;
        this.origin = origin;
        this.unit = unit;
    }

    public String cluster() {
        return cluster;
    }

    public Area area() {
        return area;
    }

    public String tenant() {
        return tenant;
    }

    public String app() {
        return app;
    }

    public String component() {
        return component;
    }

    public synchronized Map<String, Object> body() {
        if (body == null) {
            body = bodySource.get();
            bodySource = null;
        }
        return body;
    }

    public Loc source() {
        return source;
    }

    public PNode origin() {
        return origin;
    }

    public String unit() {
        return unit;
    }

    /** The object's identity, from the body when it has no other. */
    public Identity identity() {
        return identity != null ? identity : Identity.of(body());
    }

    public String apiVersion() {
        return identity != null ? identity.apiVersion() : String.valueOf(body().get("apiVersion"));
    }

    public String kind() {
        return identity != null ? identity.kind() : String.valueOf(body().get("kind"));
    }

    public String group() {
        String av = apiVersion();
        int i = av.indexOf('/');
        return i < 0 ? "" : av.substring(0, i);
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> metadata() {
        return body().get("metadata") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    public String name() {
        if (identity != null) return identity.name();
        Object n = metadata().get("name");
        return n == null ? null : String.valueOf(n);
    }

    public String namespace() {
        if (identity != null) return identity.namespace();
        Object n = metadata().get("namespace");
        return n == null ? null : String.valueOf(n);
    }

    /** "Kind/name" or "Kind/namespace/name", for messages. */
    public String describe() {
        String ns = namespace();
        return kind() + "/" + (ns == null ? "" : ns + "/") + name();
    }

    @Override
    public String toString() {
        return unit + " " + describe();
    }
}
