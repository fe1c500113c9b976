// The GitOps glue for the rendered tree (platform.yaml spec.gitops): Argo CD AppProjects and
// Applications, or Flux GitRepositories and Kustomizations, one sync unit per cluster platform
// directory, tenant directory and app directory, ordered platform -> tenant -> apps, and apps
// after the apps they depend on (app.dependsOn: [{name, tenant}] placed on the same cluster,
// app.depth: 0 for none, else one more than the deepest of them). Returns a list of
// {file, object}; files go under gitops/. A platform library may replace this file.
local syncOptions(unit) =
  ['ServerSideApply=true', 'PruneLast=true', 'CreateNamespace=false']
  + (if unit.customResources then ['SkipDryRunOnMissingResource=true'] else []);

local argocd(ctx) =
  local ns = ctx.gitops.namespace;
  local path(p) = if ctx.gitops.path == '' then p else ctx.gitops.path + '/' + p;
  local meta(name, wave) = {
    name: name,
    namespace: ns,
    labels: { 'app.kubernetes.io/managed-by': 'plinth' },
    annotations: { 'argocd.argoproj.io/sync-wave': std.toString(wave) },
  };
  // namespace: the destination namespace, null for none (the platform project admits any)
  local application(cluster, name, project, dir, wave, unit, namespace=null) = {
    file: 'gitops/argocd/applications/' + cluster.name + '/application-' + name + '.yaml',
    object: {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: meta(name, wave) { finalizers: ['resources-finalizer.argocd.argoproj.io'] },
      spec: {
        project: project,
        source: { repoURL: ctx.gitops.repoURL, targetRevision: ctx.gitops.revision, path: path(dir) },
        destination: { server: cluster.server } + (if namespace == null then {} else { namespace: namespace }),
        syncPolicy: {
          automated: { prune: true, selfHeal: true },
          syncOptions: syncOptions(unit),
          retry: { limit: 5, backoff: { duration: '10s', factor: 2, maxDuration: '3m' } },
        },
      },
    },
  };
  local tenantProject(t) = {
    file: 'gitops/argocd/projects/appproject-' + t.name + '.yaml',
    object: {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AppProject',
      metadata: meta(t.name, -3),
      spec: {
        description: 'Apps of tenant ' + t.name + ': only its namespaces, no cluster-scoped objects, no changes to its quota or limits.',
        sourceRepos: [ctx.gitops.repoURL],
        destinations: [{ server: c.server, namespace: n } for c in t.clusters for n in t.namespaces],
        clusterResourceWhitelist: [],
        // Argo CD matches group and kind only (no names for namespaced kinds): NetworkPolicies are
        // admitted because the apps' types render them, and policies only add allowed traffic: none
        // can remove the tenant's policies, which the _tenant unit syncs under the platform
        // project (see docs/gitops.md for what remains)
        namespaceResourceBlacklist: [
          { group: '', kind: 'ResourceQuota' },
          { group: '', kind: 'LimitRange' },
        ],
      },
    },
  };
  local tenants = std.set(std.flattenArrays([[t.name for t in c.tenants] for c in ctx.clusters]));
  local tenantInfo(name) = {
    name: name,
    namespaces: std.set(std.flattenArrays([[t.namespaces for t in c.tenants if t.name == name][0] for c in ctx.clusters if std.length([t for t in c.tenants if t.name == name]) > 0])),
    clusters: [c for c in ctx.clusters if std.length([t for t in c.tenants if t.name == name]) > 0],
  };
  [{
    file: 'gitops/argocd/projects/appproject-platform.yaml',
    object: {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AppProject',
      metadata: meta('platform', -3),
      spec: {
        description: 'Cluster platform objects and tenant namespaces, quotas, limits, role bindings and network policies.',
        sourceRepos: [ctx.gitops.repoURL],
        destinations: [{ server: c.server, namespace: '*' } for c in ctx.clusters],
        clusterResourceWhitelist: [{ group: '*', kind: '*' }],
      },
    },
  }]
  + [tenantProject(tenantInfo(t)) for t in tenants]
  + std.flattenArrays([
    [application(c, c.name + '-platform', 'platform', 'clusters/' + c.name + '/platform', -2, c.platform)]
    + std.flattenArrays([
      [application(c, c.name + '-' + t.name + '-tenant', 'platform', 'clusters/' + c.name + '/tenants/' + t.name + '/_tenant', -1, t.unit)]
      // an app's destination namespace is its tenant's first: Argo CD checks it against the
      // project's destinations (an empty one matches none of them); its objects name their own.
      // Its wave is its depth in the order between apps: 0, then after the apps it depends on
      + [application(c, c.name + '-' + t.name + '-' + a.name, t.name, 'clusters/' + c.name + '/tenants/' + t.name + '/apps/' + a.name, a.depth, a,
                     t.namespaces[0])
         for a in t.apps]
      for t in c.tenants
    ])
    for c in ctx.clusters
  ]);

