// A PodDisruptionBudget for the component's pods.
local plinth = import '../lib/plinth.libsonnet';

{
  description: 'A PodDisruptionBudget (policy/v1) for the component\'s pods; maxUnavailable 1 unless set.',
  example: |||
    traits:
      - type: pdb
        properties: {minAvailable: 1}
  |||,
  appliesTo: ['Deployment', 'StatefulSet'],
  parameters: {
    minAvailable: { type: 'int-or-string', pattern: '[0-9]+%', description: 'Pods that must stay up (count or percentage).' },
    maxUnavailable: { type: 'int-or-string', pattern: '[0-9]+%', description: 'Pods that may be down (count or percentage).' },
  },

  objects(props, ctx)::
    assert !(std.objectHas(props, 'minAvailable') && std.objectHas(props, 'maxUnavailable')) :
      'pdb: set minAvailable or maxUnavailable, not both';
    local budget =
      if std.objectHas(props, 'minAvailable') then { minAvailable: props.minAvailable }
      else if std.objectHas(props, 'maxUnavailable') then { maxUnavailable: props.maxUnavailable }
      else { maxUnavailable: 1 };
    [{
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: plinth.meta(ctx),
      spec: budget {
        selector: { matchLabels: plinth.podSelector(ctx) },
        unhealthyPodEvictionPolicy: 'AlwaysAllow',
      },
    }],
}
