// A background worker with no inbound traffic: a Deployment.
local plinth = import '../lib/plinth.libsonnet';

{
  description: 'A background process without inbound traffic: a Deployment with a restricted security context.',
  example: |||
    components:
      - name: enricher
        type: worker
        properties:
          image: registry.example.com/clickstream/enricher:2.0.1
          replicas: 2
          args: ["--input=clicks.v1"]
          resources: {requests: {cpu: 500m, memory: 1Gi}, limits: {memory: 1Gi}}
  |||,
  parameters: {
    image: plinth.params.image,
    replicas: { type: 'integer', default: 1, minimum: 0, description: 'Pod count (removed when the autoscale trait is attached).' },
    resources: plinth.params.resources,
    env: plinth.params.env,
    envFrom: plinth.params.envFrom,
    volumes: plinth.params.volumes,
    command: plinth.params.command,
    args: plinth.params.args,
    config: plinth.params.config,
    configMountPath: plinth.params.configMountPath,
  },

  render(ctx, props)::
    local config = plinth.configParts(ctx, props);
    local creds = plinth.credentialVolumes(props, { names: ['config'], paths: [m.mountPath for m in config.mounts] });
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
            spec: plinth.podSpec([plinth.container(ctx, props, extra={ volumeMounts+: config.mounts })],
                                 volumes=config.volumes + creds.volumes),
          },
        },
      },
    ] + config.objects,
}
