// Prometheus scraping: a ServiceMonitor when the component has a Service, otherwise a PodMonitor.
// When the metrics port is not the component's own "http" port, the trait adds a "metrics"
// port to the container (and to the Service) so the monitor can name it.
local plinth = import '../lib/plinth.libsonnet';

{
  description: 'Prometheus scraping: ServiceMonitor (component with a Service) or PodMonitor, labelled with the platform monitoring selector labels.',
  example: |||
    traits:
      - type: metrics
        properties: {port: 9090, path: /metrics, interval: 30s}
  |||,
  appliesTo: ['Deployment', 'StatefulSet', 'DaemonSet'],
  parameters: {
    port: { type: 'integer', minimum: 1, maximum: 65535, description: 'Metrics port (default: the component\'s "http" port).' },
    path: { type: 'string', default: '/metrics' },
    interval: { type: 'string', default: '30s', pattern: '[0-9]+(ms|s|m|h)' },
    scrapeTimeout: { type: 'string', default: '10s', pattern: '[0-9]+(ms|s|m|h)' },
  },

  local httpPort(o) =
    local t = plinth.podTemplate(o);
    local ports = std.flattenArrays([if std.objectHas(c, 'ports') then c.ports else [] for c in t.spec.containers]);
    local http = [p.containerPort for p in ports if p.name == 'http'];
    if std.length(http) > 0 then http[0] else null,

  local portName(props, objects) =
    local w = plinth.first(objects, plinth.podKinds);
    if !std.objectHas(props, 'port') || (w != null && httpPort(w) == props.port) then 'http' else 'metrics',

  patch(obj, props, ctx)::
    if portName(props, ctx.component.objects) == 'http' then obj
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
    local objects = ctx.component.objects;
    local port = portName(props, objects);
    assert std.objectHas(props, 'port') || port == 'http' : 'metrics: set `port`, the component has no "http" port';
    local svc = plinth.first(objects, ['Service']);
    local endpoint = { port: port, path: props.path, interval: props.interval, scrapeTimeout: props.scrapeTimeout };
    local meta = plinth.meta(ctx, labels=ctx.platform.monitoring.selectorLabels);
    [
      if svc != null then {
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'ServiceMonitor',
        metadata: meta,
        spec: {
          selector: { matchLabels: ctx.selector },
          namespaceSelector: { matchNames: [ctx.namespace] },
          endpoints: [endpoint],
        },
      } else {
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'PodMonitor',
        metadata: meta,
        spec: {
          selector: { matchLabels: ctx.selector },
          namespaceSelector: { matchNames: [ctx.namespace] },
          podMetricsEndpoints: [endpoint],
        },
      },
    ],
}
