// Renders a tenant on one cluster: its namespaces with Pod Security labels, quota, limits,
// role bindings and network isolation (into clusters/<c>/tenants/<t>/_tenant/), and its
// Volcano queue (into clusters/<c>/platform/). A platform library may replace this file.
local plinth = import '../lib/plinth.libsonnet';

{
  render(ctx)::
    local t = ctx.tenant;
    local labels = { 'plinth.dev/tenant': t.name };
    local hasQueue = std.objectHas(t, 'queue');
    local psaVersion = 'v' + ctx.cluster.kubeVersion;

    local namespace(ns) = {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: ns,
        labels: labels {
          'pod-security.kubernetes.io/enforce': t.podSecurity,
          'pod-security.kubernetes.io/enforce-version': psaVersion,
          'pod-security.kubernetes.io/warn': t.podSecurity,
          'pod-security.kubernetes.io/warn-version': psaVersion,
          'pod-security.kubernetes.io/audit': t.podSecurity,
          'pod-security.kubernetes.io/audit-version': psaVersion,
        } + (if hasQueue then { 'plinth.dev/volcano-queue': t.name } else {}),
      },
    };

    local quota(ns) =
      local q = t.quota;
      local hard =
        (if std.objectHas(q, 'cpu') then { 'requests.cpu': q.cpu } else {})
        + (if std.objectHas(q, 'memory') then { 'requests.memory': q.memory, 'limits.memory': q.memory } else {})
        + (if std.objectHas(q, 'limitsMemory') then { 'limits.memory': q.limitsMemory } else {})
        + (if std.objectHas(q, 'storage') then { 'requests.storage': q.storage } else {})
        + (if std.objectHas(q, 'pods') then { pods: std.toString(q.pods) } else {})
        + (if std.objectHas(q, 'persistentVolumeClaims') then { persistentvolumeclaims: std.toString(q.persistentVolumeClaims) } else {});
      {
        apiVersion: 'v1',
        kind: 'ResourceQuota',
        metadata: { name: 'tenant-quota', namespace: ns, labels: labels },
        spec: { hard: hard },
      };

    local limitRange(ns) = {
      apiVersion: 'v1',
      kind: 'LimitRange',
      metadata: { name: 'tenant-limits', namespace: ns, labels: labels },
      spec: { limits: [{ type: 'Container' } + t.limits] },
    };

    // i: the member's position in members.<role>, for the error's place
    local subject(s, role, i) =
      local parts = std.splitLimit(s, ':', 1);
      if parts[0] == 'group' then { apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: parts[1] }
      else if parts[0] == 'user' then { apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: parts[1] }
      else
        local sa = std.splitLimit(parts[1], ':', 1);
        assert std.length(sa) == 2 : 'spec.members.' + role + '[' + i + ']: serviceaccount members are written serviceaccount:<namespace>:<name>, got ' + s;
        { kind: 'ServiceAccount', namespace: sa[0], name: sa[1] };

    local roleBinding(ns, role) = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'tenant-' + role, namespace: ns, labels: labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
      subjects: [subject(t.members[role][i], role, i) for i in std.range(0, std.length(t.members[role]) - 1)],
    };

    local netpol(ns, name, spec) = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: name, namespace: ns, labels: labels },
      spec: spec,
    };
    local tenantPeer = { namespaceSelector: { matchLabels: { 'plinth.dev/tenant': t.name } } };
    // an allowFrom entry: a namespace by name, namespaces by labels, and/or pods by labels (alone:
    // pods of the tenant's own namespace, as in NetworkPolicy)
    local allowFromPeer(a) =
      (if std.objectHas(a, 'namespace') then { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': a.namespace } } }
       else if std.objectHas(a, 'namespaceSelector') then { namespaceSelector: { matchLabels: a.namespaceSelector } }
       else {})
      + (if std.objectHas(a, 'podSelector') then { podSelector: { matchLabels: a.podSelector } } else {});
    // names must be valid object names whatever the selector labels look like: a named namespace
    // gives allow-from-<namespace>, a selector its position in the list
    local allowFromName(a, i) =
      assert std.length(a) > 0 : 'spec.network.allowFrom[' + i + ']: allowFrom entries need namespace, namespaceSelector or podSelector';
      'allow-from-' + (if std.objectHas(a, 'namespace') then a.namespace else std.toString(i + 1));
    // an allowTo entry: egress to a namespace by name or labels, or to an address range (object
    // storage, a managed database), optionally only to some ports
    local allowToPeer(a) =
      if std.objectHas(a, 'namespace') then { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': a.namespace } } }
      else if std.objectHas(a, 'namespaceSelector') then { namespaceSelector: { matchLabels: a.namespaceSelector } }
      else { ipBlock: { cidr: a.cidr } };
    local allowToName(a, i) =
      assert std.objectHas(a, 'namespace') || std.objectHas(a, 'namespaceSelector') || std.objectHas(a, 'cidr') :
        'spec.network.allowTo[' + i + ']: allowTo entries need namespace, namespaceSelector or cidr';
      'allow-to-' + (if std.objectHas(a, 'namespace') then a.namespace else std.toString(i + 1));
    local networkPolicies(ns) =
      if t.network.isolation != 'tenant' then [] else [
        netpol(ns, 'default-deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }),
        netpol(ns, 'allow-same-tenant', {
          podSelector: {},
          policyTypes: ['Ingress', 'Egress'],
          ingress: [{ from: [tenantPeer] }],
          egress: [{ to: [tenantPeer] }],
        }),
        netpol(ns, 'allow-dns', {
          podSelector: {},
          policyTypes: ['Egress'],
          egress: [{
            to: [{
              namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
              podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
            }],
            ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }],
          }],
        }),
      ] + [
        netpol(ns, allowFromName(t.network.allowFrom[i], i), {
          podSelector: {},
          policyTypes: ['Ingress'],
          ingress: [{ from: [allowFromPeer(t.network.allowFrom[i])] }],
        })
        for i in std.range(0, std.length(t.network.allowFrom) - 1)
      ] + [
        netpol(ns, allowToName(t.network.allowTo[i], i), {
          podSelector: {},
          policyTypes: ['Egress'],
          egress: [{ to: [allowToPeer(t.network.allowTo[i])] }
                   + (if std.objectHas(t.network.allowTo[i], 'ports')
                      then { ports: [{ protocol: 'TCP', port: p } for p in t.network.allowTo[i].ports] } else {})],
        })
        for i in std.range(0, std.length(t.network.allowTo) - 1)
      ];

    // with Flux, the tenant's apps sync as this account (Kustomization serviceAccountName), which
    // may only edit the tenant's namespaces
    local flux = std.objectHas(ctx.platform, 'gitops') && std.objectHas(ctx.platform.gitops, 'repoURL')
                 && ctx.platform.gitops.engine == 'flux';
    local home = t.namespaces[0];
    local deployer(ns) =
      (if ns == home then [{
        apiVersion: 'v1',
        kind: 'ServiceAccount',
        metadata: { name: 'plinth-deployer', namespace: ns, labels: labels },
      }] else [])
      + [{
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: { name: 'plinth-deployer', namespace: ns, labels: labels },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'admin' },
        subjects: [{ kind: 'ServiceAccount', name: 'plinth-deployer', namespace: home }],
      }];
    local perNamespace(ns) =
      [namespace(ns)]
      + (if std.objectHas(t, 'quota') then [quota(ns)] else [])
      + (if std.objectHas(t, 'limits') then [limitRange(ns)] else [])
      + [roleBinding(ns, role) for role in ['admin', 'edit', 'view'] if std.length(t.members[role]) > 0]
      + networkPolicies(ns)
      + (if flux then deployer(ns) else []);

    {
      tenant: std.flattenArrays([perNamespace(ns) for ns in t.namespaces]),
      platform: if !hasQueue then [] else [{
        apiVersion: 'scheduling.volcano.sh/v1beta1',
        kind: 'Queue',
        metadata: { name: t.name, labels: labels },
        spec: {
          weight: t.queue.weight,
          reclaimable: true,
        } + (if std.objectHas(t.queue, 'capability') then { capability: t.queue.capability } else {})
          + (if std.objectHas(t.queue, 'deserved') then { deserved: t.queue.deserved } else {}),
      }],
    },
}
