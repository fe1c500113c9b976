package dev.plinth.incremental;

import dev.plinth.TestSupport;
import dev.plinth.TestSupport.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The guarantee of incremental rendering: after any sequence of edits, a render that reuses the
 * cache and the previous output produces exactly the tree a full render from scratch does.
 * Random sequences of edits (apps, tenants, overrides, definitions, whole environments) on a copy
 * of the example platform, compared byte for byte after every step.
 */
class IncrementalEquivalenceTest {
    @TempDir
    Path tmp;

    private Path root;
    private int extraApps;
    private final List<String> apps = new ArrayList<>();

    @Test
    void incrementalRendersEqualFullRendersAfterRandomEdits() throws IOException {
        Path incremental = copyOfTheExampleRendered();

        Random random = new Random(20261126L);
        List<String> done = new ArrayList<>();
        for (int step = 0; step < 10; step++) {
            String edit = edit(random);
            done.add(edit);
            Run fromCache = render(incremental, false);
            Path full = tmp.resolve("full-" + step);
            Run fresh = render(full, true);
            assertEquals(TestSupport.readTree(full), TestSupport.readTree(incremental),
                    "incremental and full renders differ after: " + done);
            assertEquals(findings(fresh), findings(fromCache), "incremental and full renders report differently after: " + done);
        }
        assertTrue(done.stream().distinct().count() >= 4, "the random sequence exercised too few kinds of edit: " + done);
    }

    @Test
    void aLibraryFileAddedAheadOfTheOneAnImportFoundIsPickedUp() throws IOException {
        root = tmp.resolve("custom");
        TestSupport.copyTree(TestSupport.projectRoot().resolve("tests/golden/06-user-defined-types/input"), root);
        Path incremental = tmp.resolve("incremental");
        render(incremental, false);
        // defs/components/static-site.libsonnet imports 'lib/plinth.libsonnet', found in the built-in
        // library; a file of that name in the platform's library root comes first from now on
        Files.createDirectories(root.resolve("defs/lib"));
        Files.writeString(root.resolve("defs/lib/plinth.libsonnet"), """
                (import '/plinth-builtin/lib/plinth.libsonnet') {
                  meta(ctx, name=null, labels={}, annotations={}):: super.meta(ctx, name, labels, annotations + { shadowed: 'yes' }),
                }
                """);
        render(incremental, false);
        Path full = tmp.resolve("full");
        render(full, true);
        assertTrue(TestSupport.readTree(full).values().stream().anyMatch(t -> t.contains("shadowed: 'yes'")),
                "the added library file changes the output");
        assertEquals(TestSupport.readTree(full), TestSupport.readTree(incremental));
    }

    /**
     * The cache keeps only the length and checksum of an unchanged object's YAML: when its file
     * was edited (to the same size or another) or deleted, the render writes the YAML again.
     */
    @Test
    void filesOfUnchangedUnitsEditedOrDeletedOnDiskAreWrittenAgain() throws IOException {
        Path incremental = copyOfTheExampleRendered();
        java.util.Map<String, String> expected = TestSupport.readTree(incremental);
        List<String> objects = expected.keySet().stream()
                .filter(f -> f.contains("/apps/") && !f.endsWith("kustomization.yaml")).sorted().toList();
        assertTrue(objects.size() >= 3, "the example has app objects: " + objects);
        Path sameSize = incremental.resolve(objects.get(0));
        String text = Files.readString(sameSize);
        Files.writeString(sameSize, text.replace("plinth", "PLINTH"));
        Files.writeString(incremental.resolve(objects.get(1)), "edited\n");
        Files.delete(incremental.resolve(objects.get(2)));
        // an app spec touched with the same bytes: every unit is a cache hit, and no-op is ruled out
        Path spec = root.resolve("environments/base/apps/clickstream.yaml");
        Files.writeString(spec, Files.readString(spec) + "\n");

        Run r = render(incremental, false);
        assertTrue(r.out().contains("3 written"), r.out());
        assertEquals(expected, TestSupport.readTree(incremental));
    }

