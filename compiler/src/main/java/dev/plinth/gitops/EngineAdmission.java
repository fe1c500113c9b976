package dev.plinth.gitops;

import dev.plinth.check.k8s.ClusterCrds;

import dev.plinth.diag.Diagnostic;
import dev.plinth.diag.Diagnostic.Severity;
import dev.plinth.diag.Diagnostics;
import dev.plinth.diag.Loc;
import dev.plinth.output.OutputLayout;
import dev.plinth.render.RenderedObject;
import dev.plinth.render.RenderedPlatform;
import dev.plinth.render.RenderedPlatform.RenderedCluster;
import dev.plinth.render.Renderer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.Collections;
import java.util.HashSet;

/**
 * GitOps engine admission: would Argo CD or Flux apply what Plinth rendered, as the GitOps
 * objects Plinth generated ask them to? A model of the consumer, written from Argo CD's and
 * Flux's sources and sharing no logic with the generator ({@code platform/gitops.libsonnet}):
 * it reads the generated objects as the engines read them and checks them against every
 * rendered object of the directory each one syncs.
 *
 * <ul>
 *   <li><b>Argo CD</b>: each Application's project exists; its repository is permitted
 *   ({@code sourceRepos}); its destination is permitted; and every object of its
 *   {@code source.path} is permitted by group and kind (allow and deny lists for namespaced and
 *   cluster-scoped kinds) and, when namespaced, by its namespace ({@code destinations}). See
 *   {@link ArgoProject}.</li>
 *   <li><b>Flux</b>: each cluster's bootstrap applies {@code gitops/flux/<cluster>}, and each
 *   Kustomization applied there its path (rendered objects, or more GitOps objects); each
 *   Kustomization's source and dependencies are applied on the same cluster, its source is in its
 *   own namespace (controllers run with {@code --no-cross-namespace-refs}); its
 *   {@code targetNamespace} does not move objects out of their namespace; an object in a
 *   namespace Plinth renders is applied by the namespace's creator or a Kustomization that
 *   depends on it (Flux dry-runs a whole apply first); and with a
 *   {@code serviceAccountName} the impersonated account exists and may get, list, create, patch
 *   and delete every object (Kubernetes RBAC with the built-in {@code admin} role, see
 *   {@link KubeRbac}), including the escalation rules for the Roles and RoleBindings it
 *   writes.</li>
 *   <li>Both: each object is synced by exactly one Application or Kustomization, on the cluster
 *   it was rendered for, from the repository Plinth publishes to; with Flux, each generated
 *   object is applied exactly once.</li>
 * </ul>
 *
 * <p>Findings (check id {@code gitops-admission}; errors, as the engine refuses the object whatever
 * a spec says, so they cannot be waived; a warning only where the model cannot know: a binding to
 * a ClusterRole Plinth does not render) name the spec line that produced the object, or
 * platform.yaml for a problem of a generated object itself.
 */
public final class EngineAdmission {
    public static final String CHECK = "gitops-admission";

    /**
     * What Flux needs of the impersonated account for every object: get and patch (server-side
     * apply), create (an apply that creates), delete (prune), list (the status poller behind
     * {@code wait: true} lists each kind in its namespaces unless its cache is turned off).
     */
    private static final List<String> FLUX_VERBS = List.of("get", "list", "create", "patch", "delete");

    private final List<GitOps.GitOpsObject> gitops;
    private final Renderer.ClusterScopedKinds scopes;
    private final Loc platformLoc;
    private final Diagnostics out = new Diagnostics();
    /** Rendered objects by directory of the output tree ({@code clusters/<c>/...}). */
    private final TreeMap<String, List<RenderedObject>> byDir = new TreeMap<>();
    private final Map<String, RenderedCluster> clusters = new LinkedHashMap<>();
    /** The generated objects by file. */
    private final TreeMap<String, GitOps.GitOpsObject> engineByFile = new TreeMap<>();
    /** Which engine objects sync each rendered object (by file of the engine object). */
    private final Map<RenderedObject, List<String>> syncedBy = new IdentityHashMap<>();
    private final String repoURL;
    private final String pathPrefix;

