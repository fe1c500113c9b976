// Argo CD objects as Plinth generated them before issue 13 (tenant projects deny NetworkPolicy;
// app Applications have no destination namespace).
local app(ctx, c, name, project, dir) = {
  file: 'gitops/argocd/applications/' + c.name + '/application-' + name + '.yaml',
  object: {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name: name, namespace: ctx.gitops.namespace },
    spec: {
      project: project,
      source: { repoURL: ctx.gitops.repoURL, targetRevision: ctx.gitops.revision, path: dir },
      destination: { server: c.server },
    },
  },
};
local project(ctx, name, spec) = {
  file: 'gitops/argocd/projects/appproject-' + name + '.yaml',
  object: {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AppProject',
    metadata: { name: name, namespace: ctx.gitops.namespace },
    spec: { sourceRepos: [ctx.gitops.repoURL] } + spec,
  },
};
{
  render(ctx)::
    [project(ctx, 'platform', {
      destinations: [{ server: c.server, namespace: '*' } for c in ctx.clusters],
      clusterResourceWhitelist: [{ group: '*', kind: '*' }],
    })]
    + [project(ctx, t.name, {
      destinations: [{ server: c.server, namespace: n } for c in ctx.clusters for n in t.namespaces],
      clusterResourceWhitelist: [],
      namespaceResourceBlacklist: [
        { group: '', kind: 'ResourceQuota' },
        { group: '', kind: 'LimitRange' },
        { group: 'networking.k8s.io', kind: 'NetworkPolicy' },
      ],
    }) for t in ctx.clusters[0].tenants]
    + std.flattenArrays([
      [app(ctx, c, c.name + '-platform', 'platform', 'clusters/' + c.name + '/platform')]
      + std.flattenArrays([
        [app(ctx, c, c.name + '-' + t.name + '-tenant', 'platform', 'clusters/' + c.name + '/tenants/' + t.name + '/_tenant')]
        + [app(ctx, c, c.name + '-' + t.name + '-' + a.name, t.name, 'clusters/' + c.name + '/tenants/' + t.name + '/apps/' + a.name)
           for a in t.apps]
        for t in c.tenants
      ])
      for c in ctx.clusters
    ]),
}
