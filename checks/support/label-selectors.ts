// Failure messages for kata 02: which pods a selector picked, in the words of
// `kubectl get pods -l …`, and the pod that came closest to what was wanted.
import type { Pod } from 'kubernetes-types/core/v1'
import { labelsText } from './explain.ts'

/** How many selector labels a pod lacks or carries with another value. */
export function labelDistance(selector: Record<string, string>, labels: Record<string, string> | undefined): number {
  return Object.entries(selector).filter(([k, v]) => !labels || !Object.hasOwn(labels, k) || labels[k] !== v).length
}

/** The labels of the pod, among `pods`, that differ least from the selector map. */
export function closestLabels(selector: Record<string, string>, pods: readonly Pod[]): Record<string, string> | undefined {
  let best: Pod | undefined
  for (const p of pods) {
    if (!best || labelDistance(selector, p.metadata?.labels) < labelDistance(selector, best.metadata?.labels)) best = p
  }
  return best?.metadata?.labels
}

/**
 * "selector {app: order} matched 0 of 3 pods in snackbar [], want [order-1]; closest labels {app: Order}".
 * `closest` looks among the pods the selector should have picked and did not, or
 * else among those it picked and should not have.
 */
export function selectionMessage(
  selectorText: string,
  pods: readonly Pod[],
  got: readonly string[],
  want: readonly string[],
  selectorMap?: Record<string, string>,
): string {
  const ns = pods[0]?.metadata?.namespace ?? 'default'
  let msg = `selector ${selectorText} matched ${got.length} of ${pods.length} pods in ${ns} [${got.join(', ')}], want [${want.join(', ')}]`
  if (selectorMap) {
    const missed = pods.filter((p) => want.includes(p.metadata!.name!) && !got.includes(p.metadata!.name!))
    const extra = pods.filter((p) => got.includes(p.metadata!.name!) && !want.includes(p.metadata!.name!))
    const closest = closestLabels(selectorMap, missed.length ? missed : extra.length ? extra : pods)
    if (closest) msg += `; closest labels ${labelsText(closest)}`
  }
  return msg
}

/** `{app: order}` for a map selector, `app in (order,cart)` for anything else. */
export function selectorText(sel: Record<string, string> | string): string {
  return typeof sel === 'string' ? `"${sel}"` : labelsText(sel)
}
