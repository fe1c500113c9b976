package dev.plinth.check;

/**
 * One check, in the spirit of a kustomize filter: small, independent, reporting through
 * {@link Findings}, which places each finding at the spec line that produced the object (or the
 * value) and applies waivers. What a check may read follows from its type, and so does how its
 * findings are kept between renders:
 * <ul>
 *   <li>{@link ObjectCheck}: one object at a time (findings kept per unit, with the unit's render);</li>
 *   <li>{@link NamespaceCheck}: one namespace's objects with the cluster-scoped ones and the
 *       cluster's spec (findings kept per namespace, keyed by exactly those);</li>
 *   <li>{@link ClusterCheck}: every object of a cluster (run on every render).</li>
 * </ul>
 */
public sealed interface Check permits ObjectCheck, NamespaceCheck, ClusterCheck {
    /** The id printed as {@code error[ID]} and named by waivers. */
    String id();
}
