// A fake API server for the checks: the part of `GET /api/v1/namespaces/NS/pods?labelSelector=…`
// that kubectl relies on. Test-side only: the learner's kata-00 code passes selectors through
// and never matches labels itself (kata 02 builds the real selector logic).
import type { Pod } from 'kubernetes-types/core/v1'
import type { LabelSelector, LabelSelectorRequirement } from 'kubernetes-types/meta/v1'

function requirementMatches(r: LabelSelectorRequirement, labels: Record<string, string>): boolean {
  const has = Object.hasOwn(labels, r.key)
  switch (r.operator) {
    case 'In':
      return has && (r.values ?? []).includes(labels[r.key]!)
    case 'NotIn':
      return !has || !(r.values ?? []).includes(labels[r.key]!)
    case 'Exists':
      return has
    case 'DoesNotExist':
      return !has
    default:
      throw new Error(`"${r.operator}" is not a valid label selector operator`)
  }
}

/** Whether `labels` satisfy `selector`: every matchLabels pair AND every matchExpression; `{}` matches all. */
export function labelSelectorMatches(selector: LabelSelector, labels: Record<string, string>): boolean {
  return (
    Object.entries(selector.matchLabels ?? {}).every(([k, v]) => Object.hasOwn(labels, k) && labels[k] === v) &&
    (selector.matchExpressions ?? []).every((r) => requirementMatches(r, labels))
  )
}

/**
 * A pod lister over `pods`, as the API server answers a LIST with a labelSelector: the pods of
 * that namespace (unset = `default`) whose labels match, in the order given.
 */
export function fakeListPods(pods: readonly Pod[]): (namespace: string, selector: LabelSelector) => Pod[] {
  return (namespace, selector) =>
    pods.filter((p) => (p.metadata?.namespace ?? 'default') === namespace && labelSelectorMatches(selector, p.metadata?.labels ?? {}))
}