    private EngineAdmission(RenderedPlatform rendered, List<GitOps.GitOpsObject> gitops, ClusterCrds crds, Loc platformLoc) {
        this.gitops = gitops;
        this.crds = crds;
        this.scopes = new Renderer.ClusterScopedKinds(crds.clusterScopedKinds());
        this.platformLoc = platformLoc;
        Map<String, Object> settings = GitOps.settings(rendered.platform());
        this.repoURL = String.valueOf(settings.getOrDefault("repoURL", ""));
        String p = String.valueOf(settings.getOrDefault("path", ""));
        this.pathPrefix = trimSlashes(p.startsWith("./") ? p.substring(2) : p);
        for (RenderedCluster c : rendered.clusters()) clusters.put(c.cluster().name(), c);
        for (RenderedCluster c : rendered.clusters()) {
            for (RenderedObject o : c.objects()) {
                byDir.computeIfAbsent(OutputLayout.dirOf(o), k -> new ArrayList<>()).add(o);
                syncedBy.put(o, new ArrayList<>(1));
            }
        }
        for (GitOps.GitOpsObject g : gitops) engineByFile.put(g.file(), g);
    }

    /**
     * Entry point: the findings of the engine's admission of every rendered object, given the
     * GitOps objects generated for them (none: nothing to check).
     *
     * @param crds                     each cluster's CRDs: which custom resources are
     *                                 cluster-scoped, and their resource names
     * @param platformLoc              where findings about a generated object itself are placed
     */
    public static Diagnostics check(RenderedPlatform rendered, List<GitOps.GitOpsObject> gitops,
                                    ClusterCrds crds, Loc platformLoc) {
        if (gitops.isEmpty()) return new Diagnostics();
        EngineAdmission a = new EngineAdmission(rendered, gitops, crds, platformLoc);
        a.run();
        return a.out;
    }

    private void run() {
        Map<String, ArgoProject> projects = new HashMap<>();
        for (GitOps.GitOpsObject g : gitops) {
            if (isArgo(g.body()) && "AppProject".equals(g.body().get("kind"))) {
                ArgoProject p = ArgoProject.of(g.body());
                projects.put(p.name(), p);
            }
        }
        boolean engineObjects = false;
        List<GitOps.GitOpsObject> kustomizations = new ArrayList<>();
        for (GitOps.GitOpsObject g : gitops) {
            if (isArgo(g.body()) && "Application".equals(g.body().get("kind"))) {
                engineObjects = true;
                application(g, projects);
            } else if (String.valueOf(g.body().get("apiVersion")).startsWith("kustomize.toolkit.fluxcd.io/")
                    && "Kustomization".equals(g.body().get("kind"))) {
                engineObjects = true;
                kustomizations.add(g);
            }
        }
        if (!kustomizations.isEmpty()) flux(kustomizations);
        if (!engineObjects) return;
        unique();
        syncedBy.forEach((o, by) -> {
            if (by.isEmpty()) {
                objectError(o, "no Argo CD Application or Flux Kustomization syncs this object's directory, so it is never applied");
            } else if (by.size() > 1) {
                objectError(o, "synced by " + by.size() + " GitOps objects (" + String.join(", ", by)
                        + "): they would fight over it and prune it from each other");
            }
        });
    }

    /**
     * Two generated objects with one identity (API group, kind, namespace and name; on one
     * cluster for Flux, in Argo CD's namespace for Argo CD) are one object to the engine: the
     * last applied wins and the other's unit is never synced (a tenant {@code a-b} with an app
     * {@code c} and a tenant {@code a} with an app {@code b-c} get one Application name).
     */
    private void unique() {
        Map<String, GitOps.GitOpsObject> seen = new HashMap<>();
        for (GitOps.GitOpsObject g : gitops) {
            String apiVersion = String.valueOf(g.body().get("apiVersion"));
            Map<?, ?> meta = map(g.body().get("metadata"));
            String where = isArgo(g.body()) ? "argocd" : String.valueOf(appliedOn.get(g));
            String key = String.join("\0", where, apiVersion.substring(0, Math.max(0, apiVersion.indexOf('/'))),
                    String.valueOf(g.body().get("kind")), text(meta.get("namespace")), text(meta.get("name")));
            GitOps.GitOpsObject first = seen.putIfAbsent(key, g);
            if (first != null) {
                gitopsError(g, "the same " + g.body().get("kind") + " " + text(meta.get("namespace")) + "/" + text(meta.get("name"))
                        + " as " + first.file() + ": the engine keeps one of them, and the other's unit is never synced");
            }
        }
    }

