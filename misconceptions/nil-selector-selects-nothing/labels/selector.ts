// Misconception: a Service without a selector selects no pods, so a missing
// selector map must give the selector that matches nothing.
export * from '../../../solutions/labels/selector.ts'
import { nothing, selectorFromSet as realSelectorFromSet, type Labels, type Selector } from '../../../solutions/labels/selector.ts'

export function selectorFromSet(set: Labels | undefined | null): Selector {
  return set === undefined || set === null ? nothing() : realSelectorFromSet(set)
}
