package dev.plinth.check.api;

import org.junit.jupiter.api.Test;

import static dev.plinth.check.api.ApiValidationTestSupport.accepted;
import static dev.plinth.check.api.ApiValidationTestSupport.rejected;

/** Object meta and the core kinds, with cases from kubernetes pkg/apis/core/validation/validation_test.go and apimachinery's objectmeta tests. */
class ApiValidationCoreTest {
    @Test
    void namesPerKind() { // TestValidateObjectMetaNamespaces, TestValidateNamespace, TestValidateService "invalid name"
        accepted("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: my.config-map, namespace: ns}\n");
        rejected("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: Not_Valid, namespace: ns}\n", "metadata.name", "RFC 1123 subdomain");
        accepted("apiVersion: v1\nkind: Namespace\nmetadata: {name: abc-123}\n");
        rejected("apiVersion: v1\nkind: Namespace\nmetadata: {name: abc.def}\n", "metadata.name", "RFC 1123 label");
        accepted("apiVersion: v1\nkind: Service\nmetadata: {name: abc-123, namespace: ns}\nspec: {ports: [{port: 80}]}\n");
        rejected("apiVersion: v1\nkind: Service\nmetadata: {name: 1abc, namespace: ns}\nspec: {ports: [{port: 80}]}\n", "metadata.name", "DNS-1035 label");
        rejected("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm, namespace: Foo}\n", "metadata.namespace", "RFC 1123 label");
        // custom resources: DNS subdomains, as the apiextensions-apiserver validates them
        rejected("apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: Big_Widget, namespace: ns}\n", "metadata.name", "subdomain");
    }

    @Test
    void labelsAndAnnotations() { // TestValidateLabels, TestValidateAnnotations (apimachinery objectmeta_test.go)
        accepted("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm, labels: {simple: bar, now-with-dashes: bar, 1-starts-with-num: bar, "
                + "example.com/now-with-dashes: bar, k: ''}, annotations: {example.com/Any-Value: 'anything goes: spaces, /slashes/'}}\n");
        rejected("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm, labels: {nospecialchars^=@: bar}}\n", "metadata.labels", "name part");
        rejected("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm, labels: {only/one/slash: bar}}\n", "metadata.labels", "name part");
        rejected("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm, labels: {a: 'bar baz'}}\n", "metadata.labels.a", "a valid label");
        rejected("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm, labels: {a: " + "x".repeat(64) + "}}\n", "metadata.labels.a", "no more than 63");
        rejected("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm, annotations: {'a/b/c': x}}\n", "metadata.annotations", "name part");
        rejected("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm, annotations: {a: " + "x".repeat(256 * 1024) + "}}\n",
                "metadata.annotations", "Too long: may not be more than 262144 bytes");
    }

    @Test
    void configMaps() { // TestValidateConfigMap: "invalid key", "leading .. key", "duplicate key in data and binaryData", "over size"
        accepted("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\ndata: {key: value, .dotfile: x, key_name: y}\nbinaryData: {bin: AQID}\n");
        rejected("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\ndata: {'my key': value}\n", "data.my key", "a valid config key");
        rejected("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\ndata: {..dotfile: x}\n", "data...dotfile", "must not start with '..'");
        rejected("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\ndata: {key: x}\nbinaryData: {key: AQID}\n", "binaryData.key", "duplicate of key present in data");
        rejected("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\ndata: {big: " + "x".repeat(1024 * 1024 + 1) + "}\n", "", "Too long");
    }

    @Test
    void secrets() { // TestValidateSecret: "invalid key", "tls secret missing tls.key", "basic-auth without username or password"
        accepted("apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ntype: kubernetes.io/tls\ndata: {tls.crt: AQID, tls.key: AQID}\n");
        rejected("apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata: {'a b': AQID}\n", "data.a b", "a valid config key");
        rejected("apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ntype: kubernetes.io/tls\ndata: {tls.crt: AQID}\n", "data.tls.key", "Required value");
        rejected("apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ntype: kubernetes.io/basic-auth\nstringData: {user: x}\n", "data.username", "Required value");
    }

    private static String service(String spec) {
        return "apiVersion: v1\nkind: Service\nmetadata: {name: svc, namespace: ns}\nspec:\n" + spec.indent(2);
    }

