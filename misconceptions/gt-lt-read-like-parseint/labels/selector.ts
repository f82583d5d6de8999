// Misconception: gt and lt read a label value the way JavaScript's Number.parseInt
// does — the leading digits of "5x", any length of digits — instead of as Go's
// strconv.ParseInt(s, 10, 64), which refuses anything but a whole int64.
//
// The solution's Requirement class is shared by every selector it builds, so the
// wrong rule is patched into its `matches` method; every other operator keeps the
// real rule.
export * from '../../../solutions/labels/selector.ts'
import { Requirement, type Labels } from '../../../solutions/labels/selector.ts'

const realMatches = Requirement.prototype.matches

Requirement.prototype.matches = function (this: Requirement, labels: Labels | undefined): boolean {
  if (this.operator !== 'gt' && this.operator !== 'lt') return realMatches.call(this, labels)
  if (labels === undefined || !Object.hasOwn(labels, this.key) || this.values.length !== 1) return false
  const actual = Number.parseInt(labels[this.key]!, 10)
  const limit = Number.parseInt(this.values[0]!, 10)
  if (Number.isNaN(actual) || Number.isNaN(limit)) return false
  return this.operator === 'gt' ? actual > limit : actual < limit
}
