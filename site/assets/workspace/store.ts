// The learner's browser workspace, kept in IndexedDB (through idb): their files,
// the progress record (the terminal's progress file, v2, harness/progress.ts), the
// backups a reset makes (the undo stack), and what was set aside because it could
// not be read. Nothing here leaves the browser except by an export.
//
// Every record is checked when read. A kata whose saved files do not have the
// shape written here is set aside whole — its text kept for download — and the
// kata starts again from the stubs; a progress record that does not parse is set
// aside and progress starts empty. When IndexedDB cannot be opened at all (some
// private windows), the workspace lives in memory and the page says so.
import { type DBSchema, type IDBPDatabase, openDB } from 'idb'

export interface FileRecord {
  /** Model module path: `labels/selector.ts`. */
  path: string
  text: string
  /** The kata the module belongs to: "02". */
  kata: string
  /** `given`: the reference, filled in so a later kata composes (as `katas start` does). */
  origin: 'learner' | 'given'
  /** For `given`: the kata that needed it. */
  givenFor?: string
  savedAt: string
}

export interface Backup {
  seq: number
  kata: string
  at: string
  reason: 'reset' | 'undo' | 'import'
  files: Record<string, string>
}

export interface SetAside {
  id?: number
  at: string
  what: string
  text: string
}

interface WorkspaceDB extends DBSchema {
  files: { key: string; value: FileRecord }
  meta: { key: string; value: unknown }
  backups: { key: number; value: Backup; indexes: { kata: string } }
  setAside: { key: number; value: SetAside }
}

const DB_NAME = 'service-katas'
const PROGRESS_KEY = 'progress'

const isFileRecord = (r: unknown): r is FileRecord => {
  const f = r as FileRecord
  return (
    typeof r === 'object' && r !== null &&
    typeof f.path === 'string' && typeof f.text === 'string' && typeof f.kata === 'string' &&
    (f.origin === 'learner' || f.origin === 'given') && (f.givenFor === undefined || typeof f.givenFor === 'string')
  )
}

/** A record as text, for the set-aside download: its text when it has one, else its JSON. */
function asText(r: unknown): string {
  if (r && typeof r === 'object' && typeof (r as { text?: unknown }).text === 'string') return (r as { text: string }).text
  try {
    return JSON.stringify(r, null, 2) ?? String(r)
  } catch {
    return String(r)
  }
}

/** The storage calls the page makes; the IndexedDB one and an in-memory one. */
export interface Store {
  persistent: boolean
  files(): Promise<{ files: FileRecord[]; corrupt: { key: string; raw: unknown }[] }>
  putFiles(records: FileRecord[]): Promise<void>
  deleteFiles(paths: string[]): Promise<void>
  progress(): Promise<string | undefined>
  putProgress(json: string): Promise<void>
  backups(kata: string): Promise<Backup[]>
  putBackup(b: Omit<Backup, 'seq'>, where: 'top' | 'bottom'): Promise<void>
  deleteBackup(seq: number): Promise<void>
  setAside(s: SetAside): Promise<number>
  setAsides(): Promise<SetAside[]>
}

class IdbStore implements Store {
  persistent = true
  constructor(private readonly db: IDBPDatabase<WorkspaceDB>) {}

  async files() {
    const tx = this.db.transaction('files')
    const files: FileRecord[] = []
    const corrupt: { key: string; raw: unknown }[] = []
    for (let cursor = await tx.store.openCursor(); cursor; cursor = await cursor.continue()) {
      const raw: unknown = cursor.value
      if (isFileRecord(raw) && raw.path === cursor.key) files.push(raw)
      else corrupt.push({ key: String(cursor.key), raw })
    }
    return { files, corrupt }
  }

  async putFiles(records: FileRecord[]) {
    const tx = this.db.transaction('files', 'readwrite')
    await Promise.all([...records.map((r) => tx.store.put(r)), tx.done])
  }

  async deleteFiles(paths: string[]) {
    const tx = this.db.transaction('files', 'readwrite')
    await Promise.all([...paths.map((p) => tx.store.delete(p)), tx.done])
  }

  async progress() {
    const v = await this.db.get('meta', PROGRESS_KEY)
    return v === undefined ? undefined : typeof v === 'string' ? v : asText(v)
  }

  async putProgress(json: string) {
    await this.db.put('meta', json, PROGRESS_KEY)
  }

  async backups(kata: string) {
    const all = await this.db.getAllFromIndex('backups', 'kata', kata)
    return all.filter((b) => typeof b.seq === 'number' && b.files && typeof b.files === 'object').sort((a, b) => a.seq - b.seq)
  }

  async putBackup(b: Omit<Backup, 'seq'>, where: 'top' | 'bottom') {
    const tx = this.db.transaction('backups', 'readwrite')
    const edge = where === 'top' ? await tx.store.openCursor(null, 'prev') : await tx.store.openCursor()
    const seq = edge ? edge.value.seq + (where === 'top' ? 1 : -1) : 0
    await Promise.all([tx.store.put({ ...b, seq }), tx.done])
  }

  async deleteBackup(seq: number) {
    await this.db.delete('backups', seq)
  }

  async setAside(s: SetAside) {
    return this.db.add('setAside', s)
  }

  async setAsides() {
    return this.db.getAll('setAside')
  }
}

class MemoryStore implements Store {
  persistent = false
  private readonly fileMap = new Map<string, FileRecord>()
  private progressJson: string | undefined
  private readonly backupList: Backup[] = []
  private readonly asides: SetAside[] = []

  async files() {
    return { files: [...this.fileMap.values()], corrupt: [] }
  }
  async putFiles(records: FileRecord[]) {
    for (const r of records) this.fileMap.set(r.path, r)
  }
  async deleteFiles(paths: string[]) {
    for (const p of paths) this.fileMap.delete(p)
  }
  async progress() {
    return this.progressJson
  }
  async putProgress(json: string) {
    this.progressJson = json
  }
  async backups(kata: string) {
    return this.backupList.filter((b) => b.kata === kata).sort((a, b) => a.seq - b.seq)
  }
  async putBackup(b: Omit<Backup, 'seq'>, where: 'top' | 'bottom') {
    const seqs = this.backupList.map((x) => x.seq)
    const seq = seqs.length ? (where === 'top' ? Math.max(...seqs) + 1 : Math.min(...seqs) - 1) : 0
    this.backupList.push({ ...b, seq })
  }
  async deleteBackup(seq: number) {
    const i = this.backupList.findIndex((b) => b.seq === seq)
    if (i >= 0) this.backupList.splice(i, 1)
  }
  async setAside(s: SetAside) {
    this.asides.push({ ...s, id: this.asides.length + 1 })
    return this.asides.length
  }
  async setAsides() {
    return [...this.asides]
  }
}

/** The browser's store, or one in memory when IndexedDB is not available. */
export async function openStore(): Promise<Store> {
  try {
    const db = await openDB<WorkspaceDB>(DB_NAME, 1, {
      upgrade(db) {
        db.createObjectStore('files', { keyPath: 'path' })
        db.createObjectStore('meta')
        db.createObjectStore('backups', { keyPath: 'seq' }).createIndex('kata', 'kata')
        db.createObjectStore('setAside', { keyPath: 'id', autoIncrement: true })
      },
    })
    return new IdbStore(db)
  } catch {
    return new MemoryStore()
  }
}

export { asText }