    private static boolean isArgo(Map<String, Object> body) {
        return String.valueOf(body.get("apiVersion")).startsWith("argoproj.io/");
    }

    // ---- Argo CD

    private void application(GitOps.GitOpsObject g, Map<String, ArgoProject> projects) {
        Map<?, ?> spec = map(g.body().get("spec"));
        String appName = String.valueOf(map(g.body().get("metadata")).get("name"));
        String projectName = text(spec.get("project"));
        ArgoProject project = projects.get(projectName);
        if (project == null) {
            gitopsError(g, "Application " + appName + " is in project '" + projectName
                    + "', which no generated AppProject defines: Argo CD does not sync it");
            return;
        }
        List<Map<?, ?>> sources = new ArrayList<>();
        if (spec.get("sources") instanceof List<?> l) for (Object s : l) sources.add(map(s));
        else sources.add(map(spec.get("source")));
        Map<?, ?> dest = map(spec.get("destination"));
        String server = text(dest.get("server"));
        String clusterName = text(dest.get("name"));
        String destNamespace = text(dest.get("namespace"));
        if (!project.destinationPermitted(server, clusterName, destNamespace)) {
            gitopsError(g, "application destination server '" + server + "' and namespace '" + destNamespace
                    + "' do not match any of the allowed destinations in project '" + projectName + "' (Argo CD refuses Application "
                    + appName + " before syncing anything)");
        }
        for (Map<?, ?> source : sources) {
            String repo = text(source.get("repoURL"));
            if (!project.sourcePermitted(repo)) {
                gitopsError(g, "application repo " + repo + " is not permitted in project '" + projectName
                        + "' (Application " + appName + ")");
            }
            String label = "Application " + appName;
            Unit unit = unitObjects(g, label, repo, text(source.get("path")));
            if (unit == null || unit.cluster() == null) continue; // an app of apps: not modelled for Argo CD
            RenderedCluster cluster = unit.cluster();
            String clusterServer = server(cluster);
            if (!server.isEmpty() && !server.equals(clusterServer)) {
                gitopsError(g, label + " syncs objects rendered for cluster " + cluster.cluster().name() + " (" + clusterServer
                        + ") to " + server);
            }
            for (RenderedObject o : unit.objects()) {
                syncedBy.get(o).add(g.file());
                boolean namespaced = !scopes.isClusterScoped(o.apiVersion(), o.kind());
                String group = o.group();
                if (!project.groupKindPermitted(group, o.kind(), o.name(), namespaced)) {
                    objectError(o, "Argo CD refuses it: resource " + group + ":" + o.kind() + " is not permitted in project "
                            + projectName + " (" + why(project, group, o.kind(), o.name(), namespaced) + "; " + label + ")");
                    continue;
                }
                if (!namespaced) continue;
                String ns = o.namespace() != null ? o.namespace() : destNamespace;
                if (ns.isEmpty()) {
                    objectError(o, "Argo CD refuses it: a namespaced object without a namespace, and " + label
                            + " names no destination namespace");
                } else if (!project.destinationPermitted(server, clusterName, ns)) {
                    objectError(o, "Argo CD refuses it: namespace " + ns + " is not permitted in project '" + projectName + "' ("
                            + label + ")");
                }
            }
        }
    }

    /** Why a project refuses a group and kind, naming the list entry. */
    private static String why(ArgoProject p, String group, String kind, String name, boolean namespaced) {
        String g = group.isEmpty() ? "\"\"" : group;
        if (namespaced) {
            ArgoProject.GroupKind black = ArgoProject.matching(group, kind, null, p.namespaceBlacklist());
            if (black != null) return "namespaceResourceBlacklist has " + black;
            return p.namespaceWhitelist() != null && p.namespaceWhitelist().isEmpty() ? "namespaceResourceWhitelist is empty"
                    : "no namespaceResourceWhitelist entry matches " + g + "/" + kind;
        }
        ArgoProject.GroupKind black = ArgoProject.matching(group, kind, name, p.clusterBlacklist());
        if (black != null && p.clusterWhitelist() != null && ArgoProject.matching(group, kind, name, p.clusterWhitelist()) != null) {
            return "clusterResourceBlacklist has " + black;
        }
        return p.clusterWhitelist() == null || p.clusterWhitelist().isEmpty() ? "clusterResourceWhitelist is empty"
                : "no clusterResourceWhitelist entry matches " + g + "/" + kind;
    }

