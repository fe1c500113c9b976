package dev.plinth.check;

import dev.plinth.diag.Diagnostic;
import dev.plinth.diag.Diagnostic.Severity;
import dev.plinth.diag.Diagnostics;
import dev.plinth.diag.Loc;
import dev.plinth.render.RenderedObject;
import dev.plinth.render.RenderedPlatform.RenderedCluster;
import dev.plinth.spec.Specs.Waiver;
import dev.plinth.yaml.PNode;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Arrays;

/**
 * Where checks report. A finding about an object is placed at the spec line that produced it;
 * when the offending value itself was written in the spec (an image, a replica count), at that
 * value's line. Findings that the object's app or tenant waives are dropped.
 */
public final class Findings {
    private final Diagnostics sink;
    private final RenderedCluster cluster;
    private final Map<String, List<Waiver>> appWaivers;
    private final Map<String, List<Waiver>> tenantWaivers;
    private final Set<String> usedWaivers;
    /** Set for a recorder: findings are kept as they were reported, before waivers and placing. */
    private final List<Recorded> recording;
    private int object;
    /** Set for a recorder of several objects' findings: their indexes (findings about other objects are dropped). */
    private final Map<RenderedObject, Integer> indexes;

    /**
     * A finding as the render cache keeps it: the index of the object among its unit's (or, for
     * the checks across objects, its scope's), and the value to place it by (only a string is
     * ever placed, see {@link #locate}).
     * Waivers and places are applied when it is replayed: both come from the specs, which may
     * change without changing the object.
     */
    record Recorded(int object, Severity severity, String check, String path, String message, String value) {
        /** The finding as a row of plain values (for JSON): object, severity, check, path, message, value. */
        List<Object> row() {
            return Arrays.asList((long) object, severity.name(), check, path, message, value);
        }

        /** The finding a {@link #row} was made of, or null when it is not one or names an object past {@code objects}. */
        static Recorded fromRow(Object row, int objects) {
            if (!(row instanceof List<?> f) || f.size() != 6 || !(f.get(0) instanceof Long object)
                    || object < 0 || object >= objects) {
                return null;
            }
            try {
                return new Recorded(object.intValue(), Severity.valueOf(String.valueOf(f.get(1))), text(f.get(2)), text(f.get(3)),
                        text(f.get(4)), text(f.get(5)));
            } catch (IllegalArgumentException e) {
                return null; // an unknown severity
            }
        }

        private static String text(Object v) {
            return v instanceof String s ? s : null;
        }
    }

    Findings(Diagnostics sink, RenderedCluster cluster, Map<String, List<Waiver>> appWaivers,
             Map<String, List<Waiver>> tenantWaivers, Set<String> usedWaivers) {
        this(sink, cluster, appWaivers, tenantWaivers, usedWaivers, null, null);
    }

    private Findings(Diagnostics sink, RenderedCluster cluster, Map<String, List<Waiver>> appWaivers,
                     Map<String, List<Waiver>> tenantWaivers, Set<String> usedWaivers, List<Recorded> recording,
                     Map<RenderedObject, Integer> indexes) {
        this.sink = sink;
        this.cluster = cluster;
        this.appWaivers = appWaivers;
        this.tenantWaivers = tenantWaivers;
        this.usedWaivers = usedWaivers;
        this.recording = recording;
        this.indexes = indexes;
    }

    /** Findings that are recorded into {@code into}, for the object set with {@link #at}. */
    static Findings recorder(List<Recorded> into) {
        return new Findings(null, null, Map.of(), Map.of(), Set.of(), into, null);
    }

    /**
     * Findings that are recorded into {@code into} with the index {@code indexes} gives their
     * object; findings about an object it has no index for are dropped.
     */
    static Findings recorder(List<Recorded> into, Map<RenderedObject, Integer> indexes) {
        return new Findings(null, null, Map.of(), Map.of(), Set.of(), into, indexes);
    }

    /** The index, among its unit's objects, of the object a recorder's next findings are about. */
    void at(int objectIndex) {
        object = objectIndex;
    }

    /** Reports a recorded finding about {@code o}, the object it was recorded for. */
    void replay(Recorded r, RenderedObject o) {
        report(r.severity(), r.check(), o, r.path(), r.message(), r.value());
    }

    /**
     * False when a finding about {@code o} would be dropped: a check run over one namespace's
     * scope sees the cluster-scoped objects too, but reports only about the scope's own objects,
     * so it may skip work on the others.
     */
    public boolean reports(RenderedObject o) {
        return indexes == null || indexes.containsKey(o);
    }

    public void error(String check, RenderedObject o, String path, String message, Object value) {
        report(Severity.ERROR, check, o, path, message, value);
    }

    public void warning(String check, RenderedObject o, String path, String message, Object value) {
        report(Severity.WARNING, check, o, path, message, value);
    }

    /**
     * An error about {@code o} placed at {@code at}, a spec line that implies it other than the
     * object's own (a cluster's line, a declared use's); waived as any finding about {@code o}.
     */
    public void errorAt(String check, RenderedObject o, Loc at, String path, String message) {
        if (recording != null || at == null) {
            report(Severity.ERROR, check, o, path, message, null);
            return;
        }
        if (waived(check, o, path, message)) return;
        sink.add(new Diagnostic(at, Severity.ERROR, check, message,
                new Diagnostic.Subject(cluster.cluster().name(), o.namespace(), o.kind(), o.name(), path)));
    }

