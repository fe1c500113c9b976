// A Grafana dashboard: a ConfigMap for the Grafana sidecar, or a GrafanaDashboard for
// grafana-operator (platform.yaml spec.monitoring.dashboards). The JSON is passed through as
// text, never re-serialised.
local plinth = import '../lib/plinth.libsonnet';

{
  description: 'A Grafana dashboard from a JSON file beside the spec: a sidecar ConfigMap or a GrafanaDashboard, per the platform setting.',
  example: |||
    traits:
      - type: dashboard
        properties: {file: dashboards/api.json, folder: analytics}
  |||,
  parameters: {
    file: { type: 'file', description: 'Dashboard JSON, relative to the spec file.' },
    preset: { type: 'string', description: 'A built-in dashboard for the component type.' },
    folder: { type: 'string', description: 'Grafana folder (default: the tenant).' },
  },

  presets:: {},

  objects(props, ctx)::
    local json =
      if std.objectHas(props, 'file') then props.file
      else if std.objectHas(props, 'preset') then
        if std.objectHas($.presets, props.preset) then $.presets[props.preset](ctx)
        else error 'dashboard: unknown preset "' + props.preset + '" (known: ' + std.join(', ', std.objectFields($.presets)) + ')'
      else error 'dashboard: give `file` or `preset`';
    local folder = if std.objectHas(props, 'folder') then props.folder else ctx.tenant;
    local key = ctx.app + '-' + ctx.name + '.json';
    if ctx.platform.monitoring.dashboards == 'grafana-operator' then [{
      apiVersion: 'grafana.integreatly.org/v1beta1',
      kind: 'GrafanaDashboard',
      metadata: plinth.meta(ctx),
      spec: {
        instanceSelector: { matchLabels: ctx.platform.monitoring.grafanaInstanceSelector },
        allowCrossNamespaceImport: true,
        folder: folder,
        resyncPeriod: '10m',
        json: json,
      },
    }] else [{
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: plinth.meta(ctx, ctx.name + '-dashboard', labels={ grafana_dashboard: '1' },
                            annotations={ grafana_folder: folder }),
      data: { [key]: json },
    }],
}
