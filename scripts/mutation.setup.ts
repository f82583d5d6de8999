// Runs before each check file under mutation testing, after StrykerJS's own setup.
// The checks' modules stay loaded from one mutant's run to the next (isolate: false),
// which is what makes a run cheap. But a "static" mutant sits in code that runs only
// when a module loads — a module-level constant, table, regex or arrow function — so
// it is switched on only by loading the modules again. That reload happens here: for
// a static mutant's run, and for the run after one, so no module keeps a value
// computed under a mutant that is no longer active.
import { inject, vi } from 'vitest'

// StrykerJS's vitest runner provides these; the checks' own runs provide none of them.
const provided = (key: string) => inject(key as never) as unknown
const namespace = provided('globalNamespace')
const isStatic = provided('mode') === 'mutant' && provided('mutantActivation') === 'static'
const state = globalThis as Record<string, { activeMutant?: unknown } | boolean | undefined> & { katasLoadedUnderStaticMutant?: boolean }

if (isStatic || state.katasLoadedUnderStaticMutant) {
  // A run-time mutant is switched on only in StrykerJS's beforeAll, after the check file
  // has imported the model: until then the modules must load as written.
  const ns = typeof namespace === 'string' ? state[namespace] : undefined
  if (!isStatic && typeof ns === 'object') ns.activeMutant = undefined
  vi.resetModules()
}
state.katasLoadedUnderStaticMutant = isStatic
