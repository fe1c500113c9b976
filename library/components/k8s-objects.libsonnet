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
    files: { type: 'array', items: { type: 'file' }, default: [], description: 'Manifest files, relative to the spec file.' },
    objects: { type: 'array', items: { type: 'object' }, default: [], description: 'Inline manifests.' },
  },

  render(ctx, props)::
    // sjsonnet's std.parseYaml reads one document: split on '---' lines first.
    local isSeparator(line) = std.length(line) >= 3 && std.substr(line, 0, 3) == '---';
    local chunks(text) = std.foldl(
      function(acc, line) if isSeparator(line) then acc + [[]] else acc[:std.length(acc) - 1] + [acc[std.length(acc) - 1] + [line]],
      std.split(text, '\n'), [[]]);
    local docs(text) = [std.parseYaml(std.join('\n', c)) for c in chunks(text)];
    // empty and comment-only documents parse to null or {}
    [o for o in std.flattenArrays([docs(f) for f in props.files]) + props.objects if std.isObject(o) && std.length(o) > 0],
}
