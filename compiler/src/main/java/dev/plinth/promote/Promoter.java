package dev.plinth.promote;

import dev.plinth.diag.Diagnostics;
import dev.plinth.diag.Loc;
import dev.plinth.diag.PlinthException;
import dev.plinth.resolve.ResolvedPlatform;
import dev.plinth.resolve.ResolvedPlatform.ClusterPlan;
import dev.plinth.spec.SpecLoader;
import dev.plinth.spec.Specs.AppSpec;
import dev.plinth.spec.Specs.ComponentSpec;
import dev.plinth.spec.Specs.EnvironmentSpec;
import dev.plinth.spec.Specs.LoadedPlatform;
import dev.plinth.yaml.PNode;
import dev.plinth.yaml.YamlReader;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * {@code plinth promote}: the image references and chart versions one environment renders,
 * written into another's environment file as overrides, as the smallest edit of that file.
 *
 * <p>What is promoted is data, not a list of types: in a component's properties (after extends
 * and overrides), every value under a key named {@code image} (a reference, or a map of
 * repository/tag/digest as Helm values have it), the {@code version} of a {@code chart} map, and
 * a {@code version} beside a {@code chart} (an OCI chart). Values inside lists are not, since an
 * override replaces a list whole.
 */
public final class Promoter {

    /** One value the target gets: at {@code path} (dotted, in the component's properties), {@code was} (null: unset) becomes {@code value}. */
    public record Change(String app, String component, String path, Object was, Object value) {
        @Override
        public String toString() {
            return app + "/" + component + " " + path + ": " + (was == null ? "(unset)" : was) + " -> " + value;
        }
    }

    /**
     * The promotion: the target's environment file before and after.
     *
     * @param file  the file, relative to the root
     * @param notes what was left out and why (apps or components the target does not render,
     *              values the target sets that the source does not)
     */
    public record Plan(Path root, String file, String before, String after, List<Change> changes, List<String> notes) {
        public String diff() {
            return UnifiedDiff.of(file, before, after);
        }
    }

    private Promoter() {
    }

    /**
     * Computes the promotion; writes nothing.
     *
     * @param app       only this application; null for all that both render
     * @param component only components of this name; null for all
     */
    public static Plan plan(LoadedPlatform loaded, ResolvedPlatform resolved, String from, String to, String app, String component) {
        EnvironmentSpec target = loaded.environments().get(to);
        Map<String, AppSpec> source = rendered(resolved, from);
        Map<String, AppSpec> dest = rendered(resolved, to);
        String file = target.dir() + "/environment.yaml";
        Loc fromFile = Loc.file(loaded.environments().get(from).dir() + "/environment.yaml");
        Loc toFile = Loc.file(file);
        if (app != null && !source.containsKey(app)) {
            throw PlinthException.of(fromFile, "environment '" + from + "' renders no application '" + app + "'" + known(source.keySet()));
        }
        if (app != null && !dest.containsKey(app)) {
            throw PlinthException.of(toFile, "environment '" + to + "' renders no application '" + app + "'" + known(dest.keySet()));
        }
        List<String> notes = new ArrayList<>();
        List<Change> changes = new ArrayList<>();
        boolean componentSeen = false;
        for (AppSpec a : source.values()) {
            if (app != null && !app.equals(a.name())) continue;
            AppSpec b = dest.get(a.name());
            for (ComponentSpec c : a.components()) {
                if (component != null && !component.equals(c.name())) continue;
                componentSeen = true;
                if (b == null) {
                    notes.add("skipped " + a.name() + ": environment '" + to + "' does not render it");
                    continue;
                }
                ComponentSpec d = b.components().stream().filter(x -> x.name().equals(c.name())).findFirst().orElse(null);
                if (d == null) {
                    if (component != null) {
                        throw PlinthException.of(toFile, "application '" + a.name() + "' has no component '" + component
                                + "' in environment '" + to + "'" + known(b.components().stream().map(ComponentSpec::name).toList()));
                    }
                    notes.add("skipped " + a.name() + "/" + c.name() + ": environment '" + to + "' does not render it");
                    continue;
                }
                Map<String, Object> want = promoted(c.properties());
                Map<String, Object> have = promoted(d.properties());
                want.forEach((path, value) -> {
                    if (!Objects.equals(value, have.get(path))) changes.add(new Change(a.name(), c.name(), path, have.get(path), value));
                });
                have.keySet().stream().filter(p -> !want.containsKey(p)).forEach(p -> notes.add(a.name() + "/" + c.name() + " " + p
                        + " is set in '" + to + "' but not in '" + from + "': left as it is (an override cannot unset a value)"));
            }
        }
        if (component != null && !componentSeen) {
            throw PlinthException.of(fromFile, app == null
                    ? "no application of environment '" + from + "' has a component '" + component + "'"
                    : "application '" + app + "' has no component '" + component + "' in environment '" + from + "'");
        }
        String before = read(loaded.root(), file);
        String after = changes.isEmpty() ? before : edit(file, before, changes);
        return new Plan(loaded.root(), file, before, after, List.copyOf(changes), List.copyOf(notes));
    }

