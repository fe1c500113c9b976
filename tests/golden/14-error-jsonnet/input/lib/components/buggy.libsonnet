// A definition with a runtime error on line 8.
{
  parameters: { size: { type: 'integer', default: 3 } },
  render(ctx, props):: [{
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: ctx.name },
    data: { size: props.size + ctx.noSuchField },
  }],
}
