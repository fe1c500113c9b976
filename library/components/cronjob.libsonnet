// A scheduled batch task: a CronJob.
local plinth = import '../lib/plinth.libsonnet';

{
  description: 'A scheduled task: a CronJob whose pods run to completion under a restricted security context.',
  example: |||
    components:
      - name: compaction
        type: cronjob
        properties:
          image: registry.example.com/clickstream/compaction:1.1.0
          schedule: "30 2 * * *"
          timeZone: Etc/UTC
          command: ["/app/compact", "--older-than=24h"]
  |||,
  parameters: {
    image: plinth.params.image,
    schedule: { type: 'string', required: true, description: 'Cron schedule, e.g. "0 2 * * *".' },
    timeZone: { type: 'string', description: 'IANA time zone of the schedule (default: the controller\'s, usually UTC).' },
    command: plinth.params.command,
    args: plinth.params.args,
    env: plinth.params.env,
    envFrom: plinth.params.envFrom,
    volumes: plinth.params.volumes,
    resources: plinth.params.resources,
    concurrencyPolicy: { type: 'string', enum: ['Allow', 'Forbid', 'Replace'], default: 'Forbid' },
    backoffLimit: { type: 'integer', default: 2, minimum: 0, description: 'Retries of a failed run.' },
    activeDeadlineSeconds: { type: 'integer', minimum: 1, description: 'Kill a run that takes longer.' },
    suspend: { type: 'boolean', default: false },
    successfulJobsHistoryLimit: { type: 'integer', default: 3, minimum: 0 },
    failedJobsHistoryLimit: { type: 'integer', default: 3, minimum: 0 },
  },

  render(ctx, props)::
    local creds = plinth.credentialVolumes(props);
    [
      {
        apiVersion: 'batch/v1',
        kind: 'CronJob',
        metadata: plinth.meta(ctx),
        spec: {
          schedule: props.schedule,
          concurrencyPolicy: props.concurrencyPolicy,
          suspend: props.suspend,
          successfulJobsHistoryLimit: props.successfulJobsHistoryLimit,
          failedJobsHistoryLimit: props.failedJobsHistoryLimit,
          jobTemplate: {
            metadata: { labels: ctx.labels },
            spec: {
              backoffLimit: props.backoffLimit,
              template: {
                metadata: { labels: ctx.labels },
                spec: plinth.podSpec([plinth.container(ctx, props)], volumes=creds.volumes, extra={ restartPolicy: 'OnFailure' }),
              },
            } + (if std.objectHas(props, 'activeDeadlineSeconds') then { activeDeadlineSeconds: props.activeDeadlineSeconds } else {}),
          },
        } + (if std.objectHas(props, 'timeZone') then { timeZone: props.timeZone } else {}),
      },
    ],
}