    /** Writes the plan's file: refused when it leaves the root (through a link) or cannot be written. */
    public static void write(Plan plan) {
        if (plan.before().equals(plan.after())) return;
        Loc at = Loc.file(plan.file());
        Path file = plan.root().resolve(plan.file());
        try {
            Path real = file.toRealPath();
            if (!real.startsWith(plan.root().toRealPath())) {
                throw PlinthException.of(at, plan.file() + " leads out of the platform root (to " + real + " through a link): not written");
            }
            if (!Files.isWritable(real) || !Files.isWritable(real.getParent())) {
                throw PlinthException.of(at, plan.file() + " is not writable");
            }
            if (!read(plan.root(), plan.file()).equals(plan.before())) {
                throw PlinthException.of(at, plan.file() + " changed while the promotion was computed: run it again");
            }
            // a whole file or the old one, never half: written beside it, then moved over it
            Path tmp = Files.createTempFile(real.getParent(), ".environment", ".yaml.tmp");
            try {
                Files.writeString(tmp, plan.after());
                PosixFileAttributeView posix = Files.getFileAttributeView(real, PosixFileAttributeView.class);
                if (posix != null) Files.setPosixFilePermissions(tmp, posix.readAttributes().permissions());
                Files.move(tmp, real, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (AccessDeniedException e) {
            throw PlinthException.of(at, plan.file() + " is not writable");
        } catch (IOException e) {
            throw PlinthException.of(at, "cannot write " + plan.file() + ": " + e.getMessage());
        }
    }

    /** The apps an environment renders (on any of its clusters), by name; an environment's overrides are the same on all. */
    private static Map<String, AppSpec> rendered(ResolvedPlatform resolved, String env) {
        Map<String, AppSpec> apps = new TreeMap<>();
        for (ClusterPlan p : resolved.clusters()) {
            if (!p.cluster().environment().equals(env)) continue;
            for (ResolvedPlatform.PlacedApp a : p.apps()) apps.putIfAbsent(a.app().name(), a.app());
        }
        return apps;
    }

    /** The promoted values of a component's properties by dotted path, in the order written. */
    static Map<String, Object> promoted(PNode properties) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (properties instanceof PNode.PMap m) collect(m, "", false, out);
        return out;
    }

    private static void collect(PNode.PMap map, String prefix, boolean underImage, Map<String, Object> out) {
        map.entries().forEach((k, v) -> {
            String path = prefix + k;
            boolean image = underImage || k.equals("image");
            boolean chartVersion = k.equals("version") && (prefix.endsWith("chart.") || map.entries().containsKey("chart"));
            if (v instanceof PNode.PMap child) {
                collect(child, path + ".", image, out);
            } else if (v instanceof PNode.PScalar s && s.value() != null && (image || chartVersion)) {
                out.put(path, s.value());
            }
        });
    }

    // ---- the edit -------------------------------------------------------------------------------

    /** The target's file with the changes written into its {@code spec.overrides}. */
    static String edit(String file, String text, List<Change> changes) {
        List<PNode> docs = YamlReader.readAll(file, text, new Diagnostics());
        if (docs.size() != 1 || !(docs.get(0) instanceof PNode.PMap doc) || !(doc.get("spec") instanceof PNode.PMap spec)) {
            throw PlinthException.of(Loc.file(file), file + " has no spec map to write overrides into");
        }
        YamlTextEdit edit = new YamlTextEdit(file, text);
        Map<String, Map<String, Object>> byTarget = new LinkedHashMap<>();
        for (Change c : changes) {
            setPath(byTarget.computeIfAbsent(c.app() + "/" + c.component(), k -> new LinkedHashMap<>()), c.path(), c.value());
        }
        List<PNode> overrides = spec.get("overrides") instanceof PNode.PList l ? l.items() : null;
        if (spec.get("overrides") != null && overrides == null) {
            throw PlinthException.of(spec.get("overrides").loc(), "overrides must be a list to promote into it");
        }
        List<Map<String, Object>> added = new ArrayList<>();
        for (Map.Entry<String, Map<String, Object>> t : byTarget.entrySet()) {
            String[] ac = t.getKey().split("/", 2);
            PNode.PMap existing = overrides == null ? null : lastFor(overrides, ac[0], ac[1]);
            if (existing == null) {
                Map<String, Object> target = new LinkedHashMap<>();
                target.put("app", ac[0]);
                target.put("component", ac[1]);
                Map<String, Object> item = new LinkedHashMap<>();
                item.put("target", target);
                item.put("properties", t.getValue());
                added.add(item);
            } else if (existing.get("properties") instanceof PNode.PMap props) {
                merge(edit, props, edit.isFlow(props), t.getValue());
            } else if (existing.get("properties") == null) {
                edit.addEntries(existing, Map.of("properties", t.getValue()));
            } else {
                throw PlinthException.of(existing.get("properties").loc(), "the override's properties must be a map to promote into it");
            }
        }
        if (!added.isEmpty()) {
            if (overrides == null) {
                edit.addEntries(spec, Map.of("overrides", added));
            } else {
                for (Map<String, Object> item : added) edit.appendItem((PNode.PList) spec.get("overrides"), item);
            }
        }
        String after = edit.result();
        check(file, doc, after, changes);
        return after;
    }

    /**
     * The override of the file that targets exactly this component, when it is the last one that
     * applies to it (a later one for the whole app would win over a value written into it).
     */
    private static PNode.PMap lastFor(List<PNode> overrides, String app, String component) {
        PNode.PMap found = null;
        for (PNode o : overrides) {
            if (!(o instanceof PNode.PMap m) || !(m.get("target") instanceof PNode.PMap t)) continue;
            Object a = t.get("app") == null ? null : t.get("app").toPlain();
            Object c = t.get("component") == null ? null : t.get("component").toPlain();
            if (!app.equals(a)) continue;
            if (component.equals(c)) found = m;
            else if (c == null) found = null;
        }
        return found;
    }

    /** Writes a tree of values into a map of the file: scalars replaced in place, missing keys added. */
    private static void merge(YamlTextEdit edit, PNode.PMap map, boolean flow, Map<String, Object> values) {
        Map<String, Object> missing = new LinkedHashMap<>();
        values.forEach((k, v) -> {
            PNode have = map.get(k);
            if (have == null) {
                missing.put(k, v);
            } else if (v instanceof Map<?, ?> sub && have instanceof PNode.PMap child) {
                @SuppressWarnings("unchecked") Map<String, Object> s = (Map<String, Object>) sub;
                merge(edit, child, edit.isFlow(child), s);
            } else if (!(v instanceof Map) && have instanceof PNode.PScalar s) {
                if (!Objects.equals(s.value(), v)) edit.replaceScalar(s, flow, v);
            } else {
                throw PlinthException.of(have.loc(), "'" + k + "' is a " + have.typeName() + " here, where promote writes "
                        + (v instanceof Map ? "a map" : "a value") + ": change it by hand");
            }
        });
        if (!missing.isEmpty()) edit.addEntries(map, missing);
    }

    /**
     * The edited text must read as the old document with exactly the changes made: anything else
     * (a value the text scanner misread, say) is refused rather than written.
     */
    private static void check(String file, PNode.PMap before, String after, List<Change> changes) {
        Diagnostics d = new Diagnostics();
        List<PNode> docs = YamlReader.readAll(file, after, d);
        boolean ok = !d.hasErrors() && docs.size() == 1;
        if (ok) {
            // the overrides as read back must give each changed component exactly its new values
            Object plain = docs.get(0).toPlain();
            ok = withoutOverrides(plain).equals(withoutOverrides(before.toPlain()));
            for (Change c : changes) ok &= Objects.equals(c.value(), lastValue(plain, c));
        }
        if (!ok) {
            throw PlinthException.of(Loc.file(file), "cannot edit " + file + " in place for this promotion (values written "
                    + "over several lines?): add the overrides by hand: " + changes);
        }
    }

    @SuppressWarnings("unchecked")
    private static Object withoutOverrides(Object doc) {
        Map<String, Object> copy = new LinkedHashMap<>((Map<String, Object>) doc);
        Map<String, Object> spec = new LinkedHashMap<>((Map<String, Object>) copy.get("spec"));
        spec.remove("overrides");
        copy.put("spec", spec);
        return copy;
    }

    /** The value the file's overrides give a change's path, the later ones winning. */
    @SuppressWarnings("unchecked")
    private static Object lastValue(Object doc, Change c) {
        Object value = null;
        Object list = ((Map<String, Object>) ((Map<String, Object>) doc).get("spec")).get("overrides");
        if (!(list instanceof List<?> overrides)) return null;
        for (Object o : overrides) {
            if (!(o instanceof Map<?, ?> m) || !(m.get("target") instanceof Map<?, ?> t) || !c.app().equals(t.get("app"))) continue;
            if (t.get("component") != null && !c.component().equals(t.get("component"))) continue;
            Object at = m.get("properties");
            for (String key : c.path().split("\\.")) at = at instanceof Map<?, ?> x ? x.get(key) : null;
            if (at != null) value = at;
        }
        return value;
    }

    @SuppressWarnings("unchecked")
    private static void setPath(Map<String, Object> tree, String path, Object value) {
        String[] keys = path.split("\\.");
        Map<String, Object> at = tree;
        for (int i = 0; i < keys.length - 1; i++) at = (Map<String, Object>) at.computeIfAbsent(keys[i], k -> new LinkedHashMap<>());
        at.put(keys[keys.length - 1], value);
    }

    private static String read(Path root, String file) {
        Diagnostics d = new Diagnostics();
        String text = SpecLoader.readSpecText(root.resolve(file), file, d);
        d.throwIfErrors();
        return text;
    }

    private static String known(java.util.Collection<String> names) {
        return names.isEmpty() ? "" : " (known: " + String.join(", ", new TreeSet<>(names)) + ")";
    }
}
