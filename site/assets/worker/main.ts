// The check worker: runs one kata's checks against the learner's modules, off the
// page's thread, so an endless loop in the learner's code freezes only this worker
// (the page terminates it; site/assets/workspace/runner.ts).
//
// The page sends the kata's checks bundle once, then a run per save with the
// tree: every model module the checks reach, as TypeScript text or, when it is
// as the site built it, by name only (the bundle holds it compiled). A run evaluates
// the bundle afresh (the library and the checks), then the check file, whose
// imports load the tree; then the checks run in order. Each check's start is
// reported, so the page can name the one that never finished.
import type { FromWorker, LoadFailure, RunResult, RunTree, ToWorker } from '../../workspace/protocol.ts'
import { compile, ModuleGraph, ModuleLoadError, placeOf, type Prebuilt, setCompiler } from './modules.ts'
import { Collector, createExpect, messageOf } from './runtime.ts'

interface Scope {
  postMessage(message: FromWorker): void
  onmessage: ((e: MessageEvent<ToWorker>) => void) | null
}
const scope = globalThis as unknown as Scope
const post = (m: FromWorker) => scope.postMessage(m)

type BundleFactory = (exports: object, require: (spec: string) => unknown, module: { exports: BundleExports }) => void
interface BundleExports extends Prebuilt {
  shared: Record<string, object>
  load(): unknown
}

let bundle: BundleFactory | undefined
const expect = createExpect()

function loadFailure(err: unknown, files: ReadonlySet<string>): LoadFailure {
  if (err instanceof ModuleLoadError) return err.failure
  const at = placeOf(err, files)
  const name = err instanceof Error ? `${err.name}: ` : ''
  return { kind: 'load', message: `${name}${messageOf(err)}`, ...(at ? { at } : {}) }
}

async function run(id: number, { tree, prebuilt }: RunTree): Promise<RunResult> {
  const t0 = performance.now()
  const built = new Set(prebuilt)
  // The modules whose code runs under their own name (workspace/…), line for line: where a failure is placed.
  const files = new Set(Object.keys(tree))
  if (!bundle) throw new Error('no checks bundle was sent before the run')
  const collector = new Collector(expect)
  const api = collector.api()
  let graph: ModuleGraph | undefined
  const requireFromBundle = (spec: string): unknown => {
    if (spec === 'vitest') return api
    if (spec.startsWith('@impl/') && graph) return graph.requireImpl(spec)
    throw new Error(`the checks bundle asks for ${spec}, which the browser does not provide`)
  }
  try {
    // Compile every module first: a syntax error anywhere is reported at its line even
    // when the checks would not reach that module before another error.
    for (const [file, source] of Object.entries(tree)) compile(file, source)
    const module = { exports: {} as BundleExports }
    bundle(module.exports, requireFromBundle, module)
    for (const m of prebuilt) if (Object.hasOwn(module.exports.compiled, m)) files.add(m)
    graph = new ModuleGraph(tree, module.exports.shared, built, module.exports)
    module.exports.load()
  } catch (err) {
    return { checks: [], loadError: loadFailure(err, files), ms: performance.now() - t0 }
  }
  const checks = await collector.run(
    (name) => post({ type: 'check', id, name }),
    (err) => placeOf(err, files),
  )
  return { checks, ms: performance.now() - t0 }
}

scope.onmessage = (e) => {
  const m = e.data
  if (m.type === 'bundle') {
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the checks bundle, built by the site
    bundle = new Function('exports', 'require', 'module', `${m.code}\n//# sourceURL=checks/${m.name}.js`) as BundleFactory
    post({ type: 'ready' })
  } else if (m.type === 'compiler') {
    setCompiler(m.code)
  } else if (m.type === 'run') {
    void run(m.id, { tree: m.tree, prebuilt: m.prebuilt ?? [] }).then(
      (result) => post({ type: 'result', id: m.id, result }),
      (err) => post({ type: 'result', id: m.id, result: { checks: [], loadError: { kind: 'load', message: messageOf(err) }, ms: 0 } }),
    )
  }
}
