// One kata's browser workspace: which files are the learner's, what the checks run
// on, and the progress record — the concepts of the terminal course, kept in the
// browser. The tree a run sees is the tree an export writes:
//   - the kata's modules: the learner's text, or the core stub until they start;
//   - another kata's module the checks reach: the learner's own when they did that
//     kata here, else the reference as `katas start NN` writes it ("given");
// The code the learner only reads comes after the first run (`addTexts`); until
// then a run takes it from the checks bundle, as the site built it.
// Progress is the terminal's progress file, v2 (harness/progress.ts): per kata the
// track, each task green or not and its hints shown, merged so green stays green
// and hint levels only go up. It is written once the learner starts the kata.
import { type Kata, type Task } from '../../../harness/course.ts'
import { emptyProgress, mergeProgress, parseProgress, type Progress } from '../../../harness/progress.ts'
import { type CourseEntry, type KataData, type KataTexts, type RunTree, START_PLACEHOLDER } from '../../workspace/protocol.ts'
import type { FileRecord, SetAside, Store } from './store.ts'
import { asText } from './store.ts'
import { type KataVerdict, taskGreen } from './verdicts.ts'

/** The course as harness/progress.ts reads it: ids and tasks are all it uses. */
export function courseKatas(course: readonly CourseEntry[]): Kata[] {
  return course.map((k) => ({
    id: k.id,
    slug: k.name.slice(3),
    name: k.name,
    title: k.title,
    summary: '',
    modules: k.modules,
    mirrors: [],
    dir: '',
    tasks: k.tasks.map((t): Task => ({ number: t.number, slug: t.slug, title: '', points: 1, track: t.track, write: [], hints: [] })),
  }))
}

export interface Notice {
  text: string
  /** A set-aside text to offer for download. */
  download?: { name: string; text: string }
}

export class Workspace {
  readonly katas: Kata[]
  private files = new Map<string, FileRecord>()
  progress: Progress
  readonly notices: Notice[] = []
  /** The read-only code, once fetched. */
  texts: KataTexts | undefined

  private constructor(
    readonly data: KataData,
    readonly store: Store,
  ) {
    this.katas = courseKatas(data.course)
    this.progress = emptyProgress(this.katas)
  }

  /** Reads the saved workspace, setting aside whatever cannot be read. */
  static async open(data: KataData, store: Store): Promise<Workspace> {
    const ws = new Workspace(data, store)
    await ws.reload()
    if (!store.persistent) ws.notices.push({ text: 'This browser does not let the page keep data (a private window?): your work lasts until you close the page. Export it to keep it.' })
    return ws
  }

  async reload(): Promise<void> {
    const { files, corrupt } = await this.store.files()
    this.files = new Map(files.map((f) => [f.path, f]))
    if (corrupt.length) await this.setAsideCorrupt(corrupt)
    const json = await this.store.progress()
    if (json !== undefined) {
      try {
        this.progress = parseProgress(json, this.katas)
      } catch (err) {
        const at = new Date().toISOString()
        await this.store.setAside({ at, what: 'the progress record', text: json })
        await this.store.putProgress(JSON.stringify(emptyProgress(this.katas)))
        this.progress = emptyProgress(this.katas)
        this.notices.push({ text: `The saved progress could not be read (${(err as Error).message}); it was set aside and progress starts again. Your files are untouched.`, download: { name: 'progress-set-aside.json', text: json } })
      }
    }
  }

  /** Unreadable records: the whole saved work of their kata is set aside, and the kata starts again. */
  private async setAsideCorrupt(corrupt: { key: string; raw: unknown }[]): Promise<void> {
    const owner = (p: string) => this.data.course.find((k) => k.modules.includes(p))?.id ?? '?'
    const katas = new Set(corrupt.map((c) => owner(c.key)))
    for (const kata of katas) {
      const bad = corrupt.filter((c) => owner(c.key) === kata)
      const good = [...this.files.values()].filter((f) => f.kata === kata)
      const text = [...bad.map((c) => `// ==== workspace/${c.key} (unreadable record) ====\n${asText(c.raw)}`), ...good.map((f) => `// ==== workspace/${f.path} ====\n${f.text}`)].join('\n\n')
      const aside: SetAside = { at: new Date().toISOString(), what: `kata ${kata}: ${[...bad.map((c) => c.key), ...good.map((f) => f.path)].join(', ')}`, text }
      await this.store.setAside(aside)
      await this.store.deleteFiles([...bad.map((c) => c.key), ...good.map((f) => f.path)])
      for (const f of good) this.files.delete(f.path)
      this.notices.push({
        text: `Your saved work for kata ${kata} could not be read, so it was set aside and the kata starts again from the stubs. Download the old text to keep what you can.`,
        download: { name: `kata-${kata}-set-aside.txt`, text },
      })
    }
  }