    /**
     * Kept objects' bodies are read from the cache only when needed: one found damaged then (its
     * file was lost, so its YAML is written again from it) makes the render start over without
     * the cache, and the output is still right. So does a kept object that names a part of its
     * unit's result the unit does not have.
     */
    @Test
    void aKeptBodyFoundDamagedWhenNeededIsRenderedAgainWhereItIsNeeded() throws IOException {
        Path incremental = copyOfTheExampleRendered();
        java.util.Map<String, String> expected = TestSupport.readTree(incremental);
        Path units = incremental.resolveSibling("incremental.plinth-cache/units");
        String lost = null;
        try (var shards = Files.list(units)) {
            for (Path shard : shards.filter(f -> f.toString().endsWith(".cache")).sorted().toList()) {
                String text = dev.plinth.values.CheckedFile.read(shard);
                // a unit kept as objects: its first object's source, identity and body length, then its body
                java.util.regex.Matcher m = java.util.regex.Pattern
                        .compile("\n\\d+ [0-9a-f]{16}\t([^/\t]+)/([^/\t]+)/[^\t]+\t[^\n]*?\u0003-?\\d+\u0004[^\u0004]*\u0004([^\u0004]*)\u0004([^\u0004]*)\u0004[^\u0004]*\u0004\\d+\u0004\\{")
                        .matcher(text);
                if (!m.find()) continue;
                String appDir = "clusters/" + m.group(1) + "/tenants/";
                String file = "/apps/" + m.group(2) + "/" + m.group(3).toLowerCase(java.util.Locale.ROOT) + "-" + m.group(4) + ".yaml";
                lost = expected.keySet().stream().filter(f -> f.startsWith(appDir) && f.endsWith(file)).findFirst().orElseThrow();
                // the body keeps its length and braces, and is not JSON; the file's checksum fits (a
                // damaged disk would fail it and the whole file would be ignored: this is the damage
                // only a bug could make)
                dev.plinth.values.CheckedFile.write(shard, text.substring(0, m.end()) + "::" + text.substring(m.end() + 2));
                break;
            }
        }
        assertTrue(lost != null, "the cache keeps objects");
        // the damaged body's file is lost: its YAML has to be written from the body again
        Files.delete(incremental.resolve(lost));

        Run r = render(incremental, false);
        assertEquals(expected, TestSupport.readTree(incremental), r.err());

        // a source index out of range in the first kept object of a line (9: no unit has ten traits)
        try (var shards = Files.list(units)) {
            Path shard = shards.filter(f -> f.toString().endsWith(".cache")).sorted().findFirst().orElseThrow();
            String text = dev.plinth.values.CheckedFile.read(shard);
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\n(\\d+) ([^\n]*?)\u0003-?\\d+\u0004").matcher(text);
            assertTrue(m.find(), "a unit kept as objects");
            String line = m.group(2) + "\u00039\u0004";
            String rest = text.substring(m.end());
            int length = Integer.parseInt(m.group(1)) - (m.end() - m.start(2)) + line.length();
            dev.plinth.values.CheckedFile.write(shard, text.substring(0, m.start(1)) + length + " " + line + rest);
        }
        Files.writeString(incremental.resolve(lost), "edited\n"); // a render, not a no-op
        Run again = render(incremental, false);
        assertEquals(expected, TestSupport.readTree(incremental), again.err());
    }

    /** Copies the example platform to {@link #root} and renders it; returns the output. */
    private Path copyOfTheExampleRendered() throws IOException {
        root = tmp.resolve("platform");
        Files.createDirectories(root);
        TestSupport.copyTree(TestSupport.projectRoot().resolve("environments"), root.resolve("environments"));
        Files.copy(TestSupport.projectRoot().resolve("platform.yaml"), root.resolve("platform.yaml"));
        // its remote chart, as plinth vendor left it
        Files.copy(TestSupport.projectRoot().resolve("plinth.lock"), root.resolve("plinth.lock"));
        TestSupport.copyTree(TestSupport.projectRoot().resolve("vendor"), root.resolve("vendor"));
        Path incremental = tmp.resolve("incremental");
        render(incremental, false);
        return incremental;
    }

    private Run render(Path out, boolean full) {
        List<String> args = new ArrayList<>(List.of("render", "-r", root.toString(), "-o", out.toString(), "--jobs", "2"));
        if (full) args.add("--full");
        Run r = TestSupport.plinth(args.toArray(String[]::new));
        assertEquals(0, r.exit(), r.err());
        return r;
    }

    /** The warnings a render printed (errors end it), in their printed order. */
    private static List<String> findings(Run r) {
        return r.err().lines().filter(l -> l.contains("warning[")).toList();
    }