    // ---- Flux

    /** The cluster each Flux object is applied on, and by whom (the bootstrap or a Kustomization). */
    private final Map<GitOps.GitOpsObject, String> appliedOn = new IdentityHashMap<>();
    private final Map<GitOps.GitOpsObject, List<String>> appliedBy = new IdentityHashMap<>();

    /** What one applier (a cluster's bootstrap or a Kustomization) applies on a cluster. */
    private record Applied(String cluster, String applier, GitOps.GitOpsObject kustomization, List<RenderedObject> rendered,
                           List<GitOps.GitOpsObject> engine) {
    }

    private final List<Applied> applied = new ArrayList<>();

    /** Where the documented bootstrap points, per cluster: {@code ./gitops/flux/<cluster>}. */
    private static final String FLUX_BOOTSTRAP = "gitops/flux/";

    private void flux(List<GitOps.GitOpsObject> kustomizations) {
        // the bootstrap: a flux-system Kustomization with the platform's rights applies
        // ./gitops/flux/<cluster> (and what its kustomization.yaml lists below it) on each cluster
        for (String c : clusters.keySet()) {
            String id = "the bootstrap Kustomization of ./" + (pathPrefix.isEmpty() ? "" : pathPrefix + "/") + FLUX_BOOTSTRAP + c;
            List<GitOps.GitOpsObject> objects = engineObjectsUnder(FLUX_BOOTSTRAP + c);
            for (GitOps.GitOpsObject o : objects) {
                appliedOn.put(o, c);
                appliedBy.computeIfAbsent(o, k -> new ArrayList<>()).add(id);
            }
            applied.add(new Applied(c, id, null, List.of(), objects));
        }
        // then the Kustomizations that something applies, one level at a time (a level's RBAC
        // objects and sources are known before the next level's Kustomizations are checked)
        Set<GitOps.GitOpsObject> done = Collections.newSetFromMap(new IdentityHashMap<>());
        while (true) {
            List<GitOps.GitOpsObject> level = kustomizations.stream().filter(k -> !done.contains(k) && appliedOn.containsKey(k)).toList();
            if (level.isEmpty()) break;
            rbacByCluster.clear();
            for (GitOps.GitOpsObject k : level) {
                done.add(k);
                kustomization(k, appliedOn.get(k));
            }
        }
        for (GitOps.GitOpsObject g : gitops) {
            if (isArgo(g.body())) continue;
            List<String> by = appliedBy.getOrDefault(g, List.of());
            if (by.isEmpty()) {
                gitopsError(g, "nothing applies it: it is neither under a cluster's bootstrap folder ./" + FLUX_BOOTSTRAP
                        + "<cluster> nor under the path of a Kustomization applied on a cluster");
            } else if (by.size() > 1) {
                gitopsError(g, "applied by " + String.join(" and ", by) + ": they would fight over it");
            }
        }
        order();
    }

    /** The generated objects whose files are in a directory of gitops/ or below it. */
    private List<GitOps.GitOpsObject> engineObjectsUnder(String dir) {
        return new ArrayList<>(engineByFile.subMap(dir + "/", dir + "0").values()); // '0' follows '/' 
    }

