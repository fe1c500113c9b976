package dev.plinth.pipeline;

import dev.plinth.check.QuotaUsage;
import dev.plinth.diag.Diagnostics;
import dev.plinth.gitops.GitOps.GitOpsObject;
import dev.plinth.output.OutputFile;
import dev.plinth.render.RenderedPlatform;

import java.util.List;
import java.util.SortedMap;

/**
 * What one run of the pipeline produced, which the commands consume: render writes its files,
 * verify compares them, diff compares two snapshots' objects and findings, publish commits the
 * written output.
 *
 * @param rendered   every cluster's objects
 * @param gitops     the Argo CD or Flux objects (their files are among {@code files})
 * @param files      the output files by path; empty when the run stopped before the emit stage
 * @param findings   the checks' findings (warnings only, unless the run keeps errors for a diff)
 * @param quotaUsage what every tenant namespace needs of its quota at maximum scale
 */
public record Snapshot(RenderedPlatform rendered, List<GitOpsObject> gitops, SortedMap<String, OutputFile> files,
                       Diagnostics findings, List<QuotaUsage> quotaUsage) {
}