    /** One random edit; returns its name. */
    private String edit(Random random) throws IOException {
        switch (random.nextInt(8)) {
            case 0 -> {
                replace("environments/base/apps/clickstream.yaml", "        replicas: 2\n", "        replicas: 3\n", "        replicas: 2\n");
                return "change app property";
            }
            case 1 -> {
                String name = "extra-" + (++extraApps);
                apps.add(name);
                TestSupport.write(root.resolve("environments/base/apps/" + name + ".yaml"), """
                        apiVersion: plinth.dev/v1alpha1
                        kind: Application
                        metadata: {name: %s, tenant: analytics}
                        spec:
                          components:
                            - name: %s-worker
                              type: worker
                              properties:
                                image: registry.example.com/extra/%s:1.0.0
                                resources: {requests: {cpu: 100m, memory: 128Mi}, limits: {memory: 128Mi}}
                              traits: [{type: logs}]
                        """.formatted(name, name, name));
                return "add app";
            }
            case 2 -> {
                if (apps.isEmpty()) return edit(random);
                String name = apps.remove(random.nextInt(apps.size()));
                Files.delete(root.resolve("environments/base/apps/" + name + ".yaml"));
                return "remove app";
            }
            case 3 -> {
                replace("environments/prod/environment.yaml", "properties: {replicas: 4}", "properties: {replicas: 5}", "properties: {replicas: 4}");
                return "change override";
            }
            case 4 -> {
                Path def = root.resolve("library/traits/logs.libsonnet");
                if (Files.exists(def)) {
                    Files.delete(def);
                    return "remove user definition";
                }
                String builtin = Files.readString(TestSupport.projectRoot().resolve("library/traits/logs.libsonnet"), StandardCharsets.UTF_8);
                TestSupport.write(def, builtin.replace("'../lib/plinth.libsonnet'", "'lib/plinth.libsonnet'")
                        .replace("[{ tag_normaliser: {} }]", "[{ tag_normaliser: {} }, { dedot: { de_dot_separator: '_' } }]"));
                return "replace a built-in definition";
            }
            case 5 -> {
                Path tenant = root.resolve("environments/base/tenants/extra.yaml");
                if (Files.exists(tenant)) {
                    Files.delete(tenant);
                    return "remove tenant";
                }
                TestSupport.write(tenant, """
                        apiVersion: plinth.dev/v1alpha1
                        kind: Tenant
                        metadata: {name: extra}
                        spec:
                          quota: {cpu: "4", memory: 8Gi}
                        """);
                return "add tenant";
            }
            case 6 -> {
                // an object with a deprecated apiVersion: a warning, kept with its unit in the cache (a
                // cluster-scoped kind, which an app may render only with a tenant-boundary waiver, and
                // which the tenant's Argo CD project refuses, a gitops-admission error no waiver lifts:
                // so spec.gitops is off while the app is there)
                Path legacy = root.resolve("environments/base/apps/legacy.yaml");
                Path platform = root.resolve("platform.yaml");
                String platformText = Files.readString(platform, StandardCharsets.UTF_8);
                if (Files.exists(legacy)) {
                    Files.delete(legacy);
                    Files.writeString(platform, platformText.replace("  #off gitops:", "  gitops:"), StandardCharsets.UTF_8);
                    return "remove app with a warning, gitops on";
                }
                Files.writeString(platform, platformText.replace("  gitops:", "  #off gitops:"), StandardCharsets.UTF_8);
                TestSupport.write(legacy, TestSupport.k8sObjectsApp("legacy", "analytics", """
                        - apiVersion: flowcontrol.apiserver.k8s.io/v1beta3
                          kind: FlowSchema
                          metadata: {name: legacy}
                          spec:
                            priorityLevelConfiguration: {name: workload-low}
                        """) + """
                          waivers:
                            - {check: tenant-boundary, reason: a FlowSchema of the platform team's kept with this app}
                        """);
                return "add app with a warning, gitops off";
            }
            default -> {
                Path dev = root.resolve("environments/dev");
                Path parked = tmp.resolve("parked-dev");
                if (Files.exists(dev)) {
                    Files.move(dev, parked);
                    return "remove environment";
                }
                Files.move(parked, dev);
                return "restore environment";
            }
        }
    }

    /** Replaces a with b, or b with a when the file already has b. */
    private void replace(String file, String a, String b, String back) throws IOException {
        Path p = root.resolve(file);
        String s = Files.readString(p, StandardCharsets.UTF_8);
        Files.writeString(p, s.contains(a) ? s.replace(a, b) : s.replace(b, back), StandardCharsets.UTF_8);
    }
}
