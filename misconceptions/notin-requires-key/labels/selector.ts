// Misconception: `notin` and `!=` only match pods that carry the key (with another
// value), so a pod without the label is rejected.
//
// The solution's Requirement class is shared by every selector it builds (parse,
// labelSelectorAsSelector, newSelector), so the wrong rule is patched into its
// `matches` method; every other operator keeps the real rule.
export * from '../../../solutions/labels/selector.ts'
import { Requirement, type Labels } from '../../../solutions/labels/selector.ts'

const realMatches = Requirement.prototype.matches

Requirement.prototype.matches = function (this: Requirement, labels: Labels | undefined): boolean {
  if (this.operator === 'notin' || this.operator === '!=') {
    if (labels === undefined || !Object.hasOwn(labels, this.key)) return false
  }
  return realMatches.call(this, labels)
}
