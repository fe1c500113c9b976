// HTTP(S) routing to the component's Service.
local plinth = import '../lib/plinth.libsonnet';

{
  description: 'An Ingress (networking.k8s.io/v1) to the component\'s Service port "http", with TLS by default.',
  example: |||
    traits:
      - type: ingress
        properties: {host: clicks.example.com, className: nginx}
  |||,
  appliesTo: ['Service'],
  parameters: {
    host: { type: 'string', required: true, pattern: '[a-z0-9]([-a-z0-9.]*[a-z0-9])?' },
    path: { type: 'string', default: '/' },
    pathType: { type: 'string', enum: ['Prefix', 'Exact', 'ImplementationSpecific'], default: 'Prefix' },
    tls: { type: 'boolean', default: true },
    tlsSecret: { type: 'string', description: 'TLS Secret name (default: <component>-tls).' },
    className: { type: 'string', description: 'IngressClass (default: the cluster default).' },
    annotations: { type: 'map', values: { type: 'string' }, default: {} },
  },

  objects(props, ctx)::
    local svc = plinth.first(ctx.component.objects, ['Service']);
    [{
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: plinth.meta(ctx, annotations=props.annotations),
      spec: {
        rules: [{
          host: props.host,
          http: { paths: [{
            path: props.path,
            pathType: props.pathType,
            backend: { service: { name: svc.metadata.name, port: { name: 'http' } } },
          }] },
        }],
      } + (if props.tls then { tls: [{ hosts: [props.host], secretName: if std.objectHas(props, 'tlsSecret') then props.tlsSecret else ctx.name + '-tls' }] } else {})
        + (if std.objectHas(props, 'className') then { ingressClassName: props.className } else {}),
    }],
}
