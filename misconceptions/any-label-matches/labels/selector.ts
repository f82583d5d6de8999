// Misconception: a selector matches labels when ANY one of its requirements
// holds (an OR), instead of requiring every one (an AND).
//
// Every selector the module builds (selectorFromSet, labelSelectorAsSelector,
// parse, newSelector) is an InternalSelector, so the wrong rule is patched into
// its `matches` method; a selector with no requirements still matches everything.
export * from '../../../solutions/labels/selector.ts'
import { InternalSelector, type Labels } from '../../../solutions/labels/selector.ts'

InternalSelector.prototype.matches = function (this: InternalSelector, labels: Labels | undefined): boolean {
  const { requirements } = this.requirements()
  return requirements.length === 0 || requirements.some((r) => r.matches(labels))
}
