// `katas run FILE.ts [ARGS…]`: runs a learner's own TypeScript file — a scratch
// file that calls their functions — with tsx, resolving imports as the checks do:
// relative paths, and `@impl/<module>` to the workspace. Errors point at the
// learner's file and line (source maps), without Node's own frames (run-report.ts).
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { checkerScript } from '../checker/protocol.ts'
import { UserError } from '../errors.ts'
import { workspaceDir } from '../workspace.ts'

/** FILE as typed, or relative to the workspace (`katas run scratch/02-label-selectors.ts` from the course folder). */
function locate(file: string, ws: string): string {
  const here = path.resolve(file)
  if (existsSync(here)) return here
  const inWs = path.resolve(ws, file)
  if (existsSync(inWs)) return inWs
  throw new UserError(`no file ${file}`, `the scratch files are in ${path.relative(process.cwd(), path.join(ws, 'scratch')) || 'scratch'}/, e.g. \`katas run scratch/02-label-selectors.ts\``)
}

export async function run(argv: string[]): Promise<number> {
  const [file, ...rest] = argv
  if (!file || file.startsWith('-')) throw new UserError('run takes a TypeScript file', 'e.g. `katas run scratch/02-label-selectors.ts`')
  const ws = workspaceDir()
  const target = locate(file, ws)
  const tsx = import.meta.resolve('tsx/esm')
  const hooks = pathToFileURL(checkerScript('hooks')).href
  // Registers the `@impl/` hooks after tsx's, so they run first.
  const register = `data:text/javascript,${encodeURIComponent(`import { register } from 'node:module'; register(${JSON.stringify(hooks)}, { data: { implRoot: ${JSON.stringify(ws)} } })`)}`
  return new Promise<number>((resolve) => {
    // run-report.ts first (beside this file's folder in dist/cli/): it shows an uncaught error with the learner's files and lines only.
    const report = new URL('../run-report.js', import.meta.url).href
    const child = spawn(process.execPath, ['--enable-source-maps', '--import', report, '--import', tsx, '--import', register, target, ...rest], {
      stdio: 'inherit',
      env: { ...process.env, KATAS_RUN_WORKSPACE: ws },
    })
    child.on('error', (err) => {
      process.stderr.write(`katas: could not run ${file}: ${err.message}\n`)
      resolve(2)
    })
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)))
  })
}
