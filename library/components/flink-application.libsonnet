// A Flink job in application mode, run by the Apache Flink Kubernetes Operator: a
// FlinkDeployment with an explicit upgrade mode, checkpoint/savepoint directories, a flat
// string flinkConfiguration with the Prometheus reporter, a restricted pod template, the job's
// ServiceAccount and Role, and the NetworkPolicies the operator and the JobManager need.
local plinth = import '../lib/plinth.libsonnet';

{
  description: 'A Flink application-mode job (FlinkDeployment) with checkpointing, savepoints, HA for last-state upgrades, the Prometheus reporter, its RBAC and NetworkPolicies.',
  example: |||
    components:
      - name: enricher
        type: flink-application
        properties:
          image: registry.example.com/clickstream/enricher-flink:2.3.0
          jarURI: local:///opt/flink/usrlib/enricher.jar
          entryClass: com.example.Enricher
          parallelism: 4
          upgradeMode: savepoint
          checkpointDir: s3://flink-state/analytics/enricher/checkpoints
          savepointDir: s3://flink-state/analytics/enricher/savepoints
  |||,
  operator:: { name: 'flink', default: '1.15', supported: '1.10 and later (flink.apache.org/v1beta1); Kubernetes resources instead of resource from 1.16' },
  // the ports a declared use reaches when it names none: the JobManager's REST API
  listens:: [{ port: 8081 }],
  parameters: {
    image: { type: 'string', required: true, description: 'Image with Flink and the job jar.' },
    flinkVersion: { type: 'string', enum: ['v1_18', 'v1_19', 'v1_20', 'v2_0', 'v2_1', 'v2_2'], default: 'v1_20' },
    jarURI: { type: 'string', required: true, description: 'Job jar, e.g. local:///opt/flink/usrlib/job.jar.' },
    entryClass: { type: 'string' },
    args: { type: 'array', items: { type: 'string' }, default: [] },
    parallelism: { type: 'integer', default: 2, minimum: 1 },
    upgradeMode: { type: 'string', required: true, enum: ['stateless', 'savepoint', 'last-state'], description: 'How the operator upgrades the job; stateful jobs need savepoint or last-state.' },
    checkpointDir: { type: 'string', description: 'Durable checkpoint directory (required unless stateless).' },
    savepointDir: { type: 'string', description: 'Durable savepoint directory (required unless stateless).' },
    haDir: { type: 'string', description: 'HA metadata directory for last-state (default: <checkpointDir>/ha).' },
    checkpointInterval: { type: 'string', default: '60s' },
    savepointInterval: { type: 'string', default: '6h', description: 'Periodic savepoints taken by the operator.' },
    jobManager: {
      type: 'object',
      properties: {
        replicas: { type: 'integer', default: 1, minimum: 1, description: 'More than 1 only with HA (last-state).' },
        cpu: { type: 'number', default: 1 },
        memory: { type: 'string', default: '2048m' },
      },
    },
    taskManager: {
      type: 'object',
      properties: {
        slots: { type: 'integer', default: 2, minimum: 1, description: 'taskmanager.numberOfTaskSlots.' },
        replicas: { type: 'integer', minimum: 1, description: 'Fixed TaskManager count (default: parallelism / slots, rounded up).' },
        cpu: { type: 'number', default: 1 },
        memory: { type: 'string', default: '4096m' },
      },
    },
    config: { type: 'map', values: { type: 'string' }, default: {}, description: 'More flinkConfiguration (flat keys, string values).' },
    env: plinth.params.env { description: super.description + ' Of the JobManager and the TaskManagers (the pod template\'s flink-main-container).' },
    envFrom: plinth.params.envFrom { description: super.description + ' Of the JobManager and the TaskManagers.' },
    volumes: plinth.params.volumes { description: super.description + ' In the JobManager and the TaskManagers.' },
  },

  podSelector(ctx, props):: { app: ctx.name, type: 'flink-native-kubernetes' },

  render(ctx, props)::
    local flinkOp = plinth.operatorVersion(ctx, 'flink', '1.15');
    assert plinth.versionAtLeast(flinkOp, '1.10') : 'operators.flink: Flink operator ' + flinkOp + ' is older than 1.10, the oldest flink-application supports';
    local stateful = props.upgradeMode != 'stateless';
    assert !stateful || std.objectHas(props, 'checkpointDir') :
      'properties.upgradeMode: ' + props.upgradeMode + ' needs checkpointDir';
    assert !stateful || std.objectHas(props, 'savepointDir') :
      'properties.upgradeMode: ' + props.upgradeMode + ' needs savepointDir';
    local slots = props.taskManager.slots;
    local tms = if std.objectHas(props.taskManager, 'replicas') then props.taskManager.replicas
                else std.ceil(props.parallelism / slots);
    assert props.parallelism <= tms * slots :
      'properties.parallelism: ' + props.parallelism + ' is more than the ' + (tms * slots) + ' task slots of '
      + tms + ' TaskManagers with ' + slots + ' slots each';
    local ha = props.upgradeMode == 'last-state';
    assert props.jobManager.replicas == 1 || ha :
      'properties.jobManager.replicas: more than one JobManager needs HA, which upgradeMode last-state turns on';
    local sa = ctx.name + '-flink';
    local resource(r) =
      if plinth.versionAtLeast(flinkOp, '1.16') then
        { resources: { requests: { cpu: std.toString(r.cpu), memory: plinth.mebibytes(plinth.bytes(r.memory)) },
                       limits: { memory: plinth.mebibytes(plinth.bytes(r.memory)) } } }
      else { resource: { cpu: r.cpu, memory: r.memory } };
    local conf = {
      'taskmanager.numberOfTaskSlots': std.toString(slots),
      'metrics.reporter.prom.factory.class': 'org.apache.flink.metrics.prometheus.PrometheusReporterFactory',
      'metrics.reporter.prom.port': '9249',
      'kubernetes.operator.job.upgrade.last-state-fallback.enabled': 'true',
    } + (if stateful then {
      'state.backend.type': 'rocksdb',
      'execution.checkpointing.interval': props.checkpointInterval,
      'state.checkpoints.dir': props.checkpointDir,
      'state.savepoints.dir': props.savepointDir,
      'kubernetes.operator.periodic.savepoint.interval': props.savepointInterval,
      'kubernetes.operator.savepoint.history.max.count': '5',
    } else {}) + (if ha then {
      'high-availability.type': 'kubernetes',
      'high-availability.storageDir': if std.objectHas(props, 'haDir') then props.haDir else props.checkpointDir + '/ha',
    } else {}) + props.config;
    local ops = ctx.platform.operatorNamespaces;
    // JobManagers create TaskManager pods; with Kubernetes HA every Flink pod watches the leader ConfigMaps
    local flinkPods = { matchLabels: { app: ctx.name } };
    // in the common pod template only: the operator merges it with the role templates by list
    // position, so lists split between the two would be merged element by element
    local creds = plinth.credentialVolumes(props, {
      names: ['flink-config-volume', 'hadoop-config-volume', 'pod-template-volume'],
      paths: ['/opt/flink/conf', '/opt/hadoop/conf', '/opt/flink/pod-template'],
    });
    [
      {
        apiVersion: 'flink.apache.org/v1beta1',
        kind: 'FlinkDeployment',
        metadata: plinth.meta(ctx),
        spec: {
          image: props.image,
          imagePullPolicy: 'IfNotPresent',
          flinkVersion: props.flinkVersion,
          serviceAccount: sa,
          flinkConfiguration: conf,
          jobManager: { replicas: props.jobManager.replicas } + resource(props.jobManager),
          taskManager: resource(props.taskManager)
                       + (if std.objectHas(props.taskManager, 'replicas') then { replicas: props.taskManager.replicas } else {}),
          podTemplate: {
            metadata: { labels: ctx.labels },
            spec: {
              securityContext: { runAsNonRoot: true, runAsUser: 9999, fsGroup: 9999, seccompProfile: { type: 'RuntimeDefault' } },
              containers: [{
                name: 'flink-main-container',  // the name the operator merges its container into
                ports: [{ name: 'metrics', containerPort: 9249, protocol: 'TCP' }],
                securityContext: plinth.containerSecurityContext { readOnlyRootFilesystem: false },
              } + plinth.containerRefs(props)],
            } + (if std.length(creds.volumes) > 0 then { volumes: creds.volumes } else {}),
          },
          job: {
            jarURI: props.jarURI,
            parallelism: props.parallelism,
            upgradeMode: props.upgradeMode,
            state: 'running',
            args: props.args,
          } + (if std.objectHas(props, 'entryClass') then { entryClass: props.entryClass } else {}),
        },
      },
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: plinth.meta(ctx, sa), automountServiceAccountToken: true },
      {
        // what the JobManager needs to run TaskManager pods and HA (the operator chart's job RBAC)
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'Role',
        metadata: plinth.meta(ctx, sa),
        rules: [
          { apiGroups: [''], resources: ['pods', 'configmaps'], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'] },
          { apiGroups: ['apps'], resources: ['deployments', 'deployments/finalizers'], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'] },
        ],
      },
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: plinth.meta(ctx, sa),
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: sa },
        subjects: [{ kind: 'ServiceAccount', name: sa, namespace: ctx.namespace }],
      },
    ] + plinth.whereIsolated(ctx, [
      {
        // the operator calls the JobManager's REST API; Prometheus scrapes every Flink pod
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: plinth.meta(ctx, ctx.name + '-flink-ingress'),
        spec: {
          podSelector: { matchLabels: { app: ctx.name } },
          policyTypes: ['Ingress'],
          ingress: [
            { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': ops.flink } } }], ports: [{ protocol: 'TCP', port: 8081 }] },
            { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': ctx.platform.monitoring.namespace } } }], ports: [{ protocol: 'TCP', port: 9249 }] },
            { from: [{ podSelector: { matchLabels: { app: ctx.name } } }] },
          ],
        },
      },
    ]) + plinth.apiServerEgress(ctx, ctx.name + '-flink-apiserver', flinkPods),
}
