// Noticing saves: file-system events where they work, polling where they do not.
//
// Events do not reach Linux from Windows drives under WSL (/mnt/c/…) nor from
// most network file systems, so there (or with KATAS_POLL=1) we poll instead,
// and say so.
import { readFileSync, statSync, watch, type FSWatcher } from 'node:fs'
import path from 'node:path'
import { filesUnder } from '../harness/files.ts'

export type WatchMode = 'events' | 'polling'

export interface WatchChoice {
  mode: WatchMode
  reason: string
}

function isWSL(): boolean {
  if (process.platform !== 'linux') return false
  try {
    return /microsoft/i.test(readFileSync('/proc/version', 'utf8'))
  } catch {
    return false
  }
}

export function chooseWatchMode(dir: string): WatchChoice {
  if (process.env.KATAS_POLL === '1') return { mode: 'polling', reason: 'KATAS_POLL=1 is set' }
  if (isWSL() && path.resolve(dir).startsWith('/mnt/')) {
    return { mode: 'polling', reason: 'the workspace is on a Windows drive under WSL, where file events do not arrive' }
  }
  try {
    watch(dir, { recursive: true }).close()
    return { mode: 'events', reason: 'file-system events' }
  } catch (err) {
    return { mode: 'polling', reason: `file events are unavailable here (${(err as Error).message})` }
  }
}

const SOURCE = /\.(ts|mts|js|mjs)$/
const DEBOUNCE_MS = 40
const POLL_MS = 250

/** The learner's source files: not under dot folders (the tool's own state) or node_modules. */
function sourceFiles(dir: string): string[] {
  return filesUnder(dir)
    .filter((rel) => SOURCE.test(rel) && !rel.split(path.sep).some((p) => p.startsWith('.') || p === 'node_modules'))
    .map((rel) => path.join(dir, rel))
}

/**
 * Calls `onChange` with the changed source files, after a short quiet spell:
 * editors often write a file in several steps.
 */
export function watchSources(dir: string, mode: WatchMode, onChange: (files: string[]) => void): () => void {
  let pending = new Set<string>()
  let timer: NodeJS.Timeout | undefined
  const changed = (file: string) => {
    pending.add(file)
    clearTimeout(timer)
    timer = setTimeout(() => {
      const files = [...pending]
      pending = new Set()
      onChange(files)
    }, DEBOUNCE_MS)
  }
  if (mode === 'events') {
    const w: FSWatcher = watch(dir, { recursive: true }, (_event, name) => {
      if (!name) return
      const rel = name.toString()
      if (rel.split(path.sep).some((p) => p.startsWith('.')) || !SOURCE.test(rel)) return
      changed(path.join(dir, rel))
    })
    return () => {
      clearTimeout(timer)
      w.close()
    }
  }
  const seen = new Map<string, number>()
  const scan = (report: boolean) => {
    for (const f of sourceFiles(dir)) {
      const m = statSync(f).mtimeMs
      if (report && seen.get(f) !== m) changed(f)
      seen.set(f, m)
    }
  }
  scan(false)
  const iv = setInterval(() => scan(true), POLL_MS)
  return () => {
    clearTimeout(timer)
    clearInterval(iv)
  }
}
