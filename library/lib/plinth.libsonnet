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

  // Kubernetes env entries from the `env` property: a string is a value, an object the
  // content of `valueFrom` (secretKeyRef or configMapKeyRef).
  envList(env):: [
    if std.isString(env[k]) then { name: k, value: env[k] } else { name: k, valueFrom: env[k] }
    for k in std.objectFields(env)
  ],

  // Kubernetes envFrom entries from the `envFrom` property (absent: none).
  envFromList(props)::
    if !std.objectHas(props, 'envFrom') then [] else [
      assert std.length([k for k in ['secretRef', 'configMapRef'] if std.objectHas(e, k)]) == 1 :
        'properties.envFrom[' + i + ']: give exactly one of secretRef and configMapRef';
      e
      for i in std.range(0, std.length(props.envFrom) - 1)
      for e in [props.envFrom[i]]
    ],

  // The pod volumes and container mounts of the `volumes` property: Secret and ConfigMap
  // volumes, always mounted read-only (they are read-only anyway; saying so keeps a
  // readOnlyRootFilesystem container's writable places to the ones the type chose). `reserved`
  // are the volume names and mount paths the type uses itself.
  credentialVolumes(props, reserved={ names: [], paths: [] })::
    local vs = if std.objectHas(props, 'volumes') then props.volumes else [];
    local names = [v.name for v in vs];
    local paths = [v.mountPath for v in vs];
    local takenNames = ['tmp'] + reserved.names;
    local takenPaths = ['/tmp'] + reserved.paths;
    local checked = [
      local v = vs[i];
      local at = 'properties.volumes[' + i + ']';
      assert std.length([k for k in ['secret', 'configMap'] if std.objectHas(v, k)]) == 1 :
        at + ': give exactly one of secret and configMap';
      assert !plinth.has(takenNames, v.name) : at + '.name: ' + v.name + ' is a volume of the type itself (' + std.join(', ', takenNames) + ')';
      assert std.length([n for n in names if n == v.name]) == 1 : at + '.name: ' + v.name + ' names two volumes';
      assert !plinth.has(takenPaths, v.mountPath) : at + '.mountPath: ' + v.mountPath + ' is where the type mounts a volume of its own';
      assert std.length([p for p in paths if p == v.mountPath]) == 1 : at + '.mountPath: two volumes are mounted at ' + v.mountPath;
      local items(source) =
        if std.objectHas(source, 'items') then { items: [{ key: it.key, path: if std.objectHas(it, 'path') then it.path else it.key } for it in source.items] } else {};
      {
        volume: { name: v.name } + (
          if std.objectHas(v, 'secret') then { secret: plinth.without(v.secret, 'items') + items(v.secret) }
          else { configMap: plinth.without(v.configMap, 'items') + items(v.configMap) }
        ),
        mount: { name: v.name, mountPath: v.mountPath, readOnly: true },
      }
      for i in std.range(0, std.length(vs) - 1)
    ];
    { volumes: [c.volume for c in checked], mounts: [c.mount for c in checked] },

  // What the common properties env, envFrom and volumes add to a container (appended to the
  // env and mounts it has); the same fields as a SparkApplication's driver and executor.
  containerRefs(props)::
    local env = if std.objectHas(props, 'env') then plinth.envList(props.env) else [];
    local envFrom = plinth.envFromList(props);
    local mounts = plinth.credentialVolumes(props).mounts;
    (if std.length(env) > 0 then { env+: env } else {})
    + (if std.length(envFrom) > 0 then { envFrom: envFrom } else {})
    + (if std.length(mounts) > 0 then { volumeMounts+: mounts } else {}),

  // A container from the common workload properties (image, env, envFrom, volumes, command,
  // args, resources); the pod's volumes for `volumes` come from credentialVolumes.
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
    + (if std.objectHas(props, 'command') then { command: props.command } else {})
    + (if std.objectHas(props, 'args') then { args: props.args } else {})
    + (if std.length(ports) > 0 then { ports: ports } else {})
    + extra
    + plinth.containerRefs(props),

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
    env: {
      type: 'map',
      values: { oneOf: [{ type: 'string' }, plinth.params.valueFrom] },
      default: {},
      description: 'Environment variables: a value, or `{secretKeyRef: {name, key, optional}}` or `{configMapKeyRef: {name, key, optional}}` to read it from a key of a Secret or ConfigMap of the namespace.',
    },
    local keyRef(kind) = {
      type: 'object',
      properties: {
        name: { type: 'string', required: true, description: 'The ' + kind + ' in the app\'s namespace.' },
        key: { type: 'string', required: true },
        optional: { type: 'boolean', description: 'Start without it when the ' + kind + ' or key is missing.' },
      },
    },
    valueFrom: {
      type: 'object',
      properties: { secretKeyRef: keyRef('Secret'), configMapKeyRef: keyRef('ConfigMap') },
    },
    local ref(kind) = {
      type: 'object',
      properties: {
        name: { type: 'string', required: true, description: 'The ' + kind + ' in the app\'s namespace.' },
        optional: { type: 'boolean', description: 'Start without it when the ' + kind + ' is missing.' },
      },
    },
    envFrom: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          secretRef: ref('Secret'),
          configMapRef: ref('ConfigMap'),
          prefix: { type: 'string', description: 'Put before every variable name.' },
        },
      },
      description: 'Every key of a Secret (`secretRef: {name}`) or ConfigMap (`configMapRef: {name}`) as an environment variable, optionally prefixed.',
    },
    local items = {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          key: { type: 'string', required: true, description: 'A key of the Secret or ConfigMap.' },
          path: { type: 'string', description: 'File name under mountPath (default: the key).' },
        },
      },
      description: 'Only these keys, as these files (default: every key, as a file of its name).',
    },
    volumes: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          name: { type: 'string', required: true, description: 'Volume name (a DNS label).' },
          mountPath: { type: 'string', required: true, description: 'Folder the files appear in, read-only.' },
          secret: {
            type: 'object',
            properties: {
              secretName: { type: 'string', required: true, description: 'The Secret in the app\'s namespace.' },
              items: items,
              optional: { type: 'boolean', description: 'Start without it when the Secret is missing.' },
            },
          },
          configMap: {
            type: 'object',
            properties: {
              name: { type: 'string', required: true, description: 'The ConfigMap in the app\'s namespace.' },
              items: items,
              optional: { type: 'boolean', description: 'Start without it when the ConfigMap is missing.' },
            },
          },
        },
      },
      description: 'Secret (`secret: {secretName}`) or ConfigMap (`configMap: {name}`) volumes, each mounted read-only at mountPath.',
    },
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

  // The type's own NetworkPolicies, only where the tenant denies by default (ctx.isolated):
  // elsewhere a policy that selects pods would isolate them, shutting out everything it does not
  // list (DNS, the tenant's own clients).
  whereIsolated(ctx, policies):: if !std.objectHas(ctx, 'isolated') || ctx.isolated then policies else [],

  // Egress from some pods to the Kubernetes API server (Spark drivers and Flink JobManagers
  // create pods, Strimzi's entity operator and rack-aware brokers read it). Empty when the
  // cluster's API server address is unknown (set apiServerCIDRs), and where the tenant does not
  // isolate (the pods reach it anyway).
  apiServerEgress(ctx, name, podSelector)::
    if std.length(ctx.cluster.apiServerCIDRs) == 0 then [] else plinth.whereIsolated(ctx, [{
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
    }]),

  // The first object of one of the given kinds, or null.
  first(objects, kinds)::
    local found = [o for o in objects if plinth.has(kinds, o.kind)];
    if std.length(found) > 0 then found[0] else null,
}
