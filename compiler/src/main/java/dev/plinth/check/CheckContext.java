package dev.plinth.check;

import dev.plinth.check.k8s.ApiVersions;
import dev.plinth.check.k8s.CoreModel;
import dev.plinth.check.k8s.CrdSchemas;
import dev.plinth.check.k8s.Operators;

import java.util.List;

/**
 * What the checks share: the models and tables they check against, and the quota usage that
 * the quota-fit check records for the headroom report.
 */
public record CheckContext(CoreModel core, CrdSchemas crds, ApiVersions apiVersions, Operators operators,
                           List<QuotaUsage> quotaUsage) {
}
