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
    preset: { type: 'string', enum: ['kafka', 'flink', 'spark', 'hdfs', 'hive-metastore'], description: 'A built-in rule set for a component of that type (kafka: kafka-cluster, flink: flink-application, spark: spark-application, hdfs, hive-metastore; another type is an error), scoped to this component (see docs/runbooks.md).' },
  },

  // Rule sets per component type. Expressions are scoped to the component's namespace and pods,
  // so a tenant's rules never aggregate another tenant's series. Every rule links a runbook under
  // the platform's monitoring.runbookBaseURL (docs/runbooks.md has the text to publish there).
  presets:: {
    local runbook(ctx, name) = ctx.platform.monitoring.runbookBaseURL + '/' + std.asciiLower(name),
    local rule(ctx, name, expr, forTime, severity, summary, description) = {
      name: name, expr: expr, 'for': forTime, severity: severity, summary: summary,
      description: description, runbook: runbook(ctx, name), labels: {},
    },
    local sel(ctx, extra) = '{namespace="' + ctx.namespace + '", ' + extra + '}',
    kafka(ctx):
      local s = sel(ctx, 'strimzi_io_cluster="' + ctx.name + '"');
      [
        rule(ctx, 'KafkaUnderReplicatedPartitions', 'sum(kafka_server_replicamanager_underreplicatedpartitions' + s + ') > 0', '10m', 'warning',
             'Kafka has under-replicated partitions.',
             'Kafka cluster ' + ctx.name + ' in ' + ctx.namespace + ' has {{ $value }} under-replicated partitions.'),
        rule(ctx, 'KafkaOfflinePartitions', 'sum(kafka_controller_kafkacontroller_offlinepartitionscount' + s + ') > 0', '5m', 'critical',
             'Kafka has offline partitions.',
             'Kafka cluster ' + ctx.name + ' in ' + ctx.namespace + ' has {{ $value }} partitions without a leader; producers and consumers of them are stuck.'),
        rule(ctx, 'KafkaNoActiveController', 'sum(kafka_controller_kafkacontroller_activecontrollercount' + s + ') != 1', '5m', 'critical',
             'Kafka has no single active controller.',
             'Kafka cluster ' + ctx.name + ' in ' + ctx.namespace + ' reports {{ $value }} active controllers instead of one.'),
        // silence is not health: the rules above return nothing when no broker reports
        rule(ctx, 'KafkaBrokersDown', 'absent(kafka_server_replicamanager_leadercount' + s + ')', '5m', 'critical',
             'No Kafka broker reports metrics.',
             'Kafka cluster ' + ctx.name + ' in ' + ctx.namespace + ' has no broker exporting metrics: it is down or cannot be scraped.'),
        rule(ctx, 'KafkaConsumerLagHigh', 'max by (consumergroup, topic) (kafka_consumergroup_lag' + s + ') > 10000', '15m', 'warning',
             'A Kafka consumer group lags behind.',
             'Consumer group {{ $labels.consumergroup }} is {{ $value }} messages behind on topic {{ $labels.topic }} of ' + ctx.name + '.'),
      ],
    flink(ctx):
      local s = sel(ctx, 'pod=~"' + ctx.name + '-.*"');
      [
        rule(ctx, 'FlinkJobRestarting', 'increase(flink_jobmanager_job_numRestarts' + s + '[15m]) > 3', '5m', 'warning',
             'A Flink job keeps restarting.',
             'Flink job ' + ctx.name + ' in ' + ctx.namespace + ' restarted {{ $value }} times in 15 minutes.'),
        rule(ctx, 'FlinkCheckpointsFailing', 'increase(flink_jobmanager_job_numberOfFailedCheckpoints' + s + '[15m]) > 0', '15m', 'warning',
             'Flink checkpoints fail.',
             'Flink job ' + ctx.name + ' in ' + ctx.namespace + ' failed {{ $value }} checkpoints in 15 minutes; a restart would lose progress.'),
        rule(ctx, 'FlinkJobNotRunning', 'sum(flink_jobmanager_numRunningJobs' + s + ') < 1 or absent(flink_jobmanager_numRunningJobs' + s + ')', '10m', 'critical',
             'A Flink job is not running.',
             'Flink application ' + ctx.name + ' in ' + ctx.namespace + ' has no running job, or its JobManager reports no metrics.'),
      ],
    spark(ctx):
      local s = sel(ctx, 'pod=~"' + ctx.name + '-.*driver"');
      [
        // only drivers that failed in the last hour: failed drivers are kept for history and would fire forever
        rule(ctx, 'SparkApplicationFailed', 'max(kube_pod_status_phase' + sel(ctx, 'pod=~"' + ctx.name + '-.*driver", phase="Failed"')
             + ' == 1 and on(namespace, pod) (time() - kube_pod_created' + sel(ctx, 'pod=~"' + ctx.name + '-.*driver"') + ' < 3600)) > 0', '5m', 'warning',
             'A Spark application failed.',
             'A driver of Spark application ' + ctx.name + ' in ' + ctx.namespace + ' ended in phase Failed.'),
        rule(ctx, 'SparkDriverPending', 'max(kube_pod_status_phase' + sel(ctx, 'pod=~"' + ctx.name + '-.*driver", phase="Pending"') + ') > 0', '30m', 'warning',
             'A Spark driver waits to be scheduled.',
             'A driver of ' + ctx.name + ' in ' + ctx.namespace + ' has been pending for 30 minutes; the tenant queue or quota may be exhausted.'),
      ],
    hdfs(ctx):
      local s = sel(ctx, 'pod=~"' + ctx.name + '-namenode-.*"');
      [
        rule(ctx, 'HdfsMissingBlocks', 'max(fs_namesystem_missing_blocks' + s + ') > 0', '5m', 'critical',
             'HDFS has missing blocks.',
             'HDFS ' + ctx.name + ' in ' + ctx.namespace + ' reports {{ $value }} blocks without any replica; files are unreadable.'),
        rule(ctx, 'HdfsCapacityHigh', 'max(fs_namesystem_capacity_used' + s + ' / fs_namesystem_capacity_total' + s + ') > 0.85', '30m', 'warning',
             'HDFS is almost full.',
             'HDFS ' + ctx.name + ' in ' + ctx.namespace + ' uses {{ $value | humanizePercentage }} of its capacity.'),
        rule(ctx, 'HdfsNameNodeDown', 'absent(fs_namesystem_capacity_total' + s + ')', '5m', 'critical',
             'The HDFS NameNode reports no metrics.',
             'HDFS ' + ctx.name + ' in ' + ctx.namespace + ' has no NameNode exporting metrics: HDFS is down or cannot be scraped.'),
        rule(ctx, 'HdfsDeadDataNodes', 'max(fs_namesystem_num_dead_data_nodes' + s + ') > 0', '10m', 'warning',
             'HDFS has dead DataNodes.',
             'HDFS ' + ctx.name + ' in ' + ctx.namespace + ' counts {{ $value }} dead DataNodes; blocks are under-replicated.'),
      ],
    'hive-metastore'(ctx): [
      rule(ctx, 'HiveMetastoreDown', 'max(kube_deployment_status_replicas_available' + sel(ctx, 'deployment="' + ctx.name + '"') + ') < 1', '5m', 'critical',
           'The Hive Metastore is down.',
           'Hive Metastore ' + ctx.name + ' in ' + ctx.namespace + ' has no available replica; Spark, Flink and Trino cannot resolve tables.'),
      rule(ctx, 'HiveMetastoreDegraded', 'max(kube_deployment_status_replicas_available' + sel(ctx, 'deployment="' + ctx.name + '"')
           + ') < max(kube_deployment_spec_replicas' + sel(ctx, 'deployment="' + ctx.name + '"') + ')', '15m', 'warning',
           'The Hive Metastore runs with fewer replicas than desired.',
           'Hive Metastore ' + ctx.name + ' in ' + ctx.namespace + ' has {{ $value }} available replicas, fewer than desired.'),
    ],
  },

  objects(props, ctx)::
    // asserted here, in the trait's file, so that the error is placed at the preset's line
    local mismatch = if std.objectHas(props, 'preset') then plinth.presetMismatch(ctx, props.preset) else null;
    assert mismatch == null : mismatch;
    local presetRules =
      if !std.objectHas(props, 'preset') then []
      else if std.objectHasAll($.presets, props.preset) then $.presets[props.preset](ctx)
      else error 'properties.preset: unknown preset "' + props.preset + '" (known: ' + std.join(', ', std.objectFieldsAll($.presets)) + ')';
    local rules = presetRules + props.rules;
    assert std.length(rules) > 0 : 'properties: the alerts trait needs rules or a preset';
    // a rule the user wrote is checked at its own line (properties.rules[i]); preset rules always have runbooks
    local rule(r, i) =
      assert r.severity != 'critical' || std.objectHas(r, 'runbook') :
        'properties.rules[' + i + ']: critical rule ' + r.name + ' needs a runbook (pages must say what to do)';
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
      spec: { groups: [{ name: ctx.app + '.' + ctx.name, rules: [rule(presetRules[i], i) for i in std.range(0, std.length(presetRules) - 1)]
                                                                 + [rule(props.rules[i], i) for i in std.range(0, std.length(props.rules) - 1)] }] },
    }],
}
