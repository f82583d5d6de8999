#!/usr/bin/env node
// Puts the `katas` command on the PATH: `npm install` runs this (the prepare script),
// so lessons and hints can say `katas check 02` and mean it.
//
// It copies bin/launcher.mjs, which finds the course folder the shell is in, into
// npm's global bin folder — where `npm install -g` puts commands, so it is on the
// PATH wherever Node was installed with npm — or, when that is not writable, into
// ~/.local/bin if that is on the PATH. It never replaces a `katas` that is not
// its own, and never fails the install: when it cannot link, it says what to do.
//
//   node bin/link.mjs [--dir DIR] [--remove] [--quiet]
//   KATAS_LINK=0 npm install     skips it
import { accessSync, constants, copyFileSync, chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const HERE = path.dirname(fileURLToPath(import.meta.url))
const LAUNCHER = path.join(HERE, 'launcher.mjs')
const MARK = 'katas-launcher'
const args = process.argv.slice(2)
const flag = (/** @type {string} */ f) => args.includes(f)
const opt = (/** @type {string} */ f) => (args.indexOf(f) >= 0 ? args[args.indexOf(f) + 1] : undefined)
const quiet = flag('--quiet')
const win = process.platform === 'win32'
/** @param {string} s */
const say = (s) => process.stdout.write(`${s}\n`)

/** Folders on the PATH, resolved. */
const onPath = (process.env.PATH ?? '').split(path.delimiter).filter(Boolean).map((d) => path.resolve(d))

/** @param {string} dir */
function writable(dir) {
  try {
    accessSync(dir, constants.W_OK)
    return true
  } catch {
    return false
  }
}

/** npm's global bin folder: `<prefix>/bin`, or the prefix itself on Windows. */
function globalBin() {
  const prefix = process.env.npm_config_global_prefix ?? process.env.npm_config_prefix
  if (!prefix) return undefined
  return win ? prefix : path.join(prefix, 'bin')
}

/** Where to link: an explicit --dir, npm's global bin, or ~/.local/bin when it is on the PATH. */
function candidates() {
  const explicit = opt('--dir')
  if (explicit) return [path.resolve(explicit)]
  const out = []
  const g = globalBin()
  if (g) out.push(g)
  const local = path.join(os.homedir(), '.local', 'bin')
  if (!win && onPath.includes(local)) out.push(local)
  return out
}

/** @param {string} file */
const ours = (file) => {
  try {
    return readFileSync(file, 'utf8').includes(MARK)
  } catch {
    return false
  }
}

/** @param {string} dir */
function targets(dir) {
  return win ? { main: path.join(dir, 'katas-launcher.mjs'), shim: path.join(dir, 'katas.cmd') } : { main: path.join(dir, 'katas'), shim: undefined }
}

if (process.env.KATAS_LINK === '0' && !opt('--dir')) process.exit(0)

if (flag('--remove')) {
  for (const dir of candidates()) {
    const t = targets(dir)
    for (const f of [t.main, t.shim]) if (f && ours(f)) rmSync(f, { force: true })
  }
  if (!quiet) say("katas: the katas command is removed from your PATH (use 'npm run katas -- …' in the course folder)")
  process.exit(0)
}

let linked
let blocked
for (const dir of candidates()) {
  const t = targets(dir)
  if (existsSync(t.main) && !ours(t.main)) {
    blocked = t.main
    continue
  }
  if (!existsSync(dir)) {
    try {
      mkdirSync(dir, { recursive: true })
    } catch {
      continue
    }
  }
  if (!writable(dir)) continue
  copyFileSync(LAUNCHER, t.main)
  if (t.shim) writeFileSync(t.shim, `@rem ${MARK}: runs the katas command of the course folder you are in\r\n@node "%~dp0katas-launcher.mjs" %*\r\n`)
  else chmodSync(t.main, 0o755)
  linked = t.main
  break
}

if (linked) {
  const dir = path.dirname(linked)
  if (!quiet) say(`katas: the katas command is ready (${linked}); run it in the course folder or below.`)
  if (!opt('--dir') && !onPath.includes(path.resolve(dir))) say(`katas: ${dir} is not on your PATH — add it, or use 'npm run katas -- …' in the course folder`)
} else {
  say(
    blocked
      ? `katas: ${blocked} belongs to another program, so the katas command was not linked; use 'npm run katas -- …' in the course folder`
      : "katas: could not put the katas command on your PATH (no writable bin folder); use 'npm run katas -- …' in the course folder, or see the README",
  )
}
