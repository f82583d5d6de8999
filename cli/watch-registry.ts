// Which watch owns a workspace: `.katas/watch.json` names the process, so a second
// `katas` (or `npm start`) on the same workspace knows it is second, says so, and
// does not start a second lessons site on another port.
import { readFileSync, rmSync } from 'node:fs'
import path from 'node:path'
import { writeFileAtomic } from '../harness/files.ts'
import { metaDir } from './workspace.ts'

export interface WatchEntry {
  pid: number
  since: string
  /** The lessons site's line, once it serves. */
  site?: string
}

const file = (ws: string) => path.join(metaDir(ws), 'watch.json')

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** The watch that runs on `ws` now, other than this process. */
export function otherWatch(ws: string): WatchEntry | undefined {
  try {
    const e = JSON.parse(readFileSync(file(ws), 'utf8')) as WatchEntry
    return Number.isInteger(e.pid) && e.pid !== process.pid && alive(e.pid) ? e : undefined
  } catch {
    return undefined
  }
}

export function claimWatch(ws: string, site?: string): void {
  const e: WatchEntry = { pid: process.pid, since: new Date().toISOString() }
  if (site) e.site = site
  writeFileAtomic(file(ws), `${JSON.stringify(e)}\n`)
}

export function releaseWatch(ws: string): void {
  try {
    const e = JSON.parse(readFileSync(file(ws), 'utf8')) as WatchEntry
    if (e.pid === process.pid) rmSync(file(ws), { force: true })
  } catch {
    // Gone already.
  }
}
