// `npm run stubs`: regenerates stubs/ (the core path) from solutions/, deep-stubs/ and
// the katas' task lists. `--check` only reports stale files (exit 1), for CI.
import { loadCourse } from './course.ts'
import { staleStubs, writeCoreStubs } from './stubs.ts'

const katas = loadCourse()
try {
  if (process.argv.includes('--check')) {
    const stale = staleStubs(katas)
    for (const m of stale) process.stdout.write(`stale: stubs/${m}\n`)
    process.stdout.write(stale.length ? 'stubs/ is stale: run `npm run stubs`\n' : 'stubs/ is current\n')
    process.exitCode = stale.length ? 1 : 0
  } else {
    const changed = writeCoreStubs(katas)
    for (const m of changed) process.stdout.write(`wrote stubs/${m}\n`)
    process.stdout.write(`stubs/: ${changed.length} of ${katas.flatMap((k) => k.modules).length} modules changed\n`)
  }
} catch (err) {
  process.stderr.write(`stubs: ${(err as Error).message}\n`)
  process.exitCode = 2
}