    private void kustomization(GitOps.GitOpsObject g, String applyingCluster) {
        Map<?, ?> meta = map(g.body().get("metadata"));
        Map<?, ?> spec = map(g.body().get("spec"));
        String name = text(meta.get("name"));
        String namespace = text(meta.get("namespace"));
        String label = "Kustomization " + namespace + "/" + name;
        // the source: a GitRepository of the same namespace, applied on the same cluster
        Map<?, ?> ref = map(spec.get("sourceRef"));
        String refNamespace = ref.get("namespace") == null ? namespace : text(ref.get("namespace"));
        String repo = null;
        if (!refNamespace.equals(namespace)) {
            gitopsError(g, label + " refers to source " + refNamespace + "/" + text(ref.get("name"))
                    + " in another namespace, which Flux refuses with --no-cross-namespace-refs");
        } else {
            Map<String, Object> source = fluxObject(applyingCluster, "source.toolkit.fluxcd.io", text(ref.get("kind")),
                    refNamespace, text(ref.get("name")));
            if (source == null) {
                gitopsError(g, label + " refers to " + text(ref.get("kind")) + " " + refNamespace + "/" + text(ref.get("name"))
                        + ", which is not applied on cluster " + applyingCluster);
            } else {
                repo = text(map(source.get("spec")).get("url"));
            }
        }
        for (Object d : spec.get("dependsOn") instanceof List<?> deps ? deps : List.of()) {
            Map<?, ?> dep = map(d);
            String depNamespace = dep.get("namespace") == null ? namespace : text(dep.get("namespace"));
            if (fluxObject(applyingCluster, "kustomize.toolkit.fluxcd.io", "Kustomization", depNamespace, text(dep.get("name"))) == null) {
                gitopsError(g, label + " depends on Kustomization " + depNamespace + "/" + text(dep.get("name"))
                        + ", which is not applied on cluster " + applyingCluster + ": it never becomes ready");
            }
        }
        Unit unit = unitObjects(g, label, repo, text(spec.get("path")));
        if (unit == null) return;
        if (unit.cluster() == null) { // GitOps objects: more Kustomizations, their sources and RBAC
            for (GitOps.GitOpsObject e : unit.engine()) {
                appliedOn.putIfAbsent(e, applyingCluster);
                appliedBy.computeIfAbsent(e, k -> new ArrayList<>()).add(label);
            }
            applied.add(new Applied(applyingCluster, label, g, List.of(), unit.engine()));
            return;
        }
        RenderedCluster cluster = unit.cluster();
        if (!applyingCluster.equals(cluster.cluster().name())) {
            gitopsError(g, label + " is applied on cluster " + applyingCluster + " but syncs objects rendered for cluster "
                    + cluster.cluster().name());
        }
        applied.add(new Applied(cluster.cluster().name(), label, g, unit.objects(), List.of()));
        String targetNamespace = text(spec.get("targetNamespace"));
        String serviceAccount = text(spec.get("serviceAccountName"));
        KubeRbac rbac = serviceAccount.isEmpty() ? null : rbac(cluster);
        Map<String, String> crdPlurals = serviceAccount.isEmpty() ? Map.of()
                : plurals.computeIfAbsent(cluster.cluster().name(), c -> GitOps.crdPlurals(cluster, crds));
        if (!serviceAccount.isEmpty() && !hasServiceAccount(cluster, namespace, serviceAccount)) {
            gitopsError(g, label + " impersonates ServiceAccount " + namespace + "/" + serviceAccount
                    + ", which is not rendered for cluster " + cluster.cluster().name() + ": Flux cannot apply anything");
        }
        for (RenderedObject o : unit.objects()) {
            syncedBy.get(o).add(g.file());
            boolean namespaced = !scopes.isClusterScoped(o.apiVersion(), o.kind());
            String ns = namespaced ? o.namespace() : null;
            if (namespaced && !targetNamespace.isEmpty()) {
                if (ns != null && !ns.equals(targetNamespace)) {
                    objectError(o, "Flux moves it from namespace " + ns + " to " + targetNamespace + " (targetNamespace of " + label + ")");
                }
                ns = targetNamespace;
            }
            if (namespaced && ns == null) {
                objectError(o, "Flux cannot apply it: a namespaced object without a namespace, and " + label + " has no targetNamespace");
                continue;
            }
            if (rbac == null) continue;
            String group = o.group();
            String resource = KubeRbac.resourceOf(o.kind(), crdPlurals.get(group + "/" + o.kind()));
            List<String> missing = new ArrayList<>();
            for (String verb : FLUX_VERBS) {
                if (!rbac.allows(namespace, serviceAccount, verb, group, resource, ns, o.name())) missing.add(verb);
            }
            String as = "ServiceAccount " + namespace + "/" + serviceAccount;
            String where = ns == null ? "cluster-wide" : "in namespace " + ns;
            if (!missing.isEmpty()) {
                objectError(o, "Flux applies it as " + as + ", which may not " + String.join(", ", missing) + " "
                        + resource + (group.isEmpty() ? "" : "." + group) + " " + where + " (" + label + ")");
            } else if (o.group().equals("rbac.authorization.k8s.io") && ns != null) {
                escalation(o, rbac, namespace, serviceAccount, ns, as);
            }
        }
    }

