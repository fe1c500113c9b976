// A standalone Hive Metastore on an external database: Deployment and Service, and a schema Job
// that initialises or upgrades the database schema before the metastore starts. The database
// password comes from a Secret into an environment variable that hive-site.xml references
// (${env.HIVE_METASTORE_DB_PASSWORD}); it is never inline, never in SERVICE_OPTS (the image's
// entrypoint runs with `set -x` and would log it) and never on a command line.
local plinth = import '../lib/plinth.libsonnet';

{
  description: 'A Hive Metastore (Deployment, Service, schema Job) on an external database, the password read from a Secret at run time.',
  example: |||
    components:
      - name: metastore
        type: hive-metastore
        properties:
          image: registry.example.com/platform/hive:4.1.0-pg
          database:
            url: jdbc:postgresql://hms-db.ops.svc:5432/metastore
            user: hive
            passwordSecret: {name: hms-db, key: password}
          warehouseDir: s3a://warehouse/
  |||,
  // the ports a declared use reaches when it names none: Thrift
  listens:: [{ port: 9083 }],
  parameters: {
    image: { type: 'string', required: true, description: 'Hive image with the JDBC driver of the database (apache/hive does not ship the Postgres driver).' },
    database: {
      type: 'object',
      required: true,
      properties: {
        type: { type: 'string', enum: ['postgres', 'mysql', 'mssql', 'oracle'], default: 'postgres', description: 'schematool -dbType.' },
        url: { type: 'string', required: true, pattern: 'jdbc:.+', description: 'JDBC URL.' },
        user: { type: 'string', required: true },
        passwordSecret: {
          type: 'object',
          required: true,
          description: 'The Secret holding the password (declare it in spec.external.secrets).',
          properties: { name: { type: 'string', required: true }, key: { type: 'string', default: 'password' } },
        },
      },
    },
    warehouseDir: { type: 'string', required: true, description: 'metastore.warehouse.dir, e.g. s3a://warehouse/.' },
    replicas: { type: 'integer', default: 2, minimum: 1 },
    resources: plinth.params.resources {
      properties+: {
        requests+: { default: { cpu: '500m', memory: '2Gi' } },
      },
    },
    env: plinth.params.env { description: 'Environment variables of the metastore (not of the schema Job, whose pod template cannot change). ' + super.description },
    envFrom: plinth.params.envFrom { description: super.description + ' Metastore only, as env.' },
    volumes: plinth.params.volumes { description: super.description + ' Metastore only, as env.' },
    metricsPort: { type: 'integer', default: 9404, description: 'Port of the JMX exporter agent the image runs (JAVA_TOOL_OPTIONS).' },
    config: { type: 'map', values: { type: 'string' }, default: {}, description: 'More hive-site.xml properties.' },
  },

  render(ctx, props)::
    local db = props.database;
    local property(k, v) = '  <property><name>' + k + '</name><value>' + v + '</value></property>\n';
    local driver = {
      postgres: 'org.postgresql.Driver', mysql: 'com.mysql.cj.jdbc.Driver',
      mssql: 'com.microsoft.sqlserver.jdbc.SQLServerDriver', oracle: 'oracle.jdbc.OracleDriver',
    }[db.type];
    local settings = {
      'javax.jdo.option.ConnectionDriverName': driver,
      'javax.jdo.option.ConnectionURL': db.url,
      'javax.jdo.option.ConnectionUserName': db.user,
      'javax.jdo.option.ConnectionPassword': '${env.HIVE_METASTORE_DB_PASSWORD}',
      'metastore.warehouse.dir': props.warehouseDir,
      'metastore.thrift.port': '9083',
      'metastore.metrics.enabled': 'true',
    } + props.config;
    local siteXml = '<configuration>\n' + std.join('', [property(k, settings[k]) for k in std.objectFields(settings)]) + '</configuration>\n';
    local cm = ctx.name + '-site';
    local passwordEnv = {
      name: 'HIVE_METASTORE_DB_PASSWORD',
      valueFrom: { secretKeyRef: { name: db.passwordSecret.name, key: db.passwordSecret.key } },
    };
    local tag = local parts = std.split(props.image, ':'); if std.length(parts) > 1 then parts[std.length(parts) - 1] else 'latest';
    // the image's user is named (hive, uid 1000): the kubelet needs the number to check non-root
    local runAsHive(spec) = spec { securityContext+: { runAsUser: 1000, runAsGroup: 1000 } };
    local confMount = { name: 'site', mountPath: '/opt/hive/conf/hive-site.xml', subPath: 'hive-site.xml', readOnly: true };
    local creds = plinth.credentialVolumes(props, { names: ['site'], paths: [confMount.mountPath] });
    local container(name, extra) = plinth.container(ctx { name: name }, { image: props.image, env: {}, resources: props.resources }, extra=extra {
      securityContext: plinth.containerSecurityContext { readOnlyRootFilesystem: false },  // the entrypoint links conf files
    });
    [
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: plinth.meta(ctx, cm), data: { 'hive-site.xml': siteXml } },
      {
        // schema init/upgrade before the metastore (Argo CD sync wave -1); the name carries the
        // image tag because a Job's pod template cannot change
        apiVersion: 'batch/v1',
        kind: 'Job',
        metadata: plinth.meta(ctx, ctx.name + '-schema-' + std.substr(std.md5(tag), 0, 8),
                              annotations={ 'argocd.argoproj.io/sync-wave': '-1' }),
        spec: {
          backoffLimit: 3,
          template: {
            metadata: { labels: ctx.labels { 'app.kubernetes.io/name': ctx.name + '-schema' } },
            spec: runAsHive(plinth.podSpec([container('schematool', {
              command: ['/opt/hive/bin/schematool', '-dbType', db.type, '-initOrUpgradeSchema'],
              env: [passwordEnv],
              volumeMounts+: [confMount],
            })], volumes=[{ name: 'site', configMap: { name: cm } }], extra={ restartPolicy: 'OnFailure' })),
          },
        },
      },
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: plinth.meta(ctx),
        spec: {
          replicas: props.replicas,
          revisionHistoryLimit: 5,
          selector: { matchLabels: ctx.selector },
          template: {
            metadata: { labels: ctx.labels, annotations: { 'plinth.dev/config-checksum': std.md5(siteXml) } },
            spec: runAsHive(plinth.podSpec([container('metastore', {
              env: [
                { name: 'SERVICE_NAME', value: 'metastore' },
                { name: 'DB_DRIVER', value: db.type },
                { name: 'IS_RESUME', value: 'true' },  // the schema Job owns the schema
                passwordEnv,
              ],
              ports: [
                { name: 'thrift', containerPort: 9083, protocol: 'TCP' },
                { name: 'metrics', containerPort: props.metricsPort, protocol: 'TCP' },
              ],
              readinessProbe: { tcpSocket: { port: 'thrift' }, periodSeconds: 10, timeoutSeconds: 2 },
              livenessProbe: { tcpSocket: { port: 'thrift' }, initialDelaySeconds: 60, periodSeconds: 20, timeoutSeconds: 2 },
              volumeMounts+: [confMount],
            } + plinth.containerRefs(props))], volumes=[{ name: 'site', configMap: { name: cm } }] + creds.volumes)),
          },
        },
      },
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: plinth.meta(ctx),
        spec: {
          selector: ctx.selector,
          ports: [
            { name: 'thrift', port: 9083, targetPort: 'thrift', protocol: 'TCP' },
            { name: 'metrics', port: props.metricsPort, targetPort: 'metrics', protocol: 'TCP' },
          ],
        },
      },
    ],
}
