// A single-NameNode HDFS on plain StatefulSets (apache/hadoop image): configuration, a NameNode
// and a DataNode StatefulSet with one volume per pod, their headless Services and the DataNodes'
// PodDisruptionBudget. DataNodes register by hostname because pod IPs change. Metrics come
// from Hadoop's Prometheus endpoint (/prom on the HTTP ports). For HA HDFS use an operator
// (Stackable) through k8s-objects or a user-defined type.
local plinth = import '../lib/plinth.libsonnet';

{
  description: 'HDFS with one NameNode and N DataNodes: StatefulSets with persistent volumes, headless Services, PodDisruptionBudgets, Prometheus metrics.',
  example: |||
    components:
      - name: hdfs
        type: hdfs
        properties:
          namenode: {storage: {size: 50Gi}}
          datanodes: {replicas: 3, storage: {size: 1Ti, class: hdd}}
          replication: 3
  |||,
  // the ports a declared use reaches when it names none: NameNode RPC and DataNode data transfer
  listens:: [{ port: 8020 }, { port: 9866 }],
  parameters: {
    image: { type: 'string', default: 'apache/hadoop:3.4.1' },
    replication: { type: 'integer', default: 3, minimum: 1, description: 'dfs.replication; at most the DataNodes.' },
    namenode: {
      type: 'object',
      properties: {
        storage: { type: 'object', properties: { size: { type: 'quantity', default: '50Gi' }, class: { type: 'string' } } },
        resources: plinth.params.resources {
          properties+: { requests+: { default: { cpu: '500m', memory: '2Gi' } } },
        },
      },
    },
    datanodes: {
      type: 'object',
      properties: {
        replicas: { type: 'integer', default: 3, minimum: 1 },
        storage: { type: 'object', properties: { size: { type: 'quantity', default: '500Gi' }, class: { type: 'string' } } },
        resources: plinth.params.resources {
          properties+: { requests+: { default: { cpu: '500m', memory: '2Gi' } } },
        },
      },
    },
    config: { type: 'map', values: { type: 'string' }, default: {}, description: 'More hdfs-site.xml properties.' },
    env: plinth.params.env { description: super.description + ' Of every HDFS container (NameNode, DataNodes and the NameNode\'s format step).' },
    envFrom: plinth.params.envFrom { description: super.description + ' Of every HDFS container, as env.' },
    volumes: plinth.params.volumes { description: super.description + ' In every HDFS container, as env.' },
  },

  render(ctx, props)::
    assert props.replication <= props.datanodes.replicas :
      'properties.replication: ' + props.replication + ' copies of each block need at least ' + props.replication
      + ' DataNodes, there are ' + props.datanodes.replicas;
    local nn = ctx.name + '-namenode';
    local dn = ctx.name + '-datanode';
    local conf = ctx.name + '-conf';
    local property(k, v) = '  <property><name>' + k + '</name><value>' + v + '</value></property>\n';
    local xml(m) = '<configuration>\n' + std.join('', [property(k, m[k]) for k in std.objectFields(m)]) + '</configuration>\n';
    local core = {
      'fs.defaultFS': 'hdfs://' + nn + '-0.' + nn + '.' + ctx.namespace + '.svc:8020',
      'hadoop.prometheus.endpoint.enabled': 'true',
    };
    local site = {
      'dfs.namenode.name.dir': '/data/nn',
      'dfs.datanode.data.dir': '/data/dn',
      'dfs.replication': std.toString(props.replication),
      'dfs.namenode.datanode.registration.ip-hostname-check': 'false',
      'dfs.client.use.datanode.hostname': 'true',
      'dfs.datanode.use.datanode.hostname': 'true',
      'dfs.permissions.superusergroup': 'hadoop',
    } + props.config;
    local labels(role) = ctx.labels { 'app.kubernetes.io/component': role };
    local selector(role) = ctx.selector { 'app.kubernetes.io/component': role };
    local mounts = [{ name: 'conf', mountPath: '/etc/hadoop-conf', readOnly: true }, { name: 'data', mountPath: '/data' }];
    local creds = plinth.credentialVolumes(props, { names: [m.name for m in mounts], paths: [m.mountPath for m in mounts] });
    local container(role, command, ports, res) = plinth.container(ctx { name: role },
      props { env: { HADOOP_CONF_DIR: '/etc/hadoop-conf', HADOOP_LOG_DIR: '/tmp/logs' } + props.env, resources: res, command: command },
      ports=ports, extra={ volumeMounts+: mounts });
    local statefulSet(name, role, replicas, storage, containers, init, extra) = {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: plinth.meta(ctx, name, labels={ 'app.kubernetes.io/component': role }),
      spec: {
        replicas: replicas,
        serviceName: name,
        podManagementPolicy: 'Parallel',
        selector: { matchLabels: selector(role) },
        persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
        template: {
          metadata: { labels: labels(role), annotations: { 'plinth.dev/config-checksum': std.md5(xml(core) + xml(site)) } },
          spec: plinth.podSpec(containers, volumes=[{ name: 'conf', configMap: { name: conf } }] + creds.volumes, fsGroup=1000,
                               extra={ initContainers: init } + extra) {
            // the image's user is named (hadoop): the kubelet needs the number to check non-root
            securityContext+: { runAsUser: 1000, runAsGroup: 1000 },
          },
        },
        volumeClaimTemplates: [{
          metadata: { name: 'data', labels: labels(role) },
          spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: storage.size } } }
                + (if std.objectHas(storage, 'class') then { storageClassName: storage.class } else {}),
        }],
      },
    };
    local service(name, role, ports) = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: plinth.meta(ctx, name, labels={ 'app.kubernetes.io/component': role }),
      spec: { clusterIP: 'None', publishNotReadyAddresses: true, selector: selector(role), ports: ports },
    };
    local pdb(name, role) = {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: plinth.meta(ctx, name, labels={ 'app.kubernetes.io/component': role }),
      spec: { maxUnavailable: 1, selector: { matchLabels: selector(role) }, unhealthyPodEvictionPolicy: 'AlwaysAllow' },
    };
    local nnPorts = [{ name: 'rpc', containerPort: 8020, protocol: 'TCP' }, { name: 'http', containerPort: 9870, protocol: 'TCP' }];
    local dnPorts = [
      { name: 'data', containerPort: 9866, protocol: 'TCP' },
      { name: 'http', containerPort: 9864, protocol: 'TCP' },
      { name: 'ipc', containerPort: 9867, protocol: 'TCP' },
    ];
    [
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: plinth.meta(ctx, conf), data: { 'core-site.xml': xml(core), 'hdfs-site.xml': xml(site) } },
      statefulSet(nn, 'namenode', 1, props.namenode.storage,
        [container('namenode', ['hdfs', 'namenode'], nnPorts, props.namenode.resources) {
          readinessProbe: { tcpSocket: { port: 'rpc' }, periodSeconds: 10, timeoutSeconds: 2 },
          livenessProbe: { tcpSocket: { port: 'rpc' }, initialDelaySeconds: 60, periodSeconds: 20, timeoutSeconds: 2 },
        }],
        // format the name directory once, on first start
        [container('format', ['bash', '-c', '[ -f /data/nn/current/VERSION ] || hdfs namenode -format -nonInteractive -clusterid ' + ctx.namespace + '-' + ctx.name],
                   [], props.namenode.resources)],
        {}),
      service(nn, 'namenode', [{ name: 'rpc', port: 8020, targetPort: 'rpc' }, { name: 'http', port: 9870, targetPort: 'http' }]),
      // no PDB for the single NameNode: it could only block every drain or protect nothing
      statefulSet(dn, 'datanode', props.datanodes.replicas, props.datanodes.storage,
        [container('datanode', ['hdfs', 'datanode'], dnPorts, props.datanodes.resources) {
          readinessProbe: { tcpSocket: { port: 'data' }, periodSeconds: 10, timeoutSeconds: 2 },
          livenessProbe: { tcpSocket: { port: 'data' }, initialDelaySeconds: 60, periodSeconds: 20, timeoutSeconds: 2 },
        }],
        [],
        {
          affinity: { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{
            weight: 100,
            podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: selector('datanode') } },
          }] } },
        }),
      service(dn, 'datanode', [
        { name: 'data', port: 9866, targetPort: 'data' },
        { name: 'http', port: 9864, targetPort: 'http' },
        { name: 'ipc', port: 9867, targetPort: 'ipc' },
      ]),
      pdb(dn, 'datanode'),
    ],
}