    /**
     * Flux dry-runs every object of an apply before applying any: an object in a namespace that
     * does not exist yet fails the whole apply, for good when the namespace is created by a
     * Kustomization that waits for this one or is not ordered before it. So a namespace that
     * Plinth renders must be created by the same Kustomization or one it depends on
     * (transitively); a namespace Plinth does not render is taken to exist.
     */
    private void order() {
        Map<String, Map<String, String>> creatorsByCluster = new HashMap<>(); // cluster -> namespace -> applier
        for (Applied a : applied) {
            for (RenderedObject o : a.rendered()) {
                if (o.kind().equals("Namespace") && o.group().isEmpty()) {
                    creatorsByCluster.computeIfAbsent(a.cluster(), k -> new HashMap<>()).putIfAbsent(o.name(), a.applier());
                }
            }
        }
        for (Applied a : applied) {
            Map<String, String> creators = creatorsByCluster.getOrDefault(a.cluster(), Map.of());
            Set<String> before = dependencies(a.cluster(), a.kustomization(), new HashSet<>());
            for (RenderedObject o : a.rendered()) {
                String creator = o.namespace() == null ? null : creators.get(o.namespace());
                if (creator != null && !creator.equals(a.applier()) && !before.contains(creator)) {
                    objectError(o, notYet(a, o.namespace(), creator));
                }
            }
            for (GitOps.GitOpsObject e : a.engine()) {
                Object ns = map(e.body().get("metadata")).get("namespace");
                String creator = ns == null ? null : creators.get(String.valueOf(ns));
                if (creator != null && !creator.equals(a.applier()) && !before.contains(creator)) {
                    gitopsError(e, notYet(a, String.valueOf(ns), creator));
                }
            }
        }
    }

    private static String notYet(Applied a, String namespace, String creator) {
        return "on a new cluster Flux cannot apply it: its namespace " + namespace + " is created by " + creator + ", which "
                + a.applier() + " (on " + a.cluster() + ") does not depend on, so its dry run fails and nothing of that apply is applied";
    }

    /** The labels of the Kustomizations a Kustomization depends on, transitively (none for the bootstrap). */
    private Set<String> dependencies(String cluster, GitOps.GitOpsObject k, Set<String> seen) {
        if (k == null) return seen;
        Map<?, ?> meta = map(k.body().get("metadata"));
        String namespace = text(meta.get("namespace"));
        for (Object d : map(k.body().get("spec")).get("dependsOn") instanceof List<?> deps ? deps : List.of()) {
            Map<?, ?> dep = map(d);
            String depNamespace = dep.get("namespace") == null ? namespace : text(dep.get("namespace"));
            String label = "Kustomization " + depNamespace + "/" + text(dep.get("name"));
            if (!seen.add(label)) continue;
            GitOps.GitOpsObject target = fluxGitOpsObject(cluster, "kustomize.toolkit.fluxcd.io", "Kustomization", depNamespace,
                    text(dep.get("name")));
            dependencies(cluster, target, seen);
        }
        return seen;
    }

    /** The API server's escalation rules for a Role or RoleBinding the account writes. */
    private void escalation(RenderedObject o, KubeRbac rbac, String saNamespace, String sa, String ns, String as) {
        List<KubeRbac.Rule> wanted = new ArrayList<>();
        String what;
        if (o.kind().equals("Role")) {
            if (rbac.allows(saNamespace, sa, "escalate", "rbac.authorization.k8s.io", "roles", ns, o.name())) return;
            if (o.body().get("rules") instanceof List<?> l) for (Object r : l) wanted.add(KubeRbac.Rule.of(map(r)));
            what = "grants";
        } else if (o.kind().equals("RoleBinding")) {
            Map<?, ?> ref = map(o.body().get("roleRef"));
            String kind = text(ref.get("kind"));
            String name = text(ref.get("name"));
            String resource = kind.equals("Role") ? "roles" : "clusterroles";
            if (rbac.allows(saNamespace, sa, "bind", "rbac.authorization.k8s.io", resource, ns, name)) return;
            if (kind.equals("ClusterRole") && !rbac.knowsClusterRole(name)) {
                out.add(new Diagnostic(o.source(), Severity.WARNING, CHECK, "binds ClusterRole " + name
                        + ", which Plinth does not render: " + as + " may create this binding only if it holds every permission of "
                        + name + " in " + ns, subject(o)));
                return;
            }
            wanted.addAll(rbac.rulesOfRef(kind, name, ns));
            what = "binds " + kind + " " + name + ", which grants";
        } else {
            return;
        }
        for (KubeRbac.Rule r : wanted) {
            for (String verb : r.verbs()) {
                for (String group : r.apiGroups()) {
                    for (String resource : r.resources()) {
                        // every name the rule grants must be held (none: the rule covers all names)
                        List<String> names = r.resourceNames().isEmpty() ? Collections.singletonList(null) : r.resourceNames();
                        boolean held = verb.equals("*") || group.equals("*") || resource.equals("*")
                                ? rbac.rulesOf(saNamespace, sa, ns).stream().anyMatch(h -> covers(h, verb, group, resource))
                                : names.stream().allMatch(name -> rbac.allows(saNamespace, sa, verb, group, resource, ns, name));
                        if (!held) {
                            objectError(o, "the API server refuses it as an escalation: it " + what + " " + verb + " on " + resource
                                    + (group.isEmpty() ? "" : "." + group) + ", which " + as + " does not hold in " + ns);
                            return;
                        }
                    }
                }
            }
        }
    }

