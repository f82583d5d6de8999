// Misconception: a Service selector matches a pod when ANY one of its labels
// matches (an OR), instead of requiring every label (an AND).
export * from '../../../solutions/labels/selector.ts'
import { selectorFromSet as realSelectorFromSet, type Labels, type Selector } from '../../../solutions/labels/selector.ts'

export function selectorFromSet(set: Labels | undefined | null): Selector {
  const real = realSelectorFromSet(set)
  const entries = Object.entries(set ?? {})
  return {
    matches: (labels) => entries.length === 0 || entries.some(([k, v]) => labels !== undefined && Object.hasOwn(labels, k) && labels[k] === v),
    empty: () => real.empty(),
    toString: () => real.toString(),
    add: (...reqs) => real.add(...reqs),
    requirements: () => real.requirements(),
  }
}
