package dev.plinth.check;

import dev.plinth.check.k8s.KubeVersions;

import dev.plinth.check.k8s.ApiVersions;
import dev.plinth.render.RenderedObject;

/**
 * The cluster's Kubernetes version decides which built-in apiVersions exist: a removed one is an
 * error, a deprecated one a warning naming the replacement, one newer than the cluster an error.
 */
final class ApiVersionCheck implements ObjectCheck {
    @Override
    public String id() {
        return "api-version";
    }

    @Override
    public void check(RenderedObject o, String kubeVersion, CheckContext context, Findings findings) {
        int minor = minor(kubeVersion);
        ApiVersions.Entry e = context.apiVersions().lifecycle(o.apiVersion(), o.kind()).orElse(null);
        if (e != null && minor >= e.removed()) {
            findings.error(id(), o, "apiVersion", o.apiVersion() + " " + o.kind() + " was removed in Kubernetes 1."
                    + e.removed() + " and the cluster runs " + kubeVersion + "; use " + e.replacement(), o.apiVersion());
            return;
        }
        if (e != null && minor >= e.deprecated()) {
            findings.warning(id(), o, "apiVersion", o.apiVersion() + " " + o.kind() + " is deprecated since Kubernetes 1."
                    + e.deprecated() + " and removed in 1." + e.removed() + "; use " + e.replacement(), o.apiVersion());
        }
        Integer since = context.apiVersions().introduced(o.apiVersion(), o.kind()).orElse(null);
        if (since != null && minor < since) {
            findings.error(id(), o, "apiVersion", o.apiVersion() + " " + o.kind() + " is served from Kubernetes 1." + since
                    + " and the cluster runs " + kubeVersion, o.apiVersion());
        }
    }

    static int minor(String kubeVersion) {
        return KubeVersions.minor(kubeVersion, Integer.MAX_VALUE);
    }
}