  /** The kata's modules the learner writes in on the core path. */
  get mine(): string[] {
    const written = new Set(this.data.tasks.filter((t) => t.track === 'core').flatMap((t) => t.write.map((w) => w.module)))
    return this.data.modules.filter((m) => written.has(m))
  }

  /** The kata's own modules with nothing to write on the core path: given, read only here. */
  get ownGiven(): string[] {
    const mine = new Set(this.mine)
    return this.data.modules.filter((m) => !mine.has(m))
  }

  get started(): boolean {
    return this.data.modules.some((m) => this.files.get(m)?.origin === 'learner')
  }

  addTexts(texts: KataTexts): void {
    this.texts = texts
  }

  /** What the read-only code needs before it is there. */
  private get loaded(): KataTexts {
    if (!this.texts) throw new Error('the read-only code of the kata has not loaded yet')
    return this.texts
  }

  /** The core stub of a module of this kata; undefined for a read-only one before the texts came. */
  stubOf(module: string): string | undefined {
    return this.data.stubs[module] ?? this.texts?.stubs[module]
  }

  /** A module of this kata as the learner has it now; undefined while it is a stub not yet fetched. */
  textOf(module: string): string | undefined {
    const f = this.files.get(module)
    return f && f.origin === 'learner' ? f.text : this.stubOf(module)
  }

  /** Another kata's module as the checks get it (undefined while not yet fetched), and whose it is. */
  givenOf(module: string): { text: string | undefined; yours: boolean } {
    const f = this.files.get(module)
    if (f && f.origin === 'learner') return { text: f.text, yours: true }
    return { text: this.texts?.given[module]?.replace(START_PLACEHOLDER, f?.givenFor ?? this.data.id), yours: false }
  }

  /**
   * Every module the checks may import: as TypeScript text where the learner's text
   * is not the site's (or the site's is not here yet to compare), else by name.
   */
  tree(): RunTree {
    const run: RunTree = { tree: {}, prebuilt: [] }
    for (const m of this.data.modules) {
      const f = this.files.get(m)
      if (f?.origin === 'learner' && f.text !== this.stubOf(m)) run.tree[m] = f.text
      else run.prebuilt.push(m)
    }
    for (const m of Object.keys(this.data.given)) {
      const f = this.files.get(m)
      if (f?.origin === 'learner') run.tree[m] = f.text
      else run.prebuilt.push(m)
    }
    return run
  }

  /**
   * Saves the learner's text of `module`. The first save starts the kata: all its
   * modules are written, and the other katas' modules it needs are written as given.
   */
  async save(module: string, text: string): Promise<void> {
    const savedAt = new Date().toISOString()
    const records: FileRecord[] = [{ path: module, text, kata: this.data.id, origin: 'learner', savedAt }]
    if (!this.started) {
      const texts = this.loaded
      for (const m of this.data.modules) if (m !== module) records.push({ path: m, text: this.textOf(m)!, kata: this.data.id, origin: 'learner', savedAt })
      for (const [m, g] of Object.entries(this.data.given)) {
        if (this.files.has(m)) continue
        records.push({ path: m, text: texts.given[m]!.replace(START_PLACEHOLDER, this.data.id), kata: g.kata, origin: 'given', givenFor: this.data.id, savedAt })
        const p = this.progress.katas[g.kata]
        if (p && p.status === 'not-started') {
          p.status = 'given'
          p.givenFor = this.data.id
        }
      }
      const mine = this.progress.katas[this.data.id]
      if (mine && (mine.status === 'given' || mine.status === 'not-started')) {
        mine.status = 'failing'
        delete mine.givenFor
      }
      await this.saveProgress()
    }
    // In memory first: the run that follows a save does not wait for the disk.
    for (const r of records) this.files.set(r.path, r)
    await this.store.putFiles(records)
  }

  private async saveProgress(): Promise<void> {
    const stored = await this.store.progress()
    let merged = this.progress
    if (stored !== undefined) {
      try {
        merged = mergeProgress(parseProgress(stored, this.katas), this.progress)
      } catch {
        // Unreadable: this record replaces it (reload set it aside already).
      }
    }
    this.progress = merged
    await this.store.putProgress(JSON.stringify(merged))
  }

