// A Spark job run by the Kubeflow Spark Operator: a SparkApplication, or a
// ScheduledSparkApplication when `schedule` is set, gang-scheduled by Volcano on the tenant's
// queue, with the driver's ServiceAccount and Role and the NetworkPolicies drivers need. No
// timeToLiveSeconds: a finished application deleted by the operator would be re-created by GitOps
// self-heal and run again, in a loop.
local plinth = import '../lib/plinth.libsonnet';

{
  description: 'A Spark job (SparkApplication, or ScheduledSparkApplication with schedule) on the tenant\'s Volcano queue, with driver RBAC, Prometheus metrics and NetworkPolicies; never a TTL that GitOps would undo.',
  example: |||
    components:
      - name: nightly-sessions
        type: spark-application
        properties:
          image: registry.example.com/clickstream/sessions-spark:1.8.0
          mainClass: com.example.Sessions
          mainApplicationFile: local:///opt/spark/jars/sessions.jar
          schedule: "0 2 * * *"
          executor: {instances: 4, cores: 2, memory: 4g}
  |||,
  operator:: { name: 'spark', default: '2.5', supported: '1.1 and later (sparkoperator.k8s.io/v1beta2)' },
  parameters: {
    image: { type: 'string', required: true },
    type: { type: 'string', enum: ['Scala', 'Java', 'Python', 'R'], default: 'Scala' },
    mainClass: { type: 'string', description: 'Required for Scala and Java.' },
    mainApplicationFile: { type: 'string', required: true, description: 'e.g. local:///opt/spark/jars/job.jar.' },
    arguments: { type: 'array', items: { type: 'string' }, default: [] },
    sparkVersion: { type: 'string', default: '3.5.5' },
    schedule: { type: 'string', description: 'Cron schedule: makes a ScheduledSparkApplication.' },
    timeZone: { type: 'string', default: 'Etc/UTC' },
    concurrencyPolicy: { type: 'string', enum: ['Allow', 'Forbid', 'Replace'], default: 'Forbid' },
    retries: { type: 'integer', default: 2, minimum: 0, description: 'Retries of a failed run.' },
    driver: {
      type: 'object',
      properties: {
        cores: { type: 'integer', default: 1, minimum: 1 },
        memory: { type: 'string', default: '2g', pattern: '[0-9]+[kmgt]', description: 'JVM heap, Spark syntax (512m, 4g).' },
      },
    },
    executor: {
      type: 'object',
      properties: {
        instances: { type: 'integer', default: 2, minimum: 1 },
        cores: { type: 'integer', default: 1, minimum: 1 },
        memory: { type: 'string', default: '2g', pattern: '[0-9]+[kmgt]', description: 'JVM heap, Spark syntax (512m, 4g).' },
      },
    },
    maxExecutors: { type: 'integer', minimum: 1, description: 'Turns on dynamic allocation up to this many executors.' },
    sparkConf: { type: 'map', values: { type: 'string' }, default: {} },
    priorityClass: { type: 'string', description: 'Volcano priority class of the run.' },
    env: plinth.params.env { description: super.description + ' Of the driver and the executors.' },
    envFrom: plinth.params.envFrom { description: super.description + ' Of the driver and the executors.' },
    volumes: plinth.params.volumes { description: super.description + ' In the driver and the executors.' },
  },

  render(ctx, props)::
    assert ctx.tenantQueue != null :
      'properties: spark-application runs on its tenant\'s Volcano queue, and tenant ' + ctx.tenant + ' has none (set spec.queue on the tenant)';
    assert !plinth.has(['Scala', 'Java'], props.type) || std.objectHas(props, 'mainClass') :
      'properties.mainClass: a ' + props.type + ' application needs mainClass';
    // the pod's memory is the heap plus Spark's overhead (10% for JVM jobs, 40% for Python/R,
    // at least 384 MiB); the tenant's LimitRange maximum must admit it
    local factor = if plinth.has(['Python', 'R'], props.type) then 0.4 else 0.1;
    local podMemory(heap) = plinth.bytes(heap) + std.max(384 * 1024 * 1024, factor * plinth.bytes(heap));
    local max = if std.objectHas(ctx.tenantLimits, 'max') && std.objectHas(ctx.tenantLimits.max, 'memory')
                then plinth.bytes(ctx.tenantLimits.max.memory) else null;
    local fits(role) = max == null || podMemory(props[role].memory) <= max;
    assert fits('executor') : 'properties.executor.memory: ' + props.executor.memory + ' makes executor pods of '
      + plinth.mebibytes(podMemory(props.executor.memory)) + ' with overhead, more than the tenant\'s LimitRange maximum ' + ctx.tenantLimits.max.memory;
    assert fits('driver') : 'properties.driver.memory: ' + props.driver.memory + ' makes a driver pod of '
      + plinth.mebibytes(podMemory(props.driver.memory)) + ' with overhead, more than the tenant\'s LimitRange maximum ' + ctx.tenantLimits.max.memory;
    local sa = ctx.name + '-spark';
    // the operator's webhook treats mounts named spark-local-dir-* as Spark's local directories
    local volumes = if std.objectHas(props, 'volumes') then props.volumes else [];
    assert std.length([v for v in volumes if std.startsWith(v.name, 'spark-local-dir-')]) == 0 :
      'properties.volumes: names starting with spark-local-dir- are Spark\'s local directories, not Secret or ConfigMap volumes';
    local creds = plinth.credentialVolumes(props, {
      names: ['spark-conf-volume-driver', 'spark-conf-volume-exec', 'hadoop-properties', 'pod-template-volume'],
      paths: ['/opt/spark/conf', '/opt/hadoop/conf'],
    });
    local security = {
      podSecurityContext: { runAsNonRoot: true, runAsUser: 185, runAsGroup: 185, fsGroup: 185, seccompProfile: { type: 'RuntimeDefault' } },
      securityContext: plinth.containerSecurityContext { readOnlyRootFilesystem: false },
      labels: ctx.labels,
    } + plinth.containerRefs(props);
    local spec = {
      type: props.type,
      mode: 'cluster',
      image: props.image,
      imagePullPolicy: 'IfNotPresent',
      mainApplicationFile: props.mainApplicationFile,
      arguments: props.arguments,
      sparkVersion: props.sparkVersion,
      restartPolicy: {
        type: if props.retries > 0 then 'OnFailure' else 'Never',
      } + (if props.retries > 0 then {
        onFailureRetries: props.retries,
        onFailureRetryInterval: 60,
        onSubmissionFailureRetries: 3,
        onSubmissionFailureRetryInterval: 30,
      } else {}),
      batchScheduler: 'volcano',
      batchSchedulerOptions: { queue: ctx.tenantQueue }
                             + (if std.objectHas(props, 'priorityClass') then { priorityClassName: props.priorityClass } else {}),
      sparkConf: {
        'spark.ui.prometheus.enabled': 'true',
        'spark.metrics.conf.*.sink.prometheusServlet.class': 'org.apache.spark.metrics.sink.PrometheusServlet',
        'spark.metrics.conf.*.sink.prometheusServlet.path': '/metrics/driver/prometheus/',
        'spark.metrics.conf.master.sink.prometheusServlet.path': '/metrics/master/prometheus/',
        'spark.metrics.conf.applications.sink.prometheusServlet.path': '/metrics/applications/prometheus/',
        'spark.decommission.enabled': 'true',
      } + props.sparkConf,
      driver: security {
        cores: props.driver.cores,
        coreLimit: std.toString(props.driver.cores),
        memory: props.driver.memory,
        serviceAccount: sa,
      },
      executor: security {
        instances: props.executor.instances,
        cores: props.executor.cores,
        // a CPU limit of their own, so a tenant LimitRange default below the cores cannot reject them
        coreLimit: std.toString(props.executor.cores),
        memory: props.executor.memory,
      },
    } + (if std.objectHas(props, 'mainClass') then { mainClass: props.mainClass } else {})
      + (if std.objectHas(props, 'maxExecutors') then {
        dynamicAllocation: {
          enabled: true,
          initialExecutors: props.executor.instances,
          minExecutors: 1,
          maxExecutors: props.maxExecutors,
          shuffleTrackingEnabled: true,  // no external shuffle service on Kubernetes
        },
      } else {})
      + (if std.length(creds.volumes) > 0 then { volumes: creds.volumes } else {});
    local app =
      if std.objectHas(props, 'schedule') then {
        apiVersion: 'sparkoperator.k8s.io/v1beta2',
        kind: 'ScheduledSparkApplication',
        metadata: plinth.meta(ctx),
        spec: {
          schedule: props.schedule,
          timeZone: props.timeZone,
          concurrencyPolicy: props.concurrencyPolicy,
          successfulRunHistoryLimit: 3,
          failedRunHistoryLimit: 5,
          template: spec,
        },
      } else {
        apiVersion: 'sparkoperator.k8s.io/v1beta2',
        kind: 'SparkApplication',
        metadata: plinth.meta(ctx),
        spec: spec,
      };
    local driverPods = { matchLabels: ctx.selector { 'spark-role': 'driver' } };
    [
      app,
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: plinth.meta(ctx, sa), automountServiceAccountToken: true },
      {
        // what a driver needs to run its executors (the operator chart's spark Role)
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'Role',
        metadata: plinth.meta(ctx, sa),
        rules: [{
          apiGroups: [''],
          resources: ['pods', 'configmaps', 'persistentvolumeclaims', 'services'],
          verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection'],
        }],
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
        // driver and executors talk to each other; Prometheus scrapes the driver's UI port
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: plinth.meta(ctx, ctx.name + '-spark'),
        spec: {
          podSelector: { matchLabels: ctx.selector },
          policyTypes: ['Ingress', 'Egress'],
          ingress: [
            { from: [{ podSelector: { matchLabels: ctx.selector } }] },
            { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': ctx.platform.monitoring.namespace } } }], ports: [{ protocol: 'TCP', port: 4040 }] },
          ],
          egress: [{ to: [{ podSelector: { matchLabels: ctx.selector } }] }],
        },
      },
    ]) + plinth.apiServerEgress(ctx, ctx.name + '-spark-apiserver', driverPods),
}