local flux(ctx) =
  local path(p) = './' + (if ctx.gitops.path == '' then p else ctx.gitops.path + '/' + p);
  local labels = { 'app.kubernetes.io/managed-by': 'plinth' };
  // dir: where under gitops/ the object goes: flux/<cluster> (applied by the cluster's
  // bootstrap) or flux-tenants/<cluster>/<tenant> (applied by the tenant's apps Kustomization)
  local repo(dir, namespace) = {
    file: 'gitops/' + dir + '/gitrepository-' + namespace + '.yaml',
    object: {
      apiVersion: 'source.toolkit.fluxcd.io/v1',
      kind: 'GitRepository',
      metadata: { name: 'plinth', namespace: namespace, labels: labels },
      spec: { interval: '1m', url: ctx.gitops.repoURL, ref: { branch: ctx.gitops.revision } },
    },
  };
  local kustomization(dir, name, namespace, source, dependsOn, sa) = {
    file: 'gitops/' + dir + '/kustomization-' + name + '.yaml',
    object: {
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      kind: 'Kustomization',
      metadata: { name: name, namespace: namespace, labels: labels },
      spec: {
        interval: '10m',
        retryInterval: '1m',
        timeout: '5m',
        path: path(source),
        prune: true,
        wait: true,
        sourceRef: { kind: 'GitRepository', name: 'plinth' },
        dependsOn: [{ name: d.name, namespace: d.namespace } for d in dependsOn],
      } + (if sa == null then {} else { serviceAccountName: sa }),
    },
  };
  // The deployer account is bound to the built-in admin role, which grants custom resources
  // only through ClusterRoles aggregated to it: a Role in each of the tenant's namespaces grants
  // it the custom resources its apps render on this cluster.
  local deployerRoles(dir, t) =
    local groups = std.set([r.group for r in t.customResourcesOfApps]);
    local name = 'plinth-deployer-custom-resources';
    if std.length(t.customResourcesOfApps) == 0 then [] else std.flattenArrays([[
      {
        file: 'gitops/' + dir + '/role-' + ns + '-' + name + '.yaml',
        object: {
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'Role',
          metadata: { name: name, namespace: ns, labels: labels { 'plinth.dev/tenant': t.name } },
          rules: [{
            apiGroups: [g],
            resources: std.set([r.resource for r in t.customResourcesOfApps if r.group == g]),
            verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'],
          } for g in groups],
        },
      },
      {
        file: 'gitops/' + dir + '/rolebinding-' + ns + '-' + name + '.yaml',
        object: {
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'RoleBinding',
          metadata: { name: name, namespace: ns, labels: labels { 'plinth.dev/tenant': t.name } },
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: name },
          subjects: [{ kind: 'ServiceAccount', name: 'plinth-deployer', namespace: t.namespaces[0] }],
        },
      },
    ] for ns in t.namespaces]);
  local system = ctx.gitops.namespace;
  std.flattenArrays([
    local bootstrap = 'flux/' + c.name;
    local platform = { name: c.name + '-platform', namespace: system };
    local homeOf = { [t.name]: t.namespaces[0] for t in c.tenants };
    [repo(bootstrap, system), kustomization(bootstrap, platform.name, system, 'clusters/' + c.name + '/platform', [], null)]
    + std.flattenArrays([
      local tenantUnit = { name: c.name + '-' + t.name + '-tenant', namespace: system };
      local home = t.namespaces[0];
      // objects in the tenant's namespaces are applied after the tenant unit created them (Flux
      // dry-runs a whole apply first, so the bootstrap could not apply them on a new cluster)
      local apps = 'flux-tenants/' + c.name + '/' + t.name;
      [kustomization(bootstrap, tenantUnit.name, system, 'clusters/' + c.name + '/tenants/' + t.name + '/_tenant', [platform], null)]
      + (if std.length(t.apps) == 0 then [] else
           [kustomization(bootstrap, c.name + '-' + t.name + '-apps', system, 'gitops/' + apps, [tenantUnit], null)]
           // the tenant's apps sync from the tenant's namespace, impersonating its deployer account
           + [repo(apps, home)]
           + deployerRoles(apps, t)
           // an app waits for its tenant unit and for the apps it depends on to be ready (they
           // have wait: true); their Kustomizations live in their own tenants' first namespaces
           + [kustomization(apps, c.name + '-' + t.name + '-' + a.name, home, 'clusters/' + c.name + '/tenants/' + t.name + '/apps/' + a.name,
                            [tenantUnit] + [{ name: c.name + '-' + d.tenant + '-' + d.name, namespace: homeOf[d.tenant] } for d in a.dependsOn],
                            'plinth-deployer') for a in t.apps])
      for t in c.tenants
    ])
    for c in ctx.clusters
  ]);

{
  render(ctx):: if ctx.gitops.engine == 'flux' then flux(ctx) else argocd(ctx),
}