  /** Records a run's verdict once the kata is started: tasks green, the kata's status, the first green. */
  async record(v: KataVerdict): Promise<void> {
    if (!this.started || v.stopped) return
    const p = this.progress.katas[this.data.id]!
    p.track = 'core'
    for (const t of v.tasks) {
      const tp = p.tasks[t.task.slug]
      if (tp) tp.passed = tp.passed || taskGreen(t)
    }
    p.status = v.green ? 'passed' : 'failing'
    if (v.green && !p.passedAt) p.passedAt = new Date().toISOString()
    await this.saveProgress()
  }

  /** Hints shown for a task. */
  hints(slug: string): number {
    return this.progress.katas[this.data.id]?.tasks[slug]?.hints ?? 0
  }

  async showHint(slug: string): Promise<void> {
    const t = this.progress.katas[this.data.id]?.tasks[slug]
    if (!t) return
    t.hints = Math.min(t.hints + 1, 3)
    await this.saveProgress()
  }

  /** Green now, or green once: the reference solution may be shown. */
  get wasGreen(): boolean {
    const p = this.progress.katas[this.data.id]
    return p?.status === 'passed' || Boolean(p?.passedAt)
  }

  /** The learner's text of the kata's modules that differ from the stubs. */
  private ownWork(): Record<string, string> {
    const out: Record<string, string> = {}
    for (const m of this.data.modules) {
      const f = this.files.get(m)
      if (f?.origin === 'learner' && f.text !== this.loaded.stubs[m]) out[m] = f.text
    }
    return out
  }

  async backupCount(): Promise<number> {
    return (await this.store.backups(this.data.id)).length
  }

  /** Restores the stubs; the learner's files go on top of the undo stack first. */
  async reset(): Promise<boolean> {
    const work = this.ownWork()
    if (Object.keys(work).length === 0) return false
    await this.store.putBackup({ kata: this.data.id, at: new Date().toISOString(), reason: 'reset', files: work }, 'top')
    await this.writeOwn({ ...this.loaded.stubs })
    return true
  }

  /**
   * Brings back the newest backup. What it replaces, when it is not the stubs, goes to
   * the bottom of the stack: undo walks back through every reset and loses nothing.
   */
  async undo(): Promise<{ at: string; keptReplaced: boolean } | undefined> {
    const stack = await this.store.backups(this.data.id)
    const newest = stack.at(-1)
    if (!newest) return undefined
    const replaced = this.ownWork()
    const keptReplaced = Object.keys(replaced).length > 0
    if (keptReplaced) await this.store.putBackup({ kata: this.data.id, at: new Date().toISOString(), reason: 'undo', files: replaced }, 'bottom')
    await this.store.deleteBackup(newest.seq)
    await this.writeOwn({ ...this.loaded.stubs, ...newest.files })
    return { at: newest.at, keptReplaced }
  }

  private async writeOwn(texts: Record<string, string>): Promise<void> {
    const savedAt = new Date().toISOString()
    const records = Object.entries(texts).map(([path, text]): FileRecord => ({ path, text, kata: this.data.id, origin: 'learner', savedAt }))
    await this.store.putFiles(records)
    for (const r of records) this.files.set(r.path, r)
  }

  /** Every saved file, for an export. */
  allFiles(): FileRecord[] {
    return [...this.files.values()].sort((a, b) => a.path.localeCompare(b.path))
  }

  /** Replaces files and merges progress from an import; the learner's replaced files are backed up first. */
  async importFiles(records: FileRecord[], progress: Progress | undefined): Promise<void> {
    const byKata = new Map<string, Record<string, string>>()
    for (const r of records) {
      const old = this.files.get(r.path)
      if (old?.origin === 'learner' && old.text !== r.text) byKata.set(old.kata, { ...byKata.get(old.kata), [old.path]: old.text })
    }
    for (const [kata, files] of byKata) await this.store.putBackup({ kata, at: new Date().toISOString(), reason: 'import', files }, 'top')
    await this.store.putFiles(records)
    for (const r of records) this.files.set(r.path, r)
    if (progress) this.progress = mergeProgress(this.progress, progress)
    await this.saveProgress()
  }

  /** The progress file as the terminal writes it (`workspace/.katas/state.json`). */
  progressFile(): string {
    return `${JSON.stringify(this.progress, null, 2)}\n`
  }

  async setAsides(): Promise<SetAside[]> {
    return this.store.setAsides()
  }
}
