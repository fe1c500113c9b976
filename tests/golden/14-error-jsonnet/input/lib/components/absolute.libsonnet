local p = importstr '/etc/passwd';
{
  parameters: {},
  render(ctx, props):: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: ctx.name }, data: { p: p } }],
}
