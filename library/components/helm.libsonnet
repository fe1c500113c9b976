// A local Helm chart, rendered by Helm's own template engine inside Plinth (host: 'helm'):
// Plinth runs `helm template` on the chart directory with the values, the component's name as
// release, the app's namespace and the cluster's Kubernetes version, and hands the manifests to
// render() as props.manifests. They then get Plinth's labels and checks like any object.
local plinth = import '../lib/plinth.libsonnet';

{
  description: 'A Helm chart from a directory in the platform repository, rendered with Helm\'s engine for the cluster\'s Kubernetes version; its objects get the same labels, checks and output as any component.',
  example: |||
    components:
      - name: redis
        type: helm
        properties:
          chart: charts/redis          # relative to the spec file
          values: {replicas: 2, image: {tag: "7.4.2"}}
  |||,
  host: 'helm',
  parameters: {
    chart: { type: 'string', required: true, description: 'Chart directory, relative to the spec file.' },
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
