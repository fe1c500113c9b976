// A user of a Strimzi Kafka cluster, managed by its User Operator, which creates the user's
// credentials in a Secret named after the user. Like KafkaTopics, KafkaUsers live in the Kafka
// cluster's namespace (the Entity Operator watches only that one by default).
local plinth = import '../lib/plinth.libsonnet';

// The operations Kafka defines per resource type (besides All); an ACL with another operation on
// that resource type is never consulted by Kafka's authorizer, so it grants nothing.
local operationsOf = {
  topic: ['Read', 'Write', 'Create', 'Delete', 'Alter', 'Describe', 'AlterConfigs', 'DescribeConfigs'],
  group: ['Read', 'Describe', 'Delete'],
  transactionalId: ['Describe', 'Write'],
};

{
  description: 'A Strimzi KafkaUser in the namespace of its Kafka cluster: authentication (the User Operator writes the credentials into a Secret named after the user), simple-authorization ACLs on topics, groups and transactional ids, and quotas.',
  example: |||
    components:
      - name: orders-reader
        type: kafka-user
        properties:
          cluster: events
          authentication: scram-sha-512        # Secret orders-reader: password, sasl.jaas.config
          acls:
            - {resource: topic, name: orders.v1, operations: [Read, Describe]}
            - {resource: group, name: orders-, patternType: prefix, operations: [Read]}
          quotas: {consumerByteRate: 10485760}
  |||,
  operator:: { name: 'strimzi', default: '1.2', supported: '0.46 and later; kafka.strimzi.io/v1 from 0.49, v1beta2 before' },
  parameters: {
    cluster: { type: 'string', required: true, description: 'The kafka-cluster component (Kafka name) in the same namespace.' },
    authentication: {
      type: 'string',
      required: true,
      enum: ['tls', 'scram-sha-512', 'tls-external'],
      description: '`scram-sha-512` (Secret keys `password`, `sasl.jaas.config`), `tls` (`user.crt`, `user.key`, `ca.crt`, `user.p12`, `user.password`) or `tls-external` (a certificate issued elsewhere, CN=<name>; no Secret). A listener of the cluster must accept it (checked).',
    },
    acls: {
      type: 'array',
      default: [],
      description: 'ACLs (`authorization: simple`; the cluster needs `authorization`). A tenant\'s users get ACLs only on its own topics unless the owning tenant grants them (checked, see docs/policies.md).',
      items: {
        type: 'object',
        properties: {
          resource: { type: 'string', required: true, enum: ['topic', 'group', 'transactionalId'] },
          name: { type: 'string', required: true, description: 'The Kafka name (a topic\'s `topicName`), or its prefix with `patternType: prefix`; `*` with `literal` is every resource of the type.' },
          patternType: { type: 'string', enum: ['literal', 'prefix'], default: 'literal' },
          operations: {
            type: 'array',
            required: true,
            items: { type: 'string', enum: ['Read', 'Write', 'Create', 'Delete', 'Alter', 'Describe', 'AlterConfigs', 'DescribeConfigs', 'All'] },
            description: 'topic: Read, Write, Create, Delete, Alter, Describe, AlterConfigs, DescribeConfigs; group: Read, Describe, Delete; transactionalId: Describe, Write; All for any.',
          },
          host: { type: 'string', description: 'Client host the ACL applies to (default: any).' },
        },
      },
    },
    quotas: {
      type: 'object',
      description: 'Client quotas (per broker).',
      properties: {
        producerByteRate: { type: 'integer', minimum: 0, description: 'Bytes per second the user may publish.' },
        consumerByteRate: { type: 'integer', minimum: 0, description: 'Bytes per second the user may fetch.' },
        requestPercentage: { type: 'integer', minimum: 0, description: 'Share of network and I/O thread time, in percent.' },
        controllerMutationRate: { type: 'number', minimum: 0, description: 'Partitions created or deleted per second.' },
      },
    },
  },

  // The KafkaUser `name` of Kafka `cluster` in `namespace`: for this type and for whatever
  // generates users (a component that declares the topics it uses). `acls` as the `acls`
  // property (patternType defaults to literal), `quotas` as the `quotas` property; `labels` are
  // added to `ctx.labels`. Errors name `properties.<where>`, the property the values came from.
  user(ctx, name, cluster, namespace, authentication, acls=[], quotas={}, labels={}, where='acls')::
    local strimzi = plinth.operatorVersion(ctx, 'strimzi', '1.2');
    local invalid = [
      { i: i, op: op }
      for i in std.range(0, std.length(acls) - 1)
      for op in acls[i].operations
      if op != 'All' && !plinth.has(operationsOf[acls[i].resource], op)
    ];
    assert std.length(invalid) == 0 :
      local f = invalid[0];
      'properties.' + where + '[' + f.i + '].operations: Kafka defines no ' + f.op + ' on a ' + acls[f.i].resource
      + ' (its operations: ' + std.join(', ', operationsOf[acls[f.i].resource]) + ', All)';
    {
      apiVersion: if plinth.versionAtLeast(strimzi, '0.49') then 'kafka.strimzi.io/v1' else 'kafka.strimzi.io/v1beta2',
      kind: 'KafkaUser',
      metadata: { name: name, namespace: namespace, labels: ctx.labels + labels + { 'strimzi.io/cluster': cluster } },
      spec: { authentication: { type: authentication } }
            + (if std.length(acls) > 0 then {
                 authorization: {
                   type: 'simple',
                   acls: [
                     {
                       resource: {
                         type: a.resource,
                         name: a.name,
                         patternType: if std.objectHas(a, 'patternType') then a.patternType else 'literal',
                       },
                       operations: a.operations,
                     } + (if std.objectHas(a, 'host') then { host: a.host } else {})
                     for a in acls
                   ],
                 },
               } else {})
            + (if std.length(quotas) > 0 then { quotas: quotas } else {}),
    },

  // The KafkaUsers of a component's declared uses of topics with `access`, one per Kafka
  // cluster of its own namespace that authenticates clients (Strimzi's user operator writes the
  // credentials into a Secret of the Kafka's namespace, which only pods there can read): named
  // <app>-<component>, SCRAM-SHA-512 when a listener takes it, else TLS; with `authorization`,
  // ACLs on each topic for its access (produce: Write, Describe; consume: Read, Describe; both:
  // all three) and Read on the consumer groups named with the prefix <app>-<component>.
  // Returns {users: [...], env: [...], volumes: [...], mounts: [...]}: the objects, and what the
  // component's pods need to log in.
  forUses(ctx)::
    local topicUses = [
      u for u in ctx.uses
      if std.objectHas(u, 'access') && std.objectHas(u, 'refers') && std.objectHas(u.refers, 'cluster')
         && u.namespace == ctx.namespace
    ];
    local clusters = std.set([u.refers.cluster.name for u in topicUses]);
    local clusterOf(name) = [u.refers.cluster for u in topicUses if u.refers.cluster.name == name][0];
    local field(o, k, d) = if std.isObject(o) && std.objectHas(o, k) then o[k] else d;
    local authOf(c) =
      local listeners = field(c.props, 'listeners', {});
      local types = [field(field(listeners, l, {}), 'authentication', null) for l in ['plain', 'tls']];
      if plinth.has(types, 'scram-sha-512') then 'scram-sha-512' else if plinth.has(types, 'tls') then 'tls' else null;
    local name = ctx.app + '-' + ctx.name;
    local ops = { produce: ['Write', 'Describe'], consume: ['Read', 'Describe'], both: ['Read', 'Write', 'Describe'] };
    local topicName(u) = field(u.props, 'topicName', u.component);
    local acls(cluster) =
      local mine = [u for u in topicUses if u.refers.cluster.name == cluster];
      [{ resource: 'topic', name: topicName(u), operations: ops[u.access] } for u in mine]
      + (if std.length([u for u in mine if u.access != 'produce']) > 0
         then [{ resource: 'group', name: name, patternType: 'prefix', operations: ['Read'] }] else []);
    local users = [
      local c = clusterOf(cluster);
      self.user(ctx, name, cluster, ctx.namespace, authOf(c),
                if std.objectHas(c.props, 'authorization') then acls(cluster) else [])
      for cluster in clusters
      if authOf(clusterOf(cluster)) != null
    ];
    local scram = [u for u in users if u.spec.authentication.type == 'scram-sha-512'];
    local tls = [u for u in users if u.spec.authentication.type == 'tls'];
    {
      users: users,
      env: if std.length(scram) == 0 then [] else [
        { name: 'KAFKA_USERNAME', value: name },
        { name: 'KAFKA_PASSWORD', valueFrom: { secretKeyRef: { name: name, key: 'password' } } },
        { name: 'KAFKA_SASL_JAAS_CONFIG', valueFrom: { secretKeyRef: { name: name, key: 'sasl.jaas.config' } } },
      ],
      volumes: if std.length(tls) == 0 then [] else [{ name: 'kafka-user', secret: { secretName: name } }],
      mounts: if std.length(tls) == 0 then [] else [{ name: 'kafka-user', mountPath: '/etc/kafka/user', readOnly: true }],
    },

  render(ctx, props)::
    [self.user(ctx, ctx.name, props.cluster, ctx.namespace, props.authentication, props.acls,
               if std.objectHas(props, 'quotas') then props.quotas else {})],
}
