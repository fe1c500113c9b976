// The escape hatch: plain manifests, as they are. Plinth still adds its labels and, for
// namespaced kinds without one, the app's namespace.
{
  description: 'Plain Kubernetes manifests, passed through as they are (the escape hatch). Files are YAML, one or more documents each.',
  parameters: {
    files: { type: 'array', items: { type: 'file' }, default: [], description: 'Manifest files, relative to the spec file.' },
    objects: { type: 'array', items: { type: 'object' }, default: [], description: 'Inline manifests.' },
  },

  render(ctx, props)::
    local docs(text) =
      local y = std.parseYaml(text);
      if std.isArray(y) then y else [y];
    [o for o in std.flattenArrays([docs(f) for f in props.files]) + props.objects if o != null],
}
