// Log collection with the Logging Operator: a Flow selecting the component's pods, sent to
// the platform's ClusterOutput.
local plinth = import '../lib/plinth.libsonnet';

{
  description: 'Log collection for the component\'s pods: a Logging Operator Flow to a platform ClusterOutput.',
  example: |||
    traits:
      - type: logs
        properties: {parser: json, exclude: ["GET /healthz"]}
  |||,
  parameters: {
    output: { type: 'string', description: 'ClusterOutput name (default: platform.yaml spec.logging.output).' },
    parser: { type: 'string', enum: ['none', 'json', 'logfmt'], default: 'none', description: 'Parse each line as.' },
    exclude: { type: 'array', items: { type: 'string' }, default: [], description: 'Regexes matched against the whole log line as the container wrote it (the `message` field, before the parser): matching lines are dropped.' },
  },

  objects(props, ctx)::
    local output = if std.objectHas(props, 'output') then props.output else ctx.platform.logging.output;
    local parser =
      if props.parser == 'none' then []
      else [{ parser: { remove_key_name_field: true, reserve_data: true, parse: { type: props.parser } } }];
    local grep =
      if std.length(props.exclude) == 0 then []
      else [{ grep: { exclude: [{ key: 'message', pattern: '/' + p + '/' } for p in props.exclude] } }];
    [{
      apiVersion: 'logging.banzaicloud.io/v1beta1',
      kind: 'Flow',
      metadata: plinth.meta(ctx),
      spec: {
        // operator-managed types (Kafka, Flink) name the labels of the pods their operator makes
        match: [{ select: { labels: plinth.podSelector(ctx) } }],
        // Flow filters run in list order: excludes see the raw line in `message`, which the
        // parser removes (remove_key_name_field) once it has parsed it
        filters: [{ tag_normaliser: {} }] + grep + parser,
        globalOutputRefs: [output],
      },
    }],
}