    @Test
    void services() { // TestValidateService: "missing port name with >1 ports", "invalid port name", "dup port name", "invalid port", "invalid targetPort", "nodePort for ClusterIP", "clusterIP None for NodePort"
        accepted(service("selector: {app: web}\nports: [{name: http, port: 80, targetPort: http}, {name: https, port: 443, targetPort: 8443, protocol: TCP}]"));
        accepted(service("clusterIP: None\nselector: {app: web}"));
        accepted(service("type: NodePort\nports: [{port: 80, nodePort: 30080}]"));
        rejected(service("ports: [{name: http, port: 80}, {port: 81}]"), "spec.ports[1].name", "Required value");
        rejected(service("ports: [{name: Http, port: 80}]"), "spec.ports[0].name", "RFC 1123 label");
        rejected(service("ports: [{name: http, port: 80}, {name: http, port: 81}]"), "spec.ports[1].name", "Duplicate value");
        rejected(service("ports: [{name: http, port: 65536}]"), "spec.ports[0].port", "between 1 and 65535");
        rejected(service("ports: [{name: http, port: 80, targetPort: 65536}]"), "spec.ports[0].targetPort", "between 1 and 65535");
        rejected(service("ports: [{name: http, port: 80, targetPort: web--ui}]"), "spec.ports[0].targetPort", "consecutive hyphens");
        rejected(service("ports: [{name: http, port: 80, protocol: HTTP}]"), "spec.ports[0].protocol", "Unsupported value");
        rejected(service("ports: [{name: http, port: 80, nodePort: 30080}]"), "spec.ports[0].nodePort", "may not be used when `type` is 'ClusterIP'");
        rejected(service("type: NodePort\nclusterIP: None\nports: [{port: 80}]"), "spec.clusterIP", "may not be set to 'None' for NodePort services");
        rejected(service("type: Balancer\nports: [{port: 80}]"), "spec.type", "Unsupported value");
        rejected(service("selector: {app: web}"), "spec.ports", "Required value");
        rejected(service("ports: [{name: a, port: 80}, {name: b, port: 80}]"), "spec.ports[1]", "Duplicate value '80/TCP'");
    }

    @Test
    void resourceQuotas() { // TestValidateResourceQuota: "invalid resource name", "negative quantity", "invalid scope"
        accepted("apiVersion: v1\nkind: ResourceQuota\nmetadata: {name: q}\nspec: {hard: {requests.cpu: '64', limits.memory: 128Gi, pods: '100', "
                + "count/deployments.apps: '10', requests.storage: 1Ti, gold.storageclass.storage.k8s.io/requests.storage: 10Gi, requests.example.com/gpu: '4'}}\n");
        rejected("apiVersion: v1\nkind: ResourceQuota\nmetadata: {name: q}\nspec: {hard: {cpus: '4'}}\n", "spec.hard", "must be a standard resource for quota");
        rejected("apiVersion: v1\nkind: ResourceQuota\nmetadata: {name: q}\nspec: {hard: {pods: '-1'}}\n", "spec.hard.pods", "greater than or equal to 0");
        rejected("apiVersion: v1\nkind: ResourceQuota\nmetadata: {name: q}\nspec: {hard: {pods: '1'}, scopes: [Sometimes]}\n", "spec.scopes[0]", "Unsupported value");
    }

    @Test
    void limitRanges() { // TestValidateLimitRange: "min value greater than max", "default request greater than default limit", "default on Pod type", "duplicate type"
        accepted("apiVersion: v1\nkind: LimitRange\nmetadata: {name: l}\nspec: {limits: [{type: Container, min: {memory: 64Mi}, max: {memory: 4Gi}, "
                + "defaultRequest: {memory: 128Mi}, default: {memory: 256Mi}, maxLimitRequestRatio: {memory: '4'}}, {type: Pod, max: {cpu: '4'}}]}\n");
        rejected("apiVersion: v1\nkind: LimitRange\nmetadata: {name: l}\nspec: {limits: [{type: Container, min: {cpu: '2'}, max: {cpu: '1'}}]}\n",
                "spec.limits[0].min.cpu", "min value 2 is greater than max value 1");
        rejected("apiVersion: v1\nkind: LimitRange\nmetadata: {name: l}\nspec: {limits: [{type: Container, defaultRequest: {memory: 1Gi}, default: {memory: 512Mi}}]}\n",
                "spec.limits[0].defaultRequest.memory", "is greater than default limit value");
        rejected("apiVersion: v1\nkind: LimitRange\nmetadata: {name: l}\nspec: {limits: [{type: Container, max: {memory: 1Gi}, default: {memory: 2Gi}}]}\n",
                "spec.limits[0].default.memory", "default value 2Gi is greater than max value 1Gi");
        rejected("apiVersion: v1\nkind: LimitRange\nmetadata: {name: l}\nspec: {limits: [{type: Pod, default: {cpu: '1'}}]}\n",
                "spec.limits[0].default", "may not be specified when `type` is 'Pod'");
        rejected("apiVersion: v1\nkind: LimitRange\nmetadata: {name: l}\nspec: {limits: [{type: Container}, {type: Container}]}\n",
                "spec.limits[1].type", "Duplicate value");
        rejected("apiVersion: v1\nkind: LimitRange\nmetadata: {name: l}\nspec: {limits: [{type: Container, min: {cpu: 100m}, max: {cpu: 200m}, maxLimitRequestRatio: {cpu: '3'}}]}\n",
                "spec.limits[0].maxLimitRequestRatio.cpu", "is greater than max/min = 2");
    }

    @Test
    void persistentVolumeClaims() { // TestValidatePersistentVolumeClaim: "missing-access-modes", "missing storage request", "zero storage"
        accepted("apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: c}\nspec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}\n");
        rejected("apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: c}\nspec: {resources: {requests: {storage: 1Gi}}}\n", "spec.accessModes", "Required value");
        rejected("apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: c}\nspec: {accessModes: [ReadWriteOnce]}\n", "spec.resources.requests.storage", "Required value");
        rejected("apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: c}\nspec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: '0'}}}\n",
                "spec.resources.requests.storage", "must be greater than zero");
    }
}
