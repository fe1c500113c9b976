// A long-running HTTP service: Deployment + Service (+ ConfigMap for `config`).
local plinth = import '../lib/plinth.libsonnet';

{
  description: 'A long-running HTTP service: Deployment and ClusterIP Service, with probes, a restricted security context and optional config files.',
  example: |||
    components:
      - name: api
        type: webservice
        properties:
          image: registry.example.com/clickstream/api:1.4.2
          port: 8080
          replicas: 2
          resources: {requests: {cpu: 250m, memory: 512Mi}, limits: {memory: 512Mi}}
          env: {LOG_FORMAT: json}
          config:
            application.yaml: |
              server.port: 8080
  |||,
  // the ports a declared use reaches when it names none
  listens:: [{ port: 'http' }],
  parameters: {
    image: plinth.params.image,
    port: { type: 'integer', default: 8080, minimum: 1, maximum: 65535, description: 'Container port, exposed by the Service as port "http".' },
    replicas: { type: 'integer', default: 2, minimum: 0, description: 'Pod count (removed when the autoscale trait is attached).' },
    resources: plinth.params.resources,
    env: plinth.params.env,
    envFrom: plinth.params.envFrom,
    volumes: plinth.params.volumes,
    command: plinth.params.command,
    args: plinth.params.args,
    config: plinth.params.config,
    configMountPath: plinth.params.configMountPath,
    probes: {
      type: 'object',
      description: 'HTTP probes on the service port.',
      properties: {
        liveness: { type: 'string', default: '/healthz', description: 'Liveness path.' },
        readiness: { type: 'string', default: '/ready', description: 'Readiness path.' },
        initialDelaySeconds: { type: 'integer', default: 5, minimum: 0 },
        periodSeconds: { type: 'integer', default: 10, minimum: 1 },
      },
    },
  },

  render(ctx, props)::
    local config = plinth.configParts(ctx, props);
    local creds = plinth.credentialVolumes(props, { names: ['config'], paths: [m.mountPath for m in config.mounts] });
    local probe(path) = {
      httpGet: { path: path, port: 'http' },
      initialDelaySeconds: props.probes.initialDelaySeconds,
      periodSeconds: props.probes.periodSeconds,
      timeoutSeconds: 2,
      failureThreshold: 3,
    };
    local container = plinth.container(ctx, props,
      ports=[{ name: 'http', containerPort: props.port, protocol: 'TCP' }],
      extra={
        livenessProbe: probe(props.probes.liveness),
        readinessProbe: probe(props.probes.readiness),
        volumeMounts+: config.mounts,
      });
    [
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: plinth.meta(ctx),
        spec: {
          replicas: props.replicas,
          revisionHistoryLimit: 5,
          selector: { matchLabels: ctx.selector },
          strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } },
          template: {
            metadata: { labels: ctx.labels }
                      + (if std.length(config.annotations) > 0 then { annotations: config.annotations } else {}),
            spec: plinth.podSpec([container], volumes=config.volumes + creds.volumes),
          },
        },
      },
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: plinth.meta(ctx),
        spec: {
          type: 'ClusterIP',
          selector: ctx.selector,
          ports: [{ name: 'http', port: props.port, targetPort: 'http', protocol: 'TCP' }],
        },
      },
    ] + config.objects,
}
