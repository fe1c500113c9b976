// Horizontal autoscaling: an HPA on CPU/memory, or a KEDA ScaledObject on Kafka consumer lag.
// The workload's `replicas` is removed so GitOps and the autoscaler do not fight.
local plinth = import '../lib/plinth.libsonnet';

{
  description: 'Horizontal autoscaling: HorizontalPodAutoscaler (autoscaling/v2), or a KEDA ScaledObject when kafkaLag is set. Removes replicas from the workload.',
  example: |||
    traits:
      - type: autoscale
        properties: {min: 2, max: 10, cpuUtilization: 70}
      # or, on Kafka consumer lag with KEDA:
      # - type: autoscale
      #   properties: {min: 1, max: 6, kafkaLag: {bootstrapServers: "events-kafka-bootstrap:9092", consumerGroup: enricher, topic: clicks.v1}}
  |||,
  appliesTo: ['Deployment', 'StatefulSet'],
  parameters: {
    min: { type: 'integer', default: 1, minimum: 1 },
    max: { type: 'integer', required: true, minimum: 1 },
    cpuUtilization: { type: 'integer', minimum: 1, maximum: 100, description: 'Target average CPU utilisation, % of requests (default 80 when no other metric is set).' },
    memoryUtilization: { type: 'integer', minimum: 1, maximum: 100 },
    scaleDownStabilizationSeconds: { type: 'integer', default: 300, minimum: 0 },
    kafkaLag: {
      type: 'object',
      description: 'Scale on consumer-group lag with KEDA instead of an HPA.',
      properties: {
        bootstrapServers: { type: 'string', required: true },
        consumerGroup: { type: 'string', required: true },
        topic: { type: 'string', required: true },
        lagThreshold: { type: 'integer', default: 100, minimum: 1 },
      },
    },
  },

  patch(obj, props, ctx)::
    if plinth.has(['Deployment', 'StatefulSet'], obj.kind)
    then obj { spec: plinth.without(obj.spec, 'replicas') }
    else obj,

  objects(props, ctx)::
    assert props.min <= props.max : 'autoscale: min (' + props.min + ') is greater than max (' + props.max + ')';
    local target = plinth.first(ctx.component.objects, ['Deployment', 'StatefulSet']);
    local ref = { apiVersion: target.apiVersion, kind: target.kind, name: target.metadata.name };
    local resource(name, pct) = { type: 'Resource', resource: { name: name, target: { type: 'Utilization', averageUtilization: pct } } };
    local cpu = if std.objectHas(props, 'cpuUtilization') then props.cpuUtilization
                else if std.objectHas(props, 'memoryUtilization') then null else 80;
    local behavior = { scaleDown: { stabilizationWindowSeconds: props.scaleDownStabilizationSeconds } };
    if std.objectHas(props, 'kafkaLag') then [{
      apiVersion: 'keda.sh/v1alpha1',
      kind: 'ScaledObject',
      metadata: plinth.meta(ctx),
      spec: {
        scaleTargetRef: ref,
        minReplicaCount: props.min,
        maxReplicaCount: props.max,
        advanced: { horizontalPodAutoscalerConfig: { behavior: behavior } },
        triggers: [{
          type: 'kafka',
          metadata: {
            bootstrapServers: props.kafkaLag.bootstrapServers,
            consumerGroup: props.kafkaLag.consumerGroup,
            topic: props.kafkaLag.topic,
            lagThreshold: std.toString(props.kafkaLag.lagThreshold),
          },
        }],
      },
    }] else [{
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: plinth.meta(ctx),
      spec: {
        scaleTargetRef: ref,
        minReplicas: props.min,
        maxReplicas: props.max,
        metrics: (if cpu != null then [resource('cpu', cpu)] else [])
                 + (if std.objectHas(props, 'memoryUtilization') then [resource('memory', props.memoryUtilization)] else []),
        behavior: behavior,
      },
    }],
}
