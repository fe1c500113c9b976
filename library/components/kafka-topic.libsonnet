// A topic of a Strimzi Kafka cluster, managed by its Topic Operator. Strimzi's Entity Operator
// watches only its own namespace by default, so the topic lives in the Kafka cluster's namespace.
local plinth = import '../lib/plinth.libsonnet';

{
  description: 'A Strimzi KafkaTopic in the namespace of its Kafka cluster.',
  example: |||
    components:
      - name: clicks
        type: kafka-topic
        properties: {cluster: events, partitions: 12, replicas: 3, config: {retention.ms: "604800000"}}
  |||,
  operator:: { name: 'strimzi', default: '1.2', supported: '0.46 and later; kafka.strimzi.io/v1 from 0.49, v1beta2 before' },
  // a use of a topic reaches its Kafka cluster's pods, on the plain and TLS listeners
  podSelector(ctx, props):: { 'strimzi.io/cluster': props.cluster },
  // a use's ctx.uses entry carries the Kafka cluster component (refers.cluster), so that a use
  // with `access` gets a KafkaUser that cluster accepts (kafka-user.libsonnet, forUses)
  refers:: ['cluster'],
  listens:: [{ port: 9092 }, { port: 9093 }],
  parameters: {
    cluster: { type: 'string', required: true, description: 'The kafka-cluster component (Kafka name) in the same namespace.' },
    topicName: { type: 'string', description: 'Kafka topic name when it is not a valid object name (dots, underscores).' },
    partitions: { type: 'integer', default: 3, minimum: 1 },
    replicas: { type: 'integer', default: 3, minimum: 1, description: 'At most the cluster\'s brokers (checked).' },
    config: { type: 'map', default: {}, description: 'Topic configuration (retention.ms, cleanup.policy, ...).' },
  },

  render(ctx, props)::
    local strimzi = plinth.operatorVersion(ctx, 'strimzi', '1.2');
    [{
      apiVersion: if plinth.versionAtLeast(strimzi, '0.49') then 'kafka.strimzi.io/v1' else 'kafka.strimzi.io/v1beta2',
      kind: 'KafkaTopic',
      metadata: plinth.meta(ctx, labels={ 'strimzi.io/cluster': props.cluster }),
      spec: {
        partitions: props.partitions,
        replicas: props.replicas,
        config: props.config,
      } + (if std.objectHas(props, 'topicName') then { topicName: props.topicName } else {}),
    }],
}
