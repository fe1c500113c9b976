// Tries to read a file outside the library roots.
local s = importstr '../../secret.txt';
{
  parameters: {},
  render(ctx, props):: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: ctx.name }, data: { s: s } }],
}
