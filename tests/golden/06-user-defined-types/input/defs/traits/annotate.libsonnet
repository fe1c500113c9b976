// A user-defined trait: stamps annotations on every object and adds a NetworkPolicy.
{
  description: 'Adds annotations to every object of the component and opens its pods to one namespace.',
  appliesTo: ['*'],
  conflictsWith: [],
  parameters: {
    annotations: { type: 'map', values: { type: 'string' }, default: {} },
    allowNamespace: { type: 'string' },
  },
  patch(obj, props, ctx)::
    obj { metadata+: { annotations+: props.annotations } },
  objects(props, ctx)::
    if !std.objectHas(props, 'allowNamespace') then [] else [{
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: ctx.name + '-from-' + props.allowNamespace },
      spec: {
        podSelector: { matchLabels: ctx.selector },
        policyTypes: ['Ingress'],
        ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': props.allowNamespace } } }] }],
      },
    }],
}
