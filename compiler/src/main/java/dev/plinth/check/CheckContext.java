package dev.plinth.check;

import dev.plinth.check.k8s.ApiVersions;
import dev.plinth.check.k8s.CoreModel;
import dev.plinth.check.k8s.CrdSchemas;
import dev.plinth.check.k8s.Operators;

import java.util.List;
import java.util.Map;

/**
 * What the checks share: the models and tables they check against, and the quota usage that
 * the quota-fit check records for the headroom report.
 *
 * @param platform the checked {@code spec} of platform.yaml with its defaults (empty when there
 *                 is none), for the {@link ClusterCheck}s only: a namespace's kept findings are
 *                 not keyed by it
 */
public record CheckContext(CoreModel core, CrdSchemas crds, ApiVersions apiVersions, Operators operators,
                           List<QuotaUsage> quotaUsage, Map<String, Object> platform) {
    public CheckContext(CoreModel core, CrdSchemas crds, ApiVersions apiVersions, Operators operators, List<QuotaUsage> quotaUsage) {
        this(core, crds, apiVersions, operators, quotaUsage, Map.of());
    }
}
