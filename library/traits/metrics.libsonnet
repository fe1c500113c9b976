// Prometheus scraping: a ServiceMonitor when the component has a Service, otherwise a PodMonitor.
// When the metrics port is not the component's own "http" port, the trait adds a "metrics"
// port to the container (and to the Service) so the monitor can name it. The big-data types
// have presets that know where their operator's pods serve metrics.
local plinth = import '../lib/plinth.libsonnet';

{
  description: 'Prometheus scraping: ServiceMonitor (component with a Service) or PodMonitor, labelled with the platform monitoring selector labels, and a NetworkPolicy that lets Prometheus in where the tenant denies by default; presets for kafka-cluster, flink-application, spark-application, hive-metastore and hdfs.',
  example: |||
    traits:
      - type: metrics
        properties: {port: 9090, path: /metrics, interval: 30s}
  |||,
  appliesTo: ['Deployment', 'StatefulSet', 'DaemonSet', 'kafka-cluster', 'flink-application', 'spark-application'],
  parameters: {
    port: { type: 'integer', minimum: 1, maximum: 65535, description: 'Metrics port (default: the component\'s "http" port; the presets know theirs).' },
    path: { type: 'string', default: '/metrics' },
    interval: { type: 'string', default: '30s', pattern: '[0-9]+(ms|s|m|h)' },
    scrapeTimeout: { type: 'string', default: '10s', pattern: '[0-9]+(ms|s|m|h)' },
  },

  local podMonitor(ctx, props, name, selector, endpoints, podsOf) = {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PodMonitor',
    // plinth.dev/pods-of: the pods come from this object's operator, not from a rendered workload
    metadata: plinth.meta(ctx, name, labels=ctx.platform.monitoring.selectorLabels,
                          annotations=if podsOf == null then {} else { 'plinth.dev/pods-of': podsOf }),
    spec: {
      selector: selector,
      namespaceSelector: { matchNames: [ctx.namespace] },
      podMetricsEndpoints: [e { interval: props.interval, scrapeTimeout: props.scrapeTimeout } for e in endpoints],
    },
  },

  // where each operator-managed or preset type serves its metrics
  presets:: {
    'kafka-cluster'(ctx, props): [podMonitor(ctx, props, ctx.name + '-kafka', {
      matchLabels: { 'strimzi.io/cluster': ctx.name },
      matchExpressions: [{ key: 'strimzi.io/kind', operator: 'In', values: ['Kafka'] }],
    }, [{
      port: 'tcp-prometheus',
      path: '/metrics',
      relabelings: [{ action: 'labelmap', regex: '__meta_kubernetes_pod_label_(strimzi_io_.+)' }],
    }], 'Kafka/' + ctx.name)],
    'flink-application'(ctx, props): [podMonitor(ctx, props, ctx.name, {
      matchLabels: { app: ctx.name, type: 'flink-native-kubernetes' },
    }, [{ port: 'metrics', path: '/' }], 'FlinkDeployment/' + ctx.name)],
    'spark-application'(ctx, props):
      local app = plinth.first(ctx.component.objects, ['SparkApplication', 'ScheduledSparkApplication']);
      [podMonitor(ctx, props, ctx.name, { matchLabels: ctx.selector { 'spark-role': 'driver' } }, [
        { portNumber: 4040, path: '/metrics/driver/prometheus/' },
        { portNumber: 4040, path: '/metrics/executors/prometheus/' },
      ], app.kind + '/' + ctx.name)],
    hdfs(ctx, props): [podMonitor(ctx, props, ctx.name, { matchLabels: ctx.selector }, [{ port: 'http', path: '/prom' }], null)]
                      + admitPrometheus(ctx, { matchLabels: ctx.selector }, ['http']),
  },

  // Where the tenant denies by default, Prometheus must be let in to the scraped port: from the
  // monitoring namespace (and its pods, when monitoring.podSelector names them). The kafka,
  // flink and spark types admit it in their own NetworkPolicies.
  local admitPrometheus(ctx, selector, ports) =
    local monitoring = ctx.platform.monitoring;
    if !ctx.isolated then [] else [{
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: plinth.meta(ctx, ctx.name + '-metrics'),
      spec: {
        podSelector: selector,
        policyTypes: ['Ingress'],
        ingress: [{
          from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': monitoring.namespace } } }
                 + (if std.objectHas(monitoring, 'podSelector') && std.length(monitoring.podSelector) > 0
                    then { podSelector: { matchLabels: monitoring.podSelector } } else {})],
          ports: [{ protocol: 'TCP', port: p } for p in ports],
        }],
      },
    }],

  local httpPort(o) =
    local t = plinth.podTemplate(o);
    local ports = std.flattenArrays([if std.objectHas(c, 'ports') then c.ports else [] for c in t.spec.containers]);
    local http = [p.containerPort for p in ports if p.name == 'http'];
    if std.length(http) > 0 then http[0] else null,

  local hasPort(objects, name) =
    local svc = plinth.first(objects, ['Service']);
    svc != null && std.length([p for p in svc.spec.ports if p.name == name]) > 0,

  local portName(props, objects) =
    local w = plinth.first(objects, plinth.podKinds);
    if hasPort(objects, 'metrics') && !std.objectHas(props, 'port') then 'metrics'
    else if !std.objectHas(props, 'port') || (w != null && httpPort(w) == props.port) then 'http' else 'metrics',

  patch(obj, props, ctx)::
    if std.objectHas($.presets, ctx.component.type) || portName(props, ctx.component.objects) == 'http'
       || hasPort(ctx.component.objects, 'metrics') then obj
    else if obj.kind == 'Service' then
      obj { spec+: { ports+: [{ name: 'metrics', port: props.port, targetPort: 'metrics', protocol: 'TCP' }] } }
    else plinth.patchPod(obj, function(t) {
      spec+: {
        containers: [
          if i == 0 then t.spec.containers[i] {
            ports+: [{ name: 'metrics', containerPort: props.port, protocol: 'TCP' }],
          } else t.spec.containers[i]
          for i in std.range(0, std.length(t.spec.containers) - 1)
        ],
      },
    }),

  objects(props, ctx)::
    if std.objectHas($.presets, ctx.component.type) then $.presets[ctx.component.type](ctx, props)
    else
      local objects = ctx.component.objects;
      local port = portName(props, objects);
      assert std.objectHas(props, 'port') || port != 'http' || plinth.first(objects, plinth.podKinds) == null
             || httpPort(plinth.first(objects, plinth.podKinds)) != null :
        'properties.port: the component has no "http" port; give the metrics port';
      local svc = plinth.first(objects, ['Service']);
      local endpoint = { port: port, path: props.path, interval: props.interval, scrapeTimeout: props.scrapeTimeout };
      local meta = plinth.meta(ctx, labels=ctx.platform.monitoring.selectorLabels);
      [
        if svc != null then {
          apiVersion: 'monitoring.coreos.com/v1',
          kind: 'ServiceMonitor',
          metadata: meta,
          spec: {
            selector: { matchLabels: plinth.podSelector(ctx) },
            namespaceSelector: { matchNames: [ctx.namespace] },
            endpoints: [endpoint],
          },
        } else {
          apiVersion: 'monitoring.coreos.com/v1',
          kind: 'PodMonitor',
          metadata: meta,
          spec: {
            selector: { matchLabels: plinth.podSelector(ctx) },
            namespaceSelector: { matchNames: [ctx.namespace] },
            podMetricsEndpoints: [endpoint],
          },
        },
      ] + admitPrometheus(ctx, { matchLabels: plinth.podSelector(ctx) }, [port]),
}
