package dev.plinth.check;

import dev.plinth.render.RenderedObject;

import java.util.List;
import java.util.Map;

/**
 * Workloads in a tenant whose {@code podSecurity} is {@code restricted} meet the Pod Security
 * Standards' restricted profile, so the namespace's admission does not reject their pods later,
 * at sync time. Baseline tenants get the baseline subset (no privileged containers, host
 * namespaces or host paths).
 */
final class PodSecurityCheck implements NamespaceCheck {
    @Override
    public String id() {
        return "pod-security";
    }


    @Override
    public void check(NamespaceView namespace, CheckContext context, Findings findings) {
        for (RenderedObject o : namespace.objects()) {
            Workloads.PodTemplate pod = Workloads.podTemplate(o);
            if (pod == null || o.tenant() == null) continue;
            String level = level(namespace, o.tenant());
            if (level.equals("privileged")) continue;
            Map<String, Object> spec = pod.spec();
            for (String host : List.of("hostNetwork", "hostPID", "hostIPC")) {
                if (Boolean.TRUE.equals(spec.get(host))) {
                    findings.error(id(), o, pod.specPath() + "." + host, host + " is not allowed at Pod Security level " + level, null);
                }
            }
            List<Object> volumes = Workloads.list(spec.get("volumes"));
            for (int i = 0; i < volumes.size(); i++) {
                if (Workloads.map(volumes.get(i)).containsKey("hostPath")) {
                    findings.error(id(), o, pod.specPath() + ".volumes[" + i + "].hostPath",
                            "hostPath volumes are not allowed at Pod Security level " + level, null);
                }
            }
            Map<String, Object> podSc = Workloads.map(spec.get("securityContext"));
            for (Workloads.Container c : Workloads.containers(pod)) {
                Map<String, Object> sc = Workloads.map(c.body().get("securityContext"));
                String scPath = c.path() + ".securityContext";
                if (Boolean.TRUE.equals(sc.get("privileged"))) {
                    findings.error(id(), o, scPath + ".privileged", "container " + c.name() + " is privileged", null);
                }
                if (!level.equals("restricted")) continue;
                if (!Boolean.FALSE.equals(sc.get("allowPrivilegeEscalation"))) {
                    findings.error(id(), o, scPath + ".allowPrivilegeEscalation", "container " + c.name()
                            + " must set allowPrivilegeEscalation: false (restricted)", null);
                }
                List<Object> drop = Workloads.list(Workloads.map(sc.get("capabilities")).get("drop"));
                if (!drop.contains("ALL")) {
                    findings.error(id(), o, scPath + ".capabilities.drop", "container " + c.name()
                            + " must drop ALL capabilities (restricted)", null);
                }
                for (Object add : Workloads.list(Workloads.map(sc.get("capabilities")).get("add"))) {
                    if (!"NET_BIND_SERVICE".equals(add)) {
                        findings.error(id(), o, scPath + ".capabilities.add", "container " + c.name() + " adds capability "
                                + add + "; restricted allows only NET_BIND_SERVICE", null);
                    }
                }
                // the container's setting wins over the pod's, as the kubelet and Pod Security read them
                Object nonRoot = sc.containsKey("runAsNonRoot") ? sc.get("runAsNonRoot") : podSc.get("runAsNonRoot");
                if (!Boolean.TRUE.equals(nonRoot)) {
                    findings.error(id(), o, scPath + ".runAsNonRoot", "container " + c.name()
                            + " must run as non-root: set runAsNonRoot: true (restricted)", null);
                }
                Object uid = sc.containsKey("runAsUser") ? sc.get("runAsUser") : podSc.get("runAsUser");
                if (uid instanceof Number n && n.longValue() == 0) {
                    findings.error(id(), o, scPath + ".runAsUser", "container " + c.name() + " runs as user 0 (restricted)", null);
                }
                String seccomp = String.valueOf(Workloads.map(sc.containsKey("seccompProfile") ? sc.get("seccompProfile")
                        : podSc.get("seccompProfile")).get("type"));
                if (!seccomp.equals("RuntimeDefault") && !seccomp.equals("Localhost")) {
                    findings.error(id(), o, scPath + ".seccompProfile", "container " + c.name()
                            + " needs seccompProfile RuntimeDefault or Localhost (restricted)", null);
                }
            }
        }
    }

    private static String level(NamespaceView namespace, String tenant) {
        return namespace.plan().tenants().stream().filter(t -> t.name().equals(tenant)).findFirst()
                .map(t -> String.valueOf(t.spec().get("podSecurity"))).orElse("restricted");
    }
}
