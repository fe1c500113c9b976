// Alert rules: a PrometheusRule with one group for the component.
local plinth = import '../lib/plinth.libsonnet';

{
  description: 'Prometheus alert rules for the component (PrometheusRule). Critical rules must name a runbook.',
  example: |||
    traits:
      - type: alerts
        properties:
          rules:
            - name: ApiHighErrorRate
              expr: 'sum(rate(http_requests_total{namespace="analytics", code=~"5.."}[5m])) > 1'
              for: 10m
              severity: critical
              summary: The API returns many 5xx responses.
              runbook: https://runbooks.example.com/api
  |||,
  parameters: {
    rules: {
      type: 'array',
      default: [],
      items: {
        type: 'object',
        properties: {
          name: { type: 'string', required: true, pattern: '[A-Z][A-Za-z0-9]*', description: 'CamelCase alert name.' },
          expr: { type: 'string', required: true, description: 'PromQL; scope it by namespace.' },
          'for': { type: 'string', default: '10m', pattern: '[0-9]+(s|m|h)' },
          keepFiringFor: { type: 'string', pattern: '[0-9]+(s|m|h)' },
          severity: { type: 'string', enum: ['critical', 'warning', 'info'], default: 'warning' },
          summary: { type: 'string', required: true },
          description: { type: 'string' },
          runbook: { type: 'string', description: 'Runbook URL (required for critical).' },
          labels: { type: 'map', values: { type: 'string' }, default: {} },
        },
      },
    },
    preset: { type: 'string', description: 'A built-in rule set for the component type (see docs/library.md).' },
  },

  presets:: {},

  objects(props, ctx)::
    local presetRules =
      if !std.objectHas(props, 'preset') then []
      else if std.objectHas($.presets, props.preset) then $.presets[props.preset](ctx)
      else error 'alerts: unknown preset "' + props.preset + '" (known: ' + std.join(', ', std.objectFields($.presets)) + ')';
    local rules = presetRules + props.rules;
    assert std.length(rules) > 0 : 'alerts: give `rules` or a `preset`';
    local rule(r) =
      assert r.severity != 'critical' || std.objectHas(r, 'runbook') : 'alerts: critical rule ' + r.name + ' needs a runbook';
      {
        alert: r.name,
        expr: r.expr,
        'for': r['for'],
        labels: r.labels { severity: r.severity, tenant: ctx.tenant, app: ctx.app, component: ctx.name },
        annotations: { summary: r.summary }
                     + (if std.objectHas(r, 'description') then { description: r.description } else {})
                     + (if std.objectHas(r, 'runbook') then { runbook_url: r.runbook } else {}),
      } + (if std.objectHas(r, 'keepFiringFor') then { keep_firing_for: r.keepFiringFor } else {});
    [{
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PrometheusRule',
      metadata: plinth.meta(ctx, labels=ctx.platform.monitoring.selectorLabels),
      spec: { groups: [{ name: ctx.app + '.' + ctx.name, rules: [rule(r) for r in rules] }] },
    }],
}
