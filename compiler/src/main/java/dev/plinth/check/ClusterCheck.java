package dev.plinth.check;

import dev.plinth.render.RenderedPlatform.RenderedCluster;

/**
 * A check that relates objects across namespaces (a ServiceMonitor selecting Services of other
 * namespaces): it reads the whole cluster and runs on every render.
 */
public non-sealed interface ClusterCheck extends Check {
    void check(RenderedCluster cluster, CheckContext context, Findings findings);
}
