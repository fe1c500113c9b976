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
    preset: { type: 'string', enum: ['kafka', 'flink', 'spark', 'hdfs', 'hive-metastore'], description: 'A built-in dashboard for a component of that type (kafka: kafka-cluster, flink: flink-application, spark: spark-application, hdfs, hive-metastore; another type is an error), scoped to this component.' },
    folder: { type: 'string', description: 'Grafana folder (default: the tenant).' },
  },

  // Dashboards the project ships (library/dashboards/), specialised by text substitution: the
  // JSON is never parsed and re-serialised here.
  presets:: {
    kafka: importstr '../dashboards/kafka-cluster.json',
    flink: importstr '../dashboards/flink-application.json',
    spark: importstr '../dashboards/spark-application.json',
    hdfs: importstr '../dashboards/hdfs.json',
    'hive-metastore': importstr '../dashboards/hive-metastore.json',
  },
  local specialise(text, ctx) =
    std.strReplace(std.strReplace(std.strReplace(std.strReplace(text,
      '${NAMESPACE}', ctx.namespace), '${NAME}', ctx.name),
      '${TITLE}', ctx.tenant + ' / ' + ctx.app + ' / ' + ctx.name),
      '${UID}', std.substr(std.md5(ctx.namespace + '/' + ctx.app + '/' + ctx.name), 0, 12)),

  objects(props, ctx)::
    // asserted here, in the trait's file, so that the error is placed at the preset's line
    local mismatch = if std.objectHas(props, 'preset') then plinth.presetMismatch(ctx, props.preset) else null;
    assert mismatch == null : mismatch;
    local json =
      if std.objectHas(props, 'file') then props.file
      else if std.objectHas(props, 'preset') then specialise($.presets[props.preset], ctx)
      else error 'properties: the dashboard trait needs `file` or `preset`';
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