    /** Does a held rule cover a wanted (possibly wildcard) verb, group and resource? */
    private static boolean covers(KubeRbac.Rule held, String verb, String group, String resource) {
        return (held.verbs().contains("*") || held.verbs().contains(verb))
                && (held.apiGroups().contains("*") || held.apiGroups().contains(group))
                && (held.resources().contains("*") || held.resources().contains(resource))
                && held.resourceNames().isEmpty();
    }

    /** Flux objects by API group, kind, namespace and name, made on first use. */
    private Map<String, List<GitOps.GitOpsObject>> fluxObjects;

    /** The generated object of this group, kind, namespace and name applied on a cluster, or null. */
    private GitOps.GitOpsObject fluxGitOpsObject(String cluster, String group, String kind, String namespace, String name) {
        if (fluxObjects == null) {
            fluxObjects = new HashMap<>();
            for (GitOps.GitOpsObject g : gitops) {
                String apiVersion = String.valueOf(g.body().get("apiVersion"));
                Map<?, ?> meta = map(g.body().get("metadata"));
                fluxObjects.computeIfAbsent(String.join("\0", apiVersion.substring(0, Math.max(0, apiVersion.indexOf('/'))),
                        String.valueOf(g.body().get("kind")), text(meta.get("namespace")), text(meta.get("name"))), k -> new ArrayList<>()).add(g);
            }
        }
        for (GitOps.GitOpsObject g : fluxObjects.getOrDefault(String.join("\0", group, kind, namespace, name), List.of())) {
            if (cluster.equals(appliedOn.get(g))) return g;
        }
        return null;
    }

    private Map<String, Object> fluxObject(String cluster, String group, String kind, String namespace, String name) {
        GitOps.GitOpsObject g = fluxGitOpsObject(cluster, group, kind, namespace, name);
        return g == null ? null : g.body();
    }

    private final Map<String, KubeRbac> rbacByCluster = new HashMap<>();

    /** The RBAC objects of a cluster: rendered ones and the GitOps objects applied on it. */
    private KubeRbac rbac(RenderedCluster cluster) {
        return rbacByCluster.computeIfAbsent(cluster.cluster().name(), name -> {
            KubeRbac r = new KubeRbac();
            for (RenderedObject o : cluster.objects()) if (o.group().equals("rbac.authorization.k8s.io")) r.add(o.body());
            for (GitOps.GitOpsObject g : gitops) if (name.equals(appliedOn.get(g))) r.add(g.body());
            return r;
        });
    }

    /** The ServiceAccounts rendered for each cluster, as "namespace/name". */
    private final Map<String, Set<String>> serviceAccounts = new HashMap<>();
    private final Map<String, Map<String, String>> plurals = new HashMap<>();
    private final ClusterCrds crds;

    private boolean hasServiceAccount(RenderedCluster cluster, String namespace, String name) {
        return serviceAccounts.computeIfAbsent(cluster.cluster().name(), c -> {
            Set<String> out = new HashSet<>();
            for (RenderedObject o : cluster.objects()) {
                if (o.kind().equals("ServiceAccount") && o.group().isEmpty()) out.add(o.namespace() + "/" + o.name());
            }
            return out;
        }).contains(namespace + "/" + name);
    }

