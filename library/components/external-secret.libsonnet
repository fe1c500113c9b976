// A Secret filled from an external secret manager (Vault, AWS Secrets Manager, ...) by the
// External Secrets Operator: an ExternalSecret against a SecretStore or ClusterSecretStore that
// the platform team runs. Git holds only where the values live, never the values.
local plinth = import '../lib/plinth.libsonnet';

{
  description: 'A Secret filled by the External Secrets Operator from an external secret manager: an ExternalSecret against a named SecretStore or ClusterSecretStore; Git holds where the values live, never the values.',
  example: |||
    components:
      - name: hms-db
        type: external-secret
        properties:
          store: {name: vault, kind: ClusterSecretStore}
          refreshInterval: 1h
          data:
            password: {key: analytics/hms-db, property: password}
            user: {key: analytics/hms-db, property: user}
  |||,
  operator:: { name: 'external-secrets', default: '0.19', supported: '0.16.2 and later (external-secrets.io/v1)' },
  local remoteRef = {
    key: { type: 'string', required: true, description: 'The secret\'s key (path or name) in the store.' },
    property: { type: 'string', description: 'A property of a structured (JSON) secret.' },
    version: { type: 'string', description: 'A version of the secret (default: the latest).' },
  },
  parameters: {
    store: {
      type: 'object',
      required: true,
      description: 'The store the platform team runs.',
      properties: {
        name: { type: 'string', required: true },
        kind: { type: 'string', enum: ['SecretStore', 'ClusterSecretStore'], default: 'SecretStore', description: 'A SecretStore of the app\'s namespace or a ClusterSecretStore.' },
      },
    },
    secretName: { type: 'string', description: 'The Secret to create (default: the component name).' },
    secretType: { type: 'string', description: 'The Secret\'s type, e.g. kubernetes.io/tls (default: Opaque).' },
    refreshInterval: { type: 'string', default: '1h', pattern: '0|([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+', description: 'How often the values are read again (a Go duration, 0 for never).' },
    data: {
      type: 'map',
      values: { type: 'object', properties: remoteRef },
      default: {},
      description: 'Keys of the Secret, each read from one remote secret (`{key, property, version}`).',
    },
    extract: {
      type: 'array',
      items: { type: 'object', properties: remoteRef },
      default: [],
      description: 'Remote secrets whose every property becomes a key of the Secret (`dataFrom[].extract`).',
    },
  },

  render(ctx, props)::
    local op = plinth.operatorVersion(ctx, 'external-secrets', '0.19');
    assert plinth.versionAtLeast(op, '0.16.2') :
      'operators.external-secrets: External Secrets Operator ' + op + ' is older than 0.16.2, the first to serve external-secrets.io/v1';
    assert std.length(props.data) + std.length(props.extract) > 0 :
      'properties: an external-secret needs data or extract, else its Secret is empty';
    local ref(r) = { key: r.key }
      + (if std.objectHas(r, 'property') then { property: r.property } else {})
      + (if std.objectHas(r, 'version') then { version: r.version } else {});
    [{
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata: plinth.meta(ctx),
      spec: {
        secretStoreRef: { name: props.store.name, kind: props.store.kind },
        refreshInterval: props.refreshInterval,
        target: {
          name: if std.objectHas(props, 'secretName') then props.secretName else ctx.name,
          // the operator creates the Secret and owns it: deleting the component deletes it
          creationPolicy: 'Owner',
        } + (if std.objectHas(props, 'secretType') then { template: { type: props.secretType } } else {}),
      } + (if std.length(props.data) > 0 then {
        data: [{ secretKey: k, remoteRef: ref(props.data[k]) } for k in std.objectFields(props.data)],
      } else {}) + (if std.length(props.extract) > 0 then {
        dataFrom: [{ extract: ref(e) } for e in props.extract],
      } else {}),
    }],
}
