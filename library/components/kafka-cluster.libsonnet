// A Kafka cluster run by Strimzi in KRaft mode: a Kafka, a controller and a broker KafkaNodePool,
// and the JMX exporter rules in a ConfigMap. The cluster's `operators.strimzi` version selects
// the API: kafka.strimzi.io/v1 from Strimzi 0.49 (the only one served from 1.0), v1beta2 before.
local plinth = import '../lib/plinth.libsonnet';

{
  description: 'A Kafka cluster on Strimzi (KRaft): Kafka, controller and broker KafkaNodePools with persistent JBOD storage, the metrics ConfigMap and the NetworkPolicies the operator and Prometheus need.',
  example: |||
    components:
      - name: events
        type: kafka-cluster
        properties:
          brokers: 3
          controllers: 3
          storage: {size: 100Gi, class: fast-ssd}
          resources: {requests: {cpu: "2", memory: 8Gi}, limits: {memory: 8Gi}}
          config: {retention.ms: "604800000"}
  |||,
  operator:: { name: 'strimzi', default: '1.2', supported: '0.46 and later (KRaft only); kafka.strimzi.io/v1 from 0.49, v1beta2 before' },
  // the ports a declared use reaches when it names none: the plain and TLS listeners
  listens:: [{ port: 9092 }, { port: 9093 }],
  parameters: {
    brokers: { type: 'integer', default: 3, minimum: 1, description: 'Broker replicas.' },
    controllers: { type: 'integer', default: 3, minimum: 1, description: 'KRaft controller replicas; an odd number (a quorum of 2n+1 survives n failures).' },
    version: { type: 'string', description: 'Kafka version (default: the newest the Strimzi version supports, 4.3.1 from 1.2, 4.1.0 from 0.49, 4.0.0 before).' },
    storage: {
      type: 'object',
      properties: {
        size: { type: 'quantity', default: '100Gi', description: 'Volume per broker.' },
        class: { type: 'string', description: 'StorageClass (default: the cluster default).' },
      },
    },
    controllerStorage: { type: 'quantity', default: '10Gi', description: 'Metadata volume per controller.' },
    resources: {
      type: 'object',
      description: 'Broker resources.',
      properties: {
        requests: { type: 'map', values: { type: 'quantity' }, default: { cpu: '1', memory: '4Gi' } },
        limits: { type: 'map', values: { type: 'quantity' }, default: {}, description: 'Limits; `memory` defaults to the memory request.' },
      },
    },
    controllerResources: {
      type: 'object',
      properties: {
        requests: { type: 'map', values: { type: 'quantity' }, default: { cpu: '500m', memory: '2Gi' } },
        limits: { type: 'map', values: { type: 'quantity' }, default: {}, description: 'Limits; `memory` defaults to the memory request.' },
      },
    },
    operatorResources: {
      type: 'object',
      description: 'Resources of each of the Entity Operator\'s containers (Topic and User Operator): Strimzi sets none, and a namespace with a ResourceQuota refuses pods without them.',
      properties: {
        requests: { type: 'map', values: { type: 'quantity' }, default: { cpu: '100m', memory: '384Mi' } },
        limits: { type: 'map', values: { type: 'quantity' }, default: {}, description: 'Limits; `memory` defaults to the memory request.' },
      },
    },
    exporterResources: {
      type: 'object',
      description: 'Resources of the Kafka Exporter (consumer lag metrics); Strimzi sets none.',
      properties: {
        requests: { type: 'map', values: { type: 'quantity' }, default: { cpu: '100m', memory: '128Mi' } },
        limits: { type: 'map', values: { type: 'quantity' }, default: {}, description: 'Limits; `memory` defaults to the memory request.' },
      },
    },
    replicationFactor: { type: 'integer', minimum: 1, description: 'Default replication of topics and internal topics (default: min(3, brokers)).' },
    config: { type: 'map', default: {}, description: 'Broker configuration (Kafka property names).' },
    rackTopologyKey: { type: 'string', description: 'Node label for rack awareness, e.g. topology.kubernetes.io/zone. The brokers then read their node from the API server: they get an API-server egress NetworkPolicy (see the cluster\'s apiServerCIDRs).' },
    listeners: {
      type: 'object',
      description: 'Client authentication per listener (Strimzi `authentication.type`); without it a listener accepts every client that reaches it.',
      properties: {
        plain: {
          type: 'object',
          properties: {
            authentication: { type: 'string', enum: ['tls', 'scram-sha-512'], description: 'Port 9092 (no TLS): `scram-sha-512` (SASL; the password crosses the network in the SCRAM exchange only, the data in clear). `tls` is refused: client certificates need the TLS listener.' },
          },
        },
        tls: {
          type: 'object',
          properties: {
            authentication: { type: 'string', enum: ['tls', 'scram-sha-512'], description: 'Port 9093 (TLS): `tls` (client certificates) or `scram-sha-512`.' },
          },
        },
      },
    },
    authorization: {
      type: 'object',
      description: 'Kafka ACLs (Strimzi `spec.kafka.authorization`): with `simple`, clients may do only what their KafkaUser\'s ACLs allow. Needs `authentication` on a listener.',
      properties: {
        type: { type: 'string', enum: ['simple'], required: true },
        superUsers: { type: 'array', items: { type: 'string' }, default: [], description: 'Principals allowed everything: a SCRAM user\'s name, a TLS user\'s `CN=<name>`.' },
      },
    },
  },

  podSelector(ctx, props):: { 'strimzi.io/cluster': ctx.name },

  render(ctx, props)::
    local strimzi = plinth.operatorVersion(ctx, 'strimzi', '1.2');
    assert plinth.versionAtLeast(strimzi, '0.46') :
      'operators.strimzi: Strimzi ' + strimzi + ' needs ZooKeeper; kafka-cluster supports Strimzi 0.46 and later (KRaft)';
    assert props.controllers % 2 == 1 :
      'properties.controllers: ' + props.controllers + ' controllers make a quorum no more fault tolerant than ' + (props.controllers - 1) + '; use an odd number';
    local rf = if std.objectHas(props, 'replicationFactor') then props.replicationFactor else std.min(3, props.brokers);
    assert rf <= props.brokers :
      'properties.replicationFactor: ' + rf + ' replicas need at least ' + rf + ' brokers, the cluster has ' + props.brokers;
    local isr = std.max(1, rf - 1);
    local v1 = plinth.versionAtLeast(strimzi, '0.49');
    local apiVersion = if v1 then 'kafka.strimzi.io/v1' else 'kafka.strimzi.io/v1beta2';
    local listenerAuth(l) =
      if std.objectHas(props, 'listeners') && std.objectHas(props.listeners, l) && std.objectHas(props.listeners[l], 'authentication')
      then { authentication: { type: props.listeners[l].authentication } } else {};
    assert std.length(listenerAuth('plain')) == 0 || props.listeners.plain.authentication != 'tls' :
      'properties.listeners.plain.authentication: tls (client certificate) authentication needs a TLS listener; use it on listeners.tls, or scram-sha-512 here';
    // without authentication every client is User:ANONYMOUS, which simple authorization denies
    assert !std.objectHas(props, 'authorization') || std.length(listenerAuth('plain') + listenerAuth('tls')) > 0 :
      'properties.authorization: simple authorization without authentication on a listener denies every client (all are User:ANONYMOUS); set listeners.plain.authentication or listeners.tls.authentication';
    local version = if std.objectHas(props, 'version') then props.version
                    else if plinth.versionAtLeast(strimzi, '1.2') then '4.3.1'
                    else if v1 then '4.1.0' else '4.0.0';
    local clusterLabel = { 'strimzi.io/cluster': ctx.name };
    local tenantPeer = { namespaceSelector: { matchLabels: { 'plinth.dev/tenant': ctx.tenant } } };
    // fsGroup 0 keeps Strimzi's default for persistent volumes (a given securityContext
    // replaces it), so the kafka user can write its data
    local restrictedPod = {
      securityContext: { runAsNonRoot: true, fsGroup: 0, seccompProfile: { type: 'RuntimeDefault' } },
    };
    local restrictedPodNoVolume = { securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } } };
    local restrictedContainer = { securityContext: plinth.containerSecurityContext { readOnlyRootFilesystem: false } };
    local pool(role, replicas, size, resources) = {
      apiVersion: apiVersion,
      kind: 'KafkaNodePool',
      metadata: plinth.meta(ctx, ctx.name + '-' + role, labels=clusterLabel),
      spec: {
        replicas: replicas,
        roles: [role],
        resources: plinth.resources(resources),
        storage: {
          type: 'jbod',
          volumes: [{
            id: 0,
            type: 'persistent-claim',
            size: size,
            deleteClaim: false,
            kraftMetadata: 'shared',
          } + (if role == 'broker' && std.objectHas(props.storage, 'class') then { class: props.storage.class } else {})],
        },
        template: {
          pod: restrictedPod + (if role == 'broker' then {
            topologySpreadConstraints: [{
              maxSkew: 1,
              topologyKey: if std.objectHas(props, 'rackTopologyKey') then props.rackTopologyKey else 'kubernetes.io/hostname',
              whenUnsatisfiable: 'ScheduleAnyway',
              labelSelector: { matchLabels: clusterLabel { 'strimzi.io/pool-name': ctx.name + '-broker' } },
            }],
          } else {}),
          kafkaContainer: restrictedContainer,
        },
      },
    };
    local ops = ctx.platform.operatorNamespaces;
    local peer(ns) = { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': ns } } };
    [
      {
        apiVersion: apiVersion,
        kind: 'Kafka',
        metadata: plinth.meta(ctx, annotations=if v1 && plinth.versionAtLeast(strimzi, '0.48') then {} else {
          'strimzi.io/kraft': 'enabled',
          'strimzi.io/node-pools': 'enabled',
        }),
        spec: {
          kafka: {
            version: version,
            // only the tenant's own namespaces reach the listeners (Strimzi turns this into its
            // NetworkPolicy; without peers it would admit every namespace)
            listeners: [
              { name: 'plain', port: 9092, type: 'internal', tls: false } + listenerAuth('plain') + { networkPolicyPeers: [tenantPeer] },
              { name: 'tls', port: 9093, type: 'internal', tls: true } + listenerAuth('tls') + { networkPolicyPeers: [tenantPeer] },
            ],
            config: {
              'offsets.topic.replication.factor': rf,
              'transaction.state.log.replication.factor': rf,
              'transaction.state.log.min.isr': isr,
              'default.replication.factor': rf,
              'min.insync.replicas': isr,
            } + props.config,
            metricsConfig: {
              type: 'jmxPrometheusExporter',
              valueFrom: { configMapKeyRef: { name: ctx.name + '-kafka-metrics', key: 'kafka-metrics-config.yml' } },
            },
          } + (if std.objectHas(props, 'rackTopologyKey') then { rack: { topologyKey: props.rackTopologyKey } } else {})
          + (if std.objectHas(props, 'authorization') then {
               authorization: { type: props.authorization.type }
                              + (if std.length(props.authorization.superUsers) > 0 then { superUsers: props.authorization.superUsers } else {}),
             } else {}),
          // Strimzi gives these pods no resources: a tenant's ResourceQuota would refuse them
          entityOperator: {
            topicOperator: { resources: plinth.resources(props.operatorResources) },
            userOperator: { resources: plinth.resources(props.operatorResources) },
            template: {
              pod: restrictedPodNoVolume,
              topicOperatorContainer: restrictedContainer,
              userOperatorContainer: restrictedContainer,
            },
          },
          kafkaExporter: {
            resources: plinth.resources(props.exporterResources),
            topicRegex: '.*',
            groupRegex: '.*',
            template: { pod: restrictedPodNoVolume, container: restrictedContainer },
          },
        },
      },
      pool('controller', props.controllers, props.controllerStorage, props.controllerResources),
      pool('broker', props.brokers, props.storage.size, props.resources),
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: plinth.meta(ctx, ctx.name + '-kafka-metrics'),
        data: { 'kafka-metrics-config.yml': importstr '../data/kafka-metrics.yaml' },
      },
      // a default-deny tenant still lets the Strimzi operator, the brokers among themselves
      // and Prometheus reach the cluster's pods
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: plinth.meta(ctx, ctx.name + '-kafka'),
        spec: {
          podSelector: { matchLabels: clusterLabel },
          policyTypes: ['Ingress'],
          ingress: [
            { from: [peer(ops.strimzi)] },
            { from: [{ podSelector: { matchLabels: clusterLabel } }] },
            { from: [peer(ctx.platform.monitoring.namespace)], ports: [{ protocol: 'TCP', port: 9404 }] },
          ] + (if std.objectHas(ctx.cluster.operators, 'keda') then [
            // KEDA's kafka scaler reads consumer lag from the brokers
            { from: [peer(ops.keda)], ports: [{ protocol: 'TCP', port: 9092 }, { protocol: 'TCP', port: 9093 }] },
          ] else []),
        },
      },
    ]
    // the Entity Operator's topic and user operators are API clients
    + plinth.apiServerEgress(ctx, ctx.name + '-entity-operator-apiserver',
                             { matchLabels: { 'strimzi.io/name': ctx.name + '-entity-operator' } })
    // with rack awareness, Strimzi's init container in each broker pod reads its node's
    // topology label from the API server (brokers only: controllers get no init container)
    + (if !std.objectHas(props, 'rackTopologyKey') then [] else
         plinth.apiServerEgress(ctx, ctx.name + '-broker-apiserver', {
           matchLabels: clusterLabel { 'strimzi.io/kind': 'Kafka', 'strimzi.io/pool-name': ctx.name + '-broker' },
         })),
}
