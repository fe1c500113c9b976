// Where and how the component's pods are scheduled: Volcano queue, priority, node selection.
local plinth = import '../lib/plinth.libsonnet';

{
  description: 'Patches the pod template: Volcano queue (schedulerName volcano), priority class, node selector and tolerations.',
  example: |||
    traits:
      - type: scheduling
        properties:
          queue: tenant                     # the tenant's Volcano queue
          priorityClass: batch-low
          nodeSelector: {node.example.com/pool: batch}
          tolerations: [{key: dedicated, operator: Equal, value: batch, effect: NoSchedule}]
  |||,
  appliesTo: ['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob'],
  parameters: {
    queue: { type: 'string', description: 'Volcano queue; "tenant" means the tenant\'s own queue.' },
    priorityClass: { type: 'string' },
    nodeSelector: { type: 'map', values: { type: 'string' } },
    tolerations: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          key: { type: 'string' },
          operator: { type: 'string', enum: ['Exists', 'Equal'], default: 'Equal' },
          value: { type: 'string' },
          effect: { type: 'string', enum: ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] },
          tolerationSeconds: { type: 'integer' },
        },
      },
    },
  },

  local checkToleration(t) =
    assert !(std.objectHas(t, 'value') && t.operator == 'Exists') : 'scheduling: a toleration with operator Exists takes no value';
    assert !std.objectHas(t, 'tolerationSeconds') || (std.objectHas(t, 'effect') && t.effect == 'NoExecute') :
      'scheduling: tolerationSeconds needs effect NoExecute';
    t,

  patch(obj, props, ctx)::
    assert !std.objectHas(props, 'queue') || props.queue != 'tenant' || ctx.tenantQueue != null :
      'scheduling: queue "tenant" but tenant ' + ctx.tenant + ' has no queue (set spec.queue on the tenant)';
    local queue = if !std.objectHas(props, 'queue') then null
                  else if props.queue == 'tenant' then ctx.tenantQueue else props.queue;
    local tolerations = if std.objectHas(props, 'tolerations') then [checkToleration(t) for t in props.tolerations] else [];
    plinth.patchPod(obj, function(t)
      (if queue != null then { metadata+: { annotations+: { 'scheduling.volcano.sh/queue-name': queue } } } else {})
      + { spec+: (if queue != null then { schedulerName: 'volcano' } else {})
                 + (if std.objectHas(props, 'priorityClass') then { priorityClassName: props.priorityClass } else {})
                 + (if std.objectHas(props, 'nodeSelector') then { nodeSelector: props.nodeSelector } else {})
                 + (if std.objectHas(props, 'tolerations') then { tolerations: tolerations } else {}) }),
}
