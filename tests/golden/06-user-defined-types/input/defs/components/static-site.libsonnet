// A user-defined component type: an nginx serving a site from a ConfigMap.
local plinth = import 'lib/plinth.libsonnet';  // the built-in helpers, found through the library roots

{
  description: 'A static web site served by nginx from a ConfigMap.',
  parameters: {
    pages: { type: 'map', values: { type: 'string' }, required: true, description: 'File name -> HTML.' },
    replicas: { type: 'integer', default: 1, minimum: 1 },
    image: { type: 'string', default: 'nginxinc/nginx-unprivileged:1.27.3' },
    cache: { type: 'string', enum: ['off', 'short', 'long'], default: 'short' },
  },
  render(ctx, props)::
    local base = { image: props.image, env: { CACHE: props.cache }, resources: { requests: { cpu: '50m', memory: '32Mi' }, limits: { memory: '32Mi' } } };
    [
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: plinth.meta(ctx),
        spec: {
          replicas: props.replicas,
          selector: { matchLabels: ctx.selector },
          template: {
            metadata: { labels: ctx.labels },
            spec: plinth.podSpec(
              [plinth.container(ctx, base, ports=[{ name: 'http', containerPort: 8080 }],
                                extra={ volumeMounts+: [{ name: 'pages', mountPath: '/usr/share/nginx/html' }] })],
              volumes=[{ name: 'pages', configMap: { name: ctx.name + '-pages' } }]),
          },
        },
      },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: plinth.meta(ctx, ctx.name + '-pages'), data: props.pages },
      {
        apiVersion: 'v1', kind: 'Service', metadata: plinth.meta(ctx),
        spec: { selector: ctx.selector, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
      },
    ],
}
