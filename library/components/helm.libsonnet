// A Helm chart (a folder of the platform, or a remote chart vendored by `plinth vendor`), rendered by Helm's own template engine inside Plinth (host: 'helm'):
// Plinth runs `helm template` on the chart directory with the values, the component's name as
// release, the app's namespace and the cluster's Kubernetes version, and hands the manifests to
// render() as props.manifests. They then get Plinth's labels and checks like any object.
local plinth = import '../lib/plinth.libsonnet';

{
  description: 'A Helm chart from a directory in the platform repository, or a remote chart (a Helm repository\'s or an OCI registry\'s) pinned in plinth.lock and vendored by `plinth vendor`, rendered with Helm\'s engine for the cluster\'s Kubernetes version; its objects get the same labels, checks and output as any component.',
  example: |||
    components:
      - name: redis
        type: helm
        properties:
          chart: charts/redis          # relative to the spec file
          values: {replicas: 2, image: {tag: "7.4.2"}}
      - name: podinfo
        type: helm
        properties:
          chart: {repo: https://stefanprodan.github.io/podinfo, name: podinfo, version: 6.7.1}
      - name: cache
        type: helm
        properties:
          chart: oci://registry-1.docker.io/bitnamicharts/valkey
          version: 2.4.7
  |||,
  host: 'helm',
  parameters: {
    chart: {
      oneOf: [
        { type: 'string' },
        {
          type: 'object',
          properties: {
            repo: { type: 'string', required: true, description: 'URL of the Helm repository (its index.yaml is REPO/index.yaml).' },
            name: { type: 'string', required: true, description: 'Chart name in the repository.' },
            version: { type: 'string', required: true, description: 'Exact chart version (no ranges).' },
          },
        },
      ],
      required: true,
      description: 'The chart: a directory relative to the spec file; `{repo, name, version}` for a chart of a Helm repository; or `oci://REGISTRY/PATH` (with `version`) for a chart in an OCI registry. Remote charts are rendered from vendor/charts/ and checked against plinth.lock: run `plinth vendor` after changing one; render never downloads.',
    },
    version: { type: 'string', description: 'Exact chart version of an `oci://` chart (no ranges).' },
    values: { type: 'map', default: {}, description: 'Values, as in a values file.' },
    releaseName: { type: 'string', description: 'Helm release name (default: the component name).' },
    // the functions ChartInspection.java refuses but lookup (NEVER_ALLOWED); ChartInspectionTest keeps the lists equal
    allowNonDeterministic: {
      type: 'array',
      default: [],
      items: { type: 'string', enum: [
        'now', 'ago', 'date', 'dateInZone', 'date_in_zone', 'htmlDate', 'htmlDateInZone', 'toDate', 'mustToDate',
        'randAlphaNum', 'randAlpha', 'randNumeric', 'randAscii', 'randInt', 'randBytes', 'shuffle', 'uuidv4',
        'genCA', 'genCAWithKey', 'genPrivateKey', 'genSelfSignedCert', 'genSelfSignedCertWithKey', 'genSignedCert',
        'genSignedCertWithKey', 'bcrypt', 'htpasswd', 'encryptAES', 'getHostByName',
      ] },
      description: 'Template functions the chart may call although their result depends on the clock, the time zone, randomness or a cluster (refused otherwise). This breaks the byte-identical promise: the output changes on every render, so plinth verify and diff always see changes. getHostByName renders an empty string (Helm\'s DNS lookups are off). lookup cannot be allowed: Helm inside Plinth would ask the cluster the machine\'s kubeconfig names.',
    },
  },

  // The chart's labels and selectors stay the chart's: relabelling its pods would part them from
  // the selectors of its Deployments, Services, PDBs and NetworkPolicies. Its pods get Plinth's
  // own labels (plinth.dev/*, which no chart uses) beside them, and traits that select the
  // component's pods or Services (pdb, metrics, logs) select by those.
  podSelector(ctx, props):: { 'plinth.dev/app': ctx.app, 'plinth.dev/component': ctx.name },
  render(ctx, props)::
    local own = { [k]: ctx.labels[k] for k in std.objectFields(ctx.labels) if std.startsWith(k, 'plinth.dev/') };
    [plinth.patchPod(o, function(t) { metadata+: { labels+: own } }) for o in props.manifests],
}