    private void report(Severity severity, String check, RenderedObject o, String path, String message, Object value) {
        if (recording != null) {
            Integer index = indexes == null ? Integer.valueOf(object) : indexes.get(o);
            if (index != null) recording.add(new Recorded(index, severity, check, path, message, value instanceof String s ? s : null));
            return;
        }
        // a flagged value stays out of every message, also of other checks (even when this finding is waived)
        if (check.equals(SECRETS_CHECK) && value instanceof String s) sink.secret(s);
        if (waived(check, o, path, message)) return;
        Diagnostic.Subject subject = new Diagnostic.Subject(cluster.cluster().name(), o.namespace(), o.kind(), o.name(), path);
        sink.add(new Diagnostic(locate(o, value), severity, check, message, subject));
    }

    /**
     * The id of the check of names and labels that api-validation replaced: a waiver naming it
     * still waives what it checked, api-validation's findings about the syntax of metadata.name
     * and about metadata.labels (not the newer rules, such as a CronJob's name length).
     */
    static final String RETIRED_OBJECT_SHAPE = "object-shape";

    /** The check whose values {@link Diagnostics#secret} keeps out of every message. */
    private static final String SECRETS_CHECK = "no-plaintext-secrets";

    private static boolean waives(Waiver w, String check, String path, String message) {
        // the clusters enforce their admission policies whatever a waiver says: the checker
        // reports such a waiver as an error, and the denial it names stays reported too
        if (check.equals(AdmissionCheck.ID)) return false;
        if (w.check().equals(check)) return true;
        if (!w.check().equals(RETIRED_OBJECT_SHAPE) || !check.equals(ApiValidationCheck.ID) || path == null) return false;
        if (path.equals("metadata.labels") || path.startsWith("metadata.labels.")) return true;
        return path.equals("metadata.name") && (message.contains("RFC 1123") || message.contains("DNS-1035"));
    }

    private boolean waived(String check, RenderedObject o, String path, String message) {
        for (Waiver w : o.app() == null ? List.<Waiver>of() : appWaivers.getOrDefault(o.app(), List.of())) {
            if (waives(w, check, path, message)) {
                usedWaivers.add(w.loc().toString());
                return true;
            }
        }
        for (Waiver w : tenantWaivers.getOrDefault(o.tenant(), List.of())) {
            if (waives(w, check, path, message)) {
                usedWaivers.add(w.loc().toString());
                return true;
            }
        }
        return false;
    }

    /**
     * The line of the spec value equal to {@code value}, if the object's origin has one; else of
     * a key equal to it (an env var's name, a ConfigMap's key written as a map key in the spec).
     */
    static Loc locate(RenderedObject o, Object value) {
        // only distinctive values: a 1 or a true could match any unrelated line of the spec
        if (value instanceof String s && s.length() >= 2 && o.origin() != null) {
            // the object's own document first (a manifests file or a list of objects holds many)
            PNode own = ownDocument(o.origin(), o.kind(), o.name());
            Loc found = own == null ? null : find(own, value);
            if (found == null && own != null) found = findKey(own, s);
            if (found == null) found = find(o.origin(), value);
            if (found == null) found = findKey(o.origin(), s);
            if (found != null) return found;
        }
        return o.source();
    }

    /** The map in the spec values that is the object itself (its kind and metadata.name), if it is written there whole. */
    private static PNode ownDocument(PNode node, String kind, String name) {
        if (node instanceof PNode.PMap m) {
            if (m.entries().get("kind") instanceof PNode.PScalar k && kind.equals(k.value())
                    && m.entries().get("metadata") instanceof PNode.PMap meta
                    && meta.entries().get("name") instanceof PNode.PScalar n && name.equals(n.value())) {
                return m;
            }
            for (PNode child : m.entries().values()) {
                PNode found = ownDocument(child, kind, name);
                if (found != null) return found;
            }
        } else if (node instanceof PNode.PList l) {
            for (PNode child : l.items()) {
                PNode found = ownDocument(child, kind, name);
                if (found != null) return found;
            }
        }
        return null;
    }

    private static Loc findKey(PNode node, String key) {
        if (node instanceof PNode.PMap m) {
            if (m.entries().containsKey(key)) return m.keyLoc(key);
            for (PNode child : m.entries().values()) {
                Loc l = findKey(child, key);
                if (l != null) return l;
            }
        } else if (node instanceof PNode.PList l) {
            for (PNode child : l.items()) {
                Loc found = findKey(child, key);
                if (found != null) return found;
            }
        }
        return null;
    }

    private static Loc find(PNode node, Object value) {
        if (node instanceof PNode.PScalar s) {
            Object v = s.value();
            if (v != null && (v.equals(value) || (v instanceof Number a && value instanceof Number b
                    && a.doubleValue() == b.doubleValue()))) {
                return s.loc();
            }
            return null;
        }
        if (node instanceof PNode.PMap m) {
            for (PNode child : m.entries().values()) {
                Loc l = find(child, value);
                if (l != null) return l;
            }
        } else if (node instanceof PNode.PList l) {
            for (PNode child : l.items()) {
                Loc found = find(child, value);
                if (found != null) return found;
            }
        }
        return null;
    }
}
