// Helpers for definition authors: `local plinth = import 'lib/plinth.libsonnet';`
//
// ctx (the first argument of every definition function) carries:
//   name, app, tenant, namespace, environment     names of what is being rendered
//   component: {name, type, objects}              (traits) the component and its objects so far
//   cluster: {name, kubeVersion, labels, operators}
//   platform: the checked `spec` of platform.yaml (monitoring, logging, ...)
//   labels: the standard labels for every object of the component
//   selector: the subset of labels that selects the component's pods
//   isolated: whether the tenant denies traffic by default (network.isolation: tenant)
//   uses, usedBy: the component's declared uses and the uses of it, each the other end's
//     {app, component, type, namespace, tenant, ports: [{port, protocol}], podSelector}
{
  local plinth = self,

  has(list, x):: std.length(std.filter(function(e) e == x, list)) > 0,

  podKinds:: ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job'],
  isWorkload(o):: plinth.has(plinth.podKinds + ['CronJob'], o.kind),

  // Standard metadata for an object of the component.
  meta(ctx, name=null, labels={}, annotations={})::
    { name: if name == null then ctx.name else name, namespace: ctx.namespace, labels: ctx.labels + labels }
    + (if std.length(annotations) > 0 then { annotations: annotations } else {}),

  // Applies `f(podTemplate) -> mixin` to the pod template of a workload; other objects unchanged.
  patchPod(o, f)::
    if o.kind == 'CronJob' then
      o { spec+: { jobTemplate+: { spec+: { template+: f(o.spec.jobTemplate.spec.template) } } } }
    else if plinth.has(plinth.podKinds, o.kind) then
      o { spec+: { template+: f(o.spec.template) } }
    else o,

  // The pod template of a workload, or null.
  podTemplate(o)::
    if o.kind == 'CronJob' then o.spec.jobTemplate.spec.template
    else if plinth.has(plinth.podKinds, o.kind) then o.spec.template
    else null,

  // Removes a field from an object (sjsonnet has no std.objectRemoveKey).
  without(obj, key):: { [k]: obj[k] for k in std.objectFields(obj) if k != key },

  // Pod Security "restricted" profile (https://kubernetes.io/docs/concepts/security/pod-security-standards/).
  podSecurityContext(fsGroup=null)::
    { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } }
    + (if fsGroup != null then { fsGroup: fsGroup, fsGroupChangePolicy: 'OnRootMismatch' } else {}),
  containerSecurityContext::
    {
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      seccompProfile: { type: 'RuntimeDefault' },
    },

  // Container resources with the memory limit defaulted to the memory request: a default limit
  // below a given request is one the API server rejects (requests must not exceed limits).
  resources(r)::
    local requests = if std.objectHas(r, 'requests') then r.requests else {};
    local limits = if std.objectHas(r, 'limits') then r.limits else {};
    r { limits: (if std.objectHas(requests, 'memory') then { memory: requests.memory } else {}) + limits },

  envList(env):: [{ name: k, value: env[k] } for k in std.objectFields(env)],

  // A container from the common workload properties (image, env, command, args, resources).
  container(ctx, props, ports=[], extra={})::
    {
      name: ctx.name,
      image: props.image,
      imagePullPolicy: 'IfNotPresent',
      securityContext: plinth.containerSecurityContext,
      resources: plinth.resources(props.resources),
      // /tmp stays writable with a read-only root filesystem
      volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
    }
    + (if std.length(props.env) > 0 then { env: plinth.envList(props.env) } else {})
    + (if std.objectHas(props, 'command') then { command: props.command } else {})
    + (if std.objectHas(props, 'args') then { args: props.args } else {})
    + (if std.length(ports) > 0 then { ports: ports } else {})
    + extra,

  // A pod spec around containers; `volumes` are added to the tmp emptyDir.
  podSpec(containers, volumes=[], fsGroup=null, extra={})::
    {
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      securityContext: plinth.podSecurityContext(fsGroup),
      terminationGracePeriodSeconds: 30,
      containers: containers,
      volumes: [{ name: 'tmp', emptyDir: {} }] + volumes,
    } + extra,

  // Schema fragments shared by the workload types.
  params:: {
    image: { type: 'string', required: true, description: 'Container image, pinned by tag or digest.' },
    env: { type: 'map', values: { type: 'string' }, default: {}, description: 'Environment variables.' },
    command: { type: 'array', items: { type: 'string' }, description: 'Entrypoint override.' },
    args: { type: 'array', items: { type: 'string' }, description: 'Arguments.' },
    resources: {
      type: 'object',
      description: 'Container resources; requests and a memory limit are expected by the platform policies.',
      properties: {
        requests: { type: 'map', values: { type: 'quantity' }, default: { cpu: '100m', memory: '128Mi' } },
        limits: { type: 'map', values: { type: 'quantity' }, default: {}, description: 'Limits; `memory` defaults to the memory request (never below it, which the API server rejects).' },
      },
    },
    config: {
      type: 'map',
      values: { type: 'string' },
      default: {},
      description: 'Files (name -> content) in a ConfigMap mounted at configMountPath; a change rolls the pods.',
    },
    configMountPath: { type: 'string', description: 'Where config files are mounted (default /etc/<component>).' },
  },

  // ConfigMap + volume + mount + checksum annotation for the `config` property.
  configParts(ctx, props)::
    if std.length(props.config) == 0 then { objects: [], volumes: [], mounts: [], annotations: {} }
    else {
      local cmName = ctx.name + '-config',
      objects: [{
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: plinth.meta(ctx, cmName),
        data: props.config,
      }],
      volumes: [{ name: 'config', configMap: { name: cmName } }],
      mounts: [{
        name: 'config',
        mountPath: if std.objectHas(props, 'configMountPath') then props.configMountPath else '/etc/' + ctx.name,
        readOnly: true,
      }],
      annotations: { 'plinth.dev/config-checksum': std.md5(std.manifestJsonEx(props.config, '')) },
    },

  // "1.2" >= "0.49"? Versions compare numerically, part by part ("0.10" > "0.9").
  versionAtLeast(version, minimum)::
    local a = [std.parseInt(x) for x in std.split(version, '.')];
    local b = [std.parseInt(x) for x in std.split(minimum, '.')];
    local n = std.max(std.length(a), std.length(b));
    local at(l, i) = if i < std.length(l) then l[i] else 0;
    local cmp(i) = if i >= n then 0 else if at(a, i) != at(b, i) then at(a, i) - at(b, i) else cmp(i + 1);
    cmp(0) >= 0,

  // The version of an operator on the target cluster (its `operators` map), or a default.
  operatorVersion(ctx, operator, default)::
    if std.objectHas(ctx.cluster.operators, operator) then ctx.cluster.operators[operator] else default,

  // Bytes of a Kubernetes quantity ("512Mi", "2Gi", "1G") or a JVM/Spark size ("4g", "512m").
  bytes(q)::
    local s = std.toString(q);
    local units = {
      Ki: 1024, Mi: 1024 * 1024, Gi: 1024 * 1024 * 1024, Ti: 1024 * 1024 * 1024 * 1024,
      k: 1000, K: 1000, M: 1000 * 1000, G: 1000 * 1000 * 1000, T: 1000 * 1000 * 1000 * 1000,
      m: 1024 * 1024, g: 1024 * 1024 * 1024, t: 1024 * 1024 * 1024 * 1024,  // JVM-style, lower case
    };
    local two = if std.length(s) > 2 then std.substr(s, std.length(s) - 2, 2) else '';
    local one = if std.length(s) > 1 then std.substr(s, std.length(s) - 1, 1) else '';
    if std.objectHas(units, two) then std.parseJson(std.substr(s, 0, std.length(s) - 2)) * units[two]
    else if std.objectHas(units, one) then std.parseJson(std.substr(s, 0, std.length(s) - 1)) * units[one]
    else std.parseJson(s),

  // A size in bytes as a Kubernetes quantity, rounded up to whole MiB.
  mebibytes(b):: std.toString(std.ceil(b / (1024 * 1024))) + 'Mi',

  // The labels of the pods a component's operator creates (traits select them): definitions
  // of operator-managed types declare `podSelector(ctx)`; plain workloads use ctx.selector.
  podSelector(ctx)::
    if std.objectHas(ctx.component, 'podSelector') then ctx.component.podSelector else ctx.selector,

  // The NetworkPolicies of a component's declared uses (ctx.uses: what it uses; ctx.usedBy:
  // what uses it; each with namespace, pod selector and ports): egress from its pods to each
  // target and ingress to its pods from each source, only where its tenant denies by default
  // (elsewhere a policy would isolate the pods instead of opening them). Named ports are
  // resolved by Kubernetes against the target's pods, at both ends.
  usePolicies(ctx)::
    local peer(p) = {
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': p.namespace } },
      podSelector: { matchLabels: p.podSelector },
    };
    local ports(p) = [{ protocol: x.protocol, port: x.port } for x in p.ports];
    local policy(name, type, rules) = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: plinth.meta(ctx, name),
      spec: { podSelector: { matchLabels: plinth.podSelector(ctx) }, policyTypes: [type] } + rules,
    };
    // two uses of the same pods (two topics of one Kafka cluster) make one rule
    local distinct(rules) = std.foldl(function(acc, r) if plinth.has(acc, r) then acc else acc + [r], rules, []);
    if !std.objectHas(ctx, 'isolated') || !ctx.isolated then [] else
      (if std.length(ctx.uses) == 0 then [] else
         [policy(ctx.name + '-uses', 'Egress', { egress: distinct([{ to: [peer(u)], ports: ports(u) } for u in ctx.uses]) })])
      + (if std.length(ctx.usedBy) == 0 then [] else
           [policy(ctx.name + '-used-by', 'Ingress', { ingress: distinct([{ from: [peer(u)], ports: ports(u) } for u in ctx.usedBy]) })]),

  // The component types each built-in dashboard and alert preset is written for: its metric
  // names, labels and pod names are those of that type, so on any other type it would show and
  // alert on nothing.
  presetTypes:: {
    kafka: ['kafka-cluster'],
    flink: ['flink-application'],
    spark: ['spark-application'],
    hdfs: ['hdfs'],
    'hive-metastore': ['hive-metastore'],
  },

  // Why `preset` does not fit the component, or null. Traits assert on it in their own file, so
  // that the error is reported at the preset's line of the spec (properties.preset).
  presetMismatch(ctx, preset)::
    // a preset of a platform's own (not listed here) is the platform's to judge
    local types = if std.objectHas(plinth.presetTypes, preset) then plinth.presetTypes[preset] else [ctx.component.type];
    if plinth.has(types, ctx.component.type) then null
    else 'properties.preset: preset "' + preset + '" applies to components of type ' + std.join(', ', types)
         + '; component ' + ctx.name + ' is of type ' + ctx.component.type,

  // Egress from some pods to the Kubernetes API server (Spark drivers and Flink JobManagers
  // create pods, Strimzi's entity operator and rack-aware brokers read it). Empty when the
  // cluster's API server address is unknown (set apiServerCIDRs).
  apiServerEgress(ctx, name, podSelector)::
    if std.length(ctx.cluster.apiServerCIDRs) == 0 then [] else [{
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: plinth.meta(ctx, name),
      spec: {
        podSelector: podSelector,
        policyTypes: ['Egress'],
        egress: [{
          to: [{ ipBlock: { cidr: c } } for c in ctx.cluster.apiServerCIDRs],
          ports: [{ protocol: 'TCP', port: p } for p in ctx.cluster.apiServerPorts],
        }],
      },
    }],

  // The first object of one of the given kinds, or null.
  first(objects, kinds)::
    local found = [o for o in objects if plinth.has(kinds, o.kind)];
    if std.length(found) > 0 then found[0] else null,
}
