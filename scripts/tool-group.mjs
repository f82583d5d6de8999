/**
 * Tool groups kept out of the course's own install: a folder with its own
 * package.json and lock (bench/peers/: the benchmarks' comparison peers;
 * site/e2e/: the browser suite's driver), installed there with `npm ci` the
 * first time something needs it, and again whenever its lock changes.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, lstatSync, statSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

/** @param {string} file */
const mtime = (file) => (existsSync(file) ? statSync(file).mtimeMs : -1)

/**
 * True when `dir` (relative to the project root) holds an install of its lock:
 * npm writes node_modules/.package-lock.json last, so it is newer than both files.
 * @param {string} dir
 */
export function groupInstalled(dir) {
  const abs = path.join(ROOT, dir)
  const installed = mtime(path.join(abs, 'node_modules', '.package-lock.json'))
  return installed >= mtime(path.join(abs, 'package-lock.json')) && installed >= mtime(path.join(abs, 'package.json'))
}

/**
 * Installs the group in `dir` from its lock unless it is there already, with a
 * one-line notice on stderr. Returns an error message, or undefined when the group is ready.
 * @param {string} dir the group's folder, relative to the project root
 * @param {string} what what the group holds, for the notice ("the comparison peers (VitePress, jest)")
 * @param {string} who who installs it, for the notice ("bench")
 */
export function ensureGroup(dir, what, who) {
  if (groupInstalled(dir)) return undefined
  // A linked node_modules is another checkout's install: `npm ci` through the link
  // would empty it there. Use it as it is.
  const modules = path.join(ROOT, dir, 'node_modules')
  if (existsSync(modules) && lstatSync(modules).isSymbolicLink()) return undefined
  process.stderr.write(`${who}: installing ${what} into ${dir}/node_modules (once; not part of the course's install)\n`)
  const args = ['ci', '--prefix', path.join(ROOT, dir), '--no-audit', '--no-fund', '--loglevel=error']
  // Under `npm run`, npm_execpath is the npm that started us; otherwise the one on PATH.
  const npm = process.env.npm_execpath
  const r = npm && /\.[cm]?js$/.test(npm)
    ? spawnSync(process.execPath, [npm, ...args], { cwd: ROOT, encoding: 'utf8' })
    : spawnSync('npm', args, { cwd: ROOT, encoding: 'utf8', shell: process.platform === 'win32' })
  if (r.status === 0) return undefined
  const detail = `${r.stderr ?? ''}${r.stdout ?? ''}`.trim().split('\n').slice(-5).join('\n') || String(r.error ?? `exit ${r.status}`)
  return `could not install ${what}: npm ci --prefix ${dir} failed\n${detail}`
}