    // ---- both engines

    /** The objects a source path stands for, and the cluster they were rendered for. */
    private record Unit(RenderedCluster cluster, List<RenderedObject> objects, List<GitOps.GitOpsObject> engine) {
    }

    /**
     * The rendered objects a source path stands for: every object in the directory and below
     * (each directory's kustomization.yaml lists its files and subdirectories). Null, with a
     * finding, when the source is not the rendered repository or the path is not a directory of
     * one cluster's rendered tree. {@code repo} null: not known (already reported).
     */
    private Unit unitObjects(GitOps.GitOpsObject g, String label, String repo, String path) {
        if (repo == null) return null;
        if (!ArgoProject.normalizeGitUrl(repo).equals(ArgoProject.normalizeGitUrl(repoURL))) {
            gitopsError(g, label + " syncs " + repo + ", not the repository Plinth publishes to (" + repoURL
                    + "), so Plinth cannot tell what it applies");
            return null;
        }
        String p = trimSlashes(path.startsWith("./") ? path.substring(2) : path);
        if (!pathPrefix.isEmpty()) {
            if (!p.startsWith(pathPrefix + "/")) {
                gitopsError(g, label + " syncs path '" + path + "', outside '" + pathPrefix + "' where spec.gitops.path puts the rendered tree");
                return null;
            }
            p = p.substring(pathPrefix.length() + 1);
        }
        if (p.equals("gitops") || p.startsWith("gitops/")) {
            List<GitOps.GitOpsObject> engine = engineObjectsUnder(p);
            if (engine.isEmpty()) {
                gitopsError(g, label + " syncs path '" + path + "', where no GitOps object is generated");
                return null;
            }
            return new Unit(null, List.of(), engine);
        }
        String[] parts = p.split("/");
        RenderedCluster cluster = parts.length >= 2 && parts[0].equals("clusters") ? clusters.get(parts[1]) : null;
        List<RenderedObject> objects = new ArrayList<>();
        // the directory itself, then those under it ('0' follows '/'; a scan from p would stop at
        // "clusters/c-2", which sorts between "clusters/c" and "clusters/c/...")
        objects.addAll(byDir.getOrDefault(p, List.of()));
        for (List<RenderedObject> under : byDir.subMap(p + "/", p + "0").values()) objects.addAll(under);
        if (cluster == null || (objects.isEmpty() && !isUnitDir(cluster, p))) {
            gitopsError(g, label + " syncs path '" + path + "', which is not a directory of one cluster's rendered tree");
            return null;
        }
        return new Unit(cluster, objects, List.of());
    }

    /** A directory the render writes even when it holds no objects (an empty platform or tenant unit). */
    private static boolean isUnitDir(RenderedCluster c, String dir) {
        String base = "clusters/" + c.cluster().name() + "/";
        if (dir.equals(base + "platform")) return true;
        for (String t : c.tenants()) {
            if (dir.equals(base + "tenants/" + t + "/_tenant")) return true;
            for (String a : c.appsByTenant().getOrDefault(t, List.of())) if (dir.equals(base + "tenants/" + t + "/apps/" + a)) return true;
        }
        return false;
    }

    private static String server(RenderedCluster c) {
        return c.cluster().server() == null ? "https://kubernetes.default.svc" : c.cluster().server();
    }

    private void gitopsError(GitOps.GitOpsObject g, String message) {
        out.add(new Diagnostic(platformLoc, Severity.ERROR, CHECK, message,
                new Diagnostic.Subject("gitops", null, String.valueOf(g.body().get("kind")), g.file(), null)));
    }

    private void objectError(RenderedObject o, String message) {
        out.add(new Diagnostic(o.source(), Severity.ERROR, CHECK, message, subject(o)));
    }

    private static Diagnostic.Subject subject(RenderedObject o) {
        return new Diagnostic.Subject(o.cluster(), o.namespace(), o.kind(), o.name(), null);
    }

    private static Map<?, ?> map(Object v) {
        return v instanceof Map<?, ?> m ? m : Map.of();
    }

    private static String text(Object v) {
        return v == null ? "" : String.valueOf(v);
    }

    private static String trimSlashes(String s) {
        String out = s;
        while (out.startsWith("/")) out = out.substring(1);
        while (out.endsWith("/")) out = out.substring(0, out.length() - 1);
        return out;
    }
}
