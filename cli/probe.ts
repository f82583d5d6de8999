// `katas doctor`'s watcher probe: saves a file the ways editors do, in a scratch
// folder of the workspace's file system, through the same watcher as watch mode,
// and reports which saves it saw and how fast.
import { mkdirSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { watchSources, type WatchMode } from './watcher.ts'

export interface ProbeResult {
  seen: string[]
  missed: string[]
  /** Slowest save-to-event time, ms. */
  slowestMs: number
}

const WAIT_MS = 2000

export async function probeWatcher(ws: string, mode: WatchMode): Promise<ProbeResult> {
  // Inside the workspace, so it is the same file system; not a dot folder, which watch mode skips.
  const dir = path.join(ws, `katas-watch-probe-${process.pid}`)
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  const file = path.join(dir, 'probe.ts')
  writeFileSync(file, 'export const v = 0\n')
  let seen: ((files: string[]) => void) | undefined
  const watcher = watchSources(dir, mode, { onSave: (files) => seen?.(files) })
  const result: ProbeResult = { seen: [], missed: [], slowestMs: 0 }
  try {
    await watcher.ready
    const saves: [string, string, () => void][] = [
      ['written in place', file, () => writeFileSync(file, 'export const v = 1\n')],
      ['temp file renamed over it (vim, JetBrains, sed -i)', file, () => (writeFileSync(`${file}.tmp`, 'export const v = 2\n'), renameSync(`${file}.tmp`, file))],
      ['renamed over it a second time', file, () => (writeFileSync(`${file}.tmp`, 'export const v = 3\n'), renameSync(`${file}.tmp`, file))],
      ['deleted and created again', file, () => (unlinkSync(file), writeFileSync(file, 'export const v = 4\n'))],
      ['a new file in a new folder', path.join(dir, 'sub', 'new.ts'), () => (mkdirSync(path.join(dir, 'sub')), writeFileSync(path.join(dir, 'sub', 'new.ts'), 'export {}\n'))],
    ]
    for (const [name, target, save] of saves) {
      const t0 = performance.now()
      const ok = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), mode === 'polling' ? WAIT_MS * 2 : WAIT_MS)
        seen = (files) => {
          if (!files.includes(target)) return
          clearTimeout(timer)
          resolve(true)
        }
        save()
      })
      seen = undefined
      if (ok) {
        result.seen.push(name)
        result.slowestMs = Math.max(result.slowestMs, performance.now() - t0)
      } else result.missed.push(name)
      // Let the watcher settle, so the next save is its own event.
      await new Promise((r) => setTimeout(r, 150))
    }
  } finally {
    await watcher.close()
    rmSync(dir, { recursive: true, force: true })
  }
  return result
}
