// Runs before each check file under mutation testing, after StrykerJS's own setup.
// The checks run with isolate: false, so without this the model's modules would stay
// loaded from one mutant's run to the next, and a mutant in code that runs only when a
// module loads — a module-level constant, table, regex or arrow function — would never
// be switched on. Stryker cannot always tell such a mutant apart (a module first loaded
// inside a test counts as that test's code), so every mutant's run loads the modules
// again, with the mutant already active. The transforms stay cached: a run costs about
// the same (portallocator.ts, 328 mutants: 1m57s against 1m59s reusing the modules).
import { inject, vi } from 'vitest'

// StrykerJS's vitest runner provides these; the checks' own runs provide none of them.
const provided = (key: string) => inject(key as never) as unknown
const namespace = provided('globalNamespace')

if (provided('mode') === 'mutant') {
  const stryker = typeof namespace === 'string' ? (globalThis as Record<string, { activeMutant?: unknown } | undefined>)[namespace] : undefined
  // A run-time mutant is otherwise switched on only in Stryker's beforeAll, after the import.
  if (stryker) stryker.activeMutant = provided('activeMutant')
  vi.resetModules()
}
