// The escape hatch: plain manifests, as they are. Plinth still adds its labels and, for
// namespaced kinds without one, the app's namespace.
{
  description: 'Plain Kubernetes manifests, passed through as they are (the escape hatch). Files are YAML, one or more documents each.',
  example: |||
    components:
      - name: extras
        type: k8s-objects
        properties:
          files: [files/extras.yaml]          # relative to the spec file; several documents allowed
          objects:
            - {apiVersion: v1, kind: ConfigMap, metadata: {name: flags}, data: {beta: "on"}}
  |||,
  parameters: {
    files: { type: 'array', items: { type: 'yaml-file' }, default: [], description: 'Manifest files, relative to the spec file: YAML 1.2, one or more documents each, every document a map.' },
    objects: { type: 'array', items: { type: 'object' }, default: [], description: 'Inline manifests.' },
  },

  render(ctx, props)::
    // Plinth reads the files with the specs' strict YAML loader (errors at the files' own lines)
    // and passes each as the list of its documents; empty documents are not objects
    [o for o in std.flattenArrays(props.files) + props.objects if std.isObject(o) && std.length(o) > 0],
}
