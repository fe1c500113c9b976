// A Bitnami SealedSecret passed through from a file of the platform repository: the values are
// encrypted with the cluster controller's public key (kubeseal), so only that controller can
// turn them into a Secret. A SealedSecret decrypts only under the namespace and name it was
// sealed for (strict scope), unless sealed namespace-wide (any name) or cluster-wide.
local plinth = import '../lib/plinth.libsonnet';

{
  description: 'A Bitnami SealedSecret from a file (kubeseal\'s output), its name and namespace checked against the component\'s; a Secret or plain values are refused, so no plaintext reaches Git.',
  example: |||
    components:
      - name: s3-credentials
        type: sealed-secret
        properties:
          file: files/s3-credentials.sealed.yaml   # kubeseal --namespace analytics --name s3-credentials
  |||,
  operator:: { name: 'sealed-secrets', default: '0.30', supported: 'any (bitnami.com/v1alpha1)' },
  parameters: {
    file: { type: 'yaml-file', required: true, description: 'One SealedSecret, relative to the spec file, sealed for the app\'s namespace and the component name (or namespace-wide or cluster-wide).' },
  },

  render(ctx, props)::
    local docs = props.file;
    assert std.length(docs) == 1 : 'properties.file: holds ' + std.length(docs) + ' documents; a sealed-secret is one SealedSecret';
    local s = docs[0];
    local kind = if std.objectHas(s, 'kind') then s.kind else '?';
    assert kind != 'Secret' :
      'properties.file: is a plain Secret; seal it (kubeseal --format yaml) so that no plaintext reaches Git';
    assert kind == 'SealedSecret' && std.objectHas(s, 'apiVersion') && s.apiVersion == 'bitnami.com/v1alpha1' :
      'properties.file: holds a ' + kind + ', not a bitnami.com/v1alpha1 SealedSecret';
    assert !std.objectHas(s, 'data') && !std.objectHas(s, 'stringData') :
      'properties.file: the SealedSecret carries plain data or stringData; only spec.encryptedData may hold values';
    local spec = if std.objectHas(s, 'spec') && std.isObject(s.spec) then s.spec else {};
    local template = if std.objectHas(spec, 'template') && std.isObject(spec.template) then spec.template else {};
    local templateData = if std.objectHas(template, 'data') && std.isObject(template.data) then template.data else {};
    // template data are templates over the decrypted values; one without a template action is plaintext
    local plain = [k for k in std.objectFields(templateData) if std.isString(templateData[k]) && std.findSubstr('{{', templateData[k]) == []];
    assert std.length(plain) == 0 :
      'properties.file: spec.template.data.' + plain[0] + ' is a plain value, not a template over the encrypted ones; seal it into encryptedData';
    assert std.objectHas(spec, 'encryptedData') && std.isObject(spec.encryptedData) && std.length(spec.encryptedData) > 0 :
      'properties.file: the SealedSecret has no spec.encryptedData';
    // kubeseal writes creationTimestamp: null; nulls say nothing
    local given = if std.objectHas(s, 'metadata') && std.isObject(s.metadata) then s.metadata else {};
    // kubeseal's ciphertext: base64 of the session key's length (256, 384 or 512 bytes:
    // AQ, AY or Ag) and more than that key; anything else is a value that was never sealed
    local unsealed = [k for k in std.objectFields(spec.encryptedData)
                      if !std.isString(spec.encryptedData[k]) || std.length(spec.encryptedData[k]) < 344
                         || !plinth.has(['AQ', 'AY', 'Ag'], std.substr(spec.encryptedData[k], 0, 2))];
    assert std.length(unsealed) == 0 :
      'properties.file: spec.encryptedData.' + unsealed[0] + ' is not kubeseal\'s ciphertext; seal the value with kubeseal';
    local meta = { [k]: given[k] for k in std.objectFields(given) if given[k] != null };
    local annotations = if std.objectHas(meta, 'annotations') && std.isObject(meta.annotations) then meta.annotations else {};
    local flag(a) = std.objectHas(annotations, a) && annotations[a] == 'true';
    local scope = if flag('sealedsecrets.bitnami.com/cluster-wide') then 'cluster-wide'
                  else if flag('sealedsecrets.bitnami.com/namespace-wide') then 'namespace-wide'
                  else 'strict';
    local has(f) = std.objectHas(meta, f) && meta[f] != null;
    assert scope == 'cluster-wide' || !has('namespace') || meta.namespace == ctx.namespace :
      'properties.file: sealed for namespace ' + meta.namespace + ' (' + scope + ' scope), but the app renders into ' + ctx.namespace + '; seal it again for ' + ctx.namespace;
    assert scope != 'strict' || !has('name') || meta.name == ctx.name :
      'properties.file: sealed for the name ' + meta.name + ' (strict scope), but the component is ' + ctx.name + '; name the component ' + meta.name + ' or seal it again';
    [s { metadata: meta + plinth.meta(ctx) { labels: (if std.objectHas(meta, 'labels') then meta.labels else {}) + ctx.labels } }],
}
