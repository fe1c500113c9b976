// Replaces the built-in `logs` trait: this platform collects logs by pod annotation.
local plinth = import 'lib/plinth.libsonnet';
{
  description: 'Marks the pods for the node log agent.',
  parameters: { index: { type: 'string', default: 'apps' } },
  patch(obj, props, ctx)::
    plinth.patchPod(obj, function(t) { metadata+: { annotations+: { 'logs.example.com/index': props.index } } }),
}
