// Loaded first into the process of `katas run FILE.ts`: an error the learner's code does
// not catch is shown as its message and the frames in the course's own files, with paths
// from the workspace (`network/cidrset.ts:137:11`), instead of Node's whole trace with
// its internals. The workspace comes in KATAS_RUN_WORKSPACE; the exit code is 1, as Node's.
// A file of the course outside the workspace (`lib/…`) is named from the course folder.
import path from 'node:path'
import { inspect } from 'node:util'
import { PACKAGE_ROOT } from '../harness/paths.ts'

const FRAME = /^\s+at (?:(.*?) \()?(.+?):(\d+):(\d+)\)?$/

/**
 * The lines to show for an uncaught `err`: its first line (`Error: …`), then the frames
 * in files of the course (not Node's, not a package's), each path relative to the
 * workspace when it is in it, else to the course folder.
 */
export function reportLines(err: unknown, workspace: string, courseRoot: string): string[] {
  if (!(err instanceof Error) || !err.stack) return [`uncaught: ${typeof err === 'string' ? err : inspect(err)}`]
  const [head, ...rest] = err.stack.split('\n')
  // A message of several lines (an esbuild syntax error) comes before the first frame.
  const firstFrame = rest.findIndex((l) => FRAME.test(l))
  const message = [head ?? '', ...(firstFrame < 0 ? rest : rest.slice(0, firstFrame))]
    .filter((l) => l.trim() !== '')
    .map((l) => l.split(`${workspace}${path.sep}`).join(''))
  const frames: string[] = []
  for (const line of firstFrame < 0 ? [] : rest.slice(firstFrame)) {
    const m = FRAME.exec(line)
    if (!m) continue
    const [, fn, where, row, col] = m
    let file = where!.startsWith('file://') ? decodeURIComponent(new URL(where!).pathname) : where!
    if (file.startsWith('node:') || file.includes(`${path.sep}node_modules${path.sep}`) || !path.isAbsolute(file)) continue
    file = path.relative(isInside(file, workspace) ? workspace : courseRoot, file).split(path.sep).join('/')
    frames.push(`    at ${fn && fn !== '<anonymous>' ? `${fn} (${file}:${row}:${col})` : `${file}:${row}:${col}`}`)
  }
  return [...message, ...frames.slice(0, 8)]
}

const isInside = (file: string, dir: string): boolean => {
  const rel = path.relative(dir, file)
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel)
}

const workspace = process.env.KATAS_RUN_WORKSPACE
if (workspace) {
  const report = (err: unknown) => {
    process.stderr.write(`${reportLines(err, workspace, PACKAGE_ROOT).join('\n')}\n`)
    process.exit(1)
  }
  process.on('uncaughtException', report)
  process.on('unhandledRejection', report)
}
