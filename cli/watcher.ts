// Noticing saves, every way editors make them: written in place, a temp file
// renamed over the old one (vim, JetBrains IDEs, `sed -i`), deleted and created
// again, backup-file dances, new files and folders. chokidar watches each folder
// (not each file's inode, which a rename-over replaces) and pairs a delete with
// the create that follows.
//
// Events do not reach Linux from Windows drives under WSL (/mnt/c/…) nor from
// most network file systems, so there (or with KATAS_POLL=1) it polls instead,
// and says so.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { watch, type FSWatcher } from 'chokidar'
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
  return { mode: 'events', reason: 'file-system events' }
}

const SOURCE = /\.(ts|mts|cts|js|mjs|cjs)$/
/** Editors write a file in several steps: the run starts after this quiet spell. */
const QUIET_MS = 25
const POLL_MS = 250

export interface SaveHandlers {
  /** At once, on the first event of a save: time to say "running…". */
  onEvent?: (file: string) => void
  /** After the quiet spell, with every source file touched. */
  onSave: (files: string[]) => void
}

export interface SourceWatcher {
  /** Settles when the initial scan is done: saves from then on are seen. */
  ready: Promise<void>
  close(): Promise<void>
}

/** Skips the tool's own state (dot folders such as .katas), node_modules and files that are not source. */
function ignored(root: string) {
  return (p: string, stats?: { isFile(): boolean }): boolean => {
    const rel = path.relative(root, p)
    if (rel === '') return false
    if (rel.split(path.sep).some((part) => part.startsWith('.') || part === 'node_modules')) return true
    return !!stats?.isFile() && !SOURCE.test(p)
  }
}

/** The source files under `folder`, however deep; none when it (or a file in it) is gone again. */
function sourcesUnder(folder: string): string[] {
  try {
    return filesUnder(folder).map((f) => path.join(folder, f)).filter((f) => SOURCE.test(f))
  } catch {
    return []
  }
}

/** Watches the source files under `dir`. */
export function watchSources(dir: string, mode: WatchMode, handlers: SaveHandlers): SourceWatcher {
  let pending = new Set<string>()
  let timer: NodeJS.Timeout | undefined
  const touched = (file: string) => {
    if (!SOURCE.test(file)) return
    if (pending.size === 0) handlers.onEvent?.(file)
    pending.add(file)
    clearTimeout(timer)
    timer = setTimeout(() => {
      const files = [...pending]
      pending = new Set()
      handlers.onSave(files)
    }, QUIET_MS)
  }
  const w: FSWatcher = watch(dir, {
    ignored: ignored(dir),
    ignoreInitial: true,
    usePolling: mode === 'polling',
    interval: POLL_MS,
    binaryInterval: POLL_MS,
    atomic: mode === 'events',
  })
  for (const ev of ['add', 'change', 'unlink'] as const) w.on(ev, (p: string) => touched(path.resolve(dir, p)))
  // A file written the moment its new folder appears can land before the folder is
  // watched (\`mkdir -p a/b && echo … > a/b/x.ts\`, an editor's "save as"): look in the
  // new folder once it is watched, and take what is there as saved.
  const skip = ignored(dir)
  w.on('addDir', (p: string) => {
    const folder = path.resolve(dir, p)
    setTimeout(() => {
      for (const file of sourcesUnder(folder)) if (!skip(file)) touched(file)
    }, QUIET_MS)
  })
  w.on('error', () => undefined)
  const ready = new Promise<void>((resolve) => w.once('ready', () => resolve()))
  return {
    ready,
    async close() {
      clearTimeout(timer)
      await w.close()
    },
  }
}
