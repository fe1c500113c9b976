// A stateful service: StatefulSet with one volume per pod, behind a headless Service.
local plinth = import '../lib/plinth.libsonnet';

{
  description: 'A stateful service: StatefulSet with a persistent volume per pod and a headless Service for stable pod DNS names.',
  example: |||
    components:
      - name: cache
        type: statefulservice
        properties:
          image: registry.example.com/ops/valkey:8.0.2
          replicas: 3
          port: 6379
          storage: {size: 20Gi, class: ssd}
  |||,
  // the ports a declared use reaches when it names none
  listens:: [{ port: 'http' }],
  parameters: {
    image: plinth.params.image,
    replicas: { type: 'integer', default: 1, minimum: 0 },
    port: { type: 'integer', default: 8080, minimum: 1, maximum: 65535, description: 'Container port, named "http" on the Service.' },
    storage: {
      type: 'object',
      properties: {
        size: { type: 'quantity', default: '10Gi', description: 'Volume size per pod.' },
        class: { type: 'string', description: 'StorageClass (default: the cluster default).' },
        mountPath: { type: 'string', default: '/data' },
      },
    },
    resources: plinth.params.resources,
    env: plinth.params.env,
    envFrom: plinth.params.envFrom,
    volumes: plinth.params.volumes,
    command: plinth.params.command,
    args: plinth.params.args,
    fsGroup: { type: 'integer', default: 1000, description: 'Group that owns the volume, so a non-root process can write it.' },
  },

  render(ctx, props)::
    local creds = plinth.credentialVolumes(props, { names: ['data'], paths: [props.storage.mountPath] });
    [
      {
        apiVersion: 'apps/v1',
        kind: 'StatefulSet',
        metadata: plinth.meta(ctx),
        spec: {
          replicas: props.replicas,
          serviceName: ctx.name,
          podManagementPolicy: 'OrderedReady',
          revisionHistoryLimit: 5,
          selector: { matchLabels: ctx.selector },
          updateStrategy: { type: 'RollingUpdate' },
          persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
          template: {
            metadata: { labels: ctx.labels },
            spec: plinth.podSpec([
              plinth.container(ctx, props,
                ports=[{ name: 'http', containerPort: props.port, protocol: 'TCP' }],
                extra={
                  volumeMounts+: [{ name: 'data', mountPath: props.storage.mountPath }],
                  readinessProbe: { tcpSocket: { port: 'http' }, periodSeconds: 10, timeoutSeconds: 2 },
                  livenessProbe: { tcpSocket: { port: 'http' }, initialDelaySeconds: 30, periodSeconds: 20, timeoutSeconds: 2 },
                }),
            ], volumes=creds.volumes, fsGroup=props.fsGroup),
          },
          volumeClaimTemplates: [{
            metadata: { name: 'data', labels: ctx.labels },
            spec: {
              accessModes: ['ReadWriteOnce'],
              resources: { requests: { storage: props.storage.size } },
            } + (if std.objectHas(props.storage, 'class') then { storageClassName: props.storage.class } else {}),
          }],
        },
      },
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: plinth.meta(ctx),
        spec: {
          clusterIP: 'None',
          publishNotReadyAddresses: true,
          selector: ctx.selector,
          ports: [{ name: 'http', port: props.port, targetPort: 'http', protocol: 'TCP' }],
        },
      },
    ],
}
