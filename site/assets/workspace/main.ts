// The workspace page: loads the kata's data and checks, the saved workspace and the
// editor, then runs the checks on every save and shows the verdicts by task.
// Everything happens in this browser. The code the learner only reads, and the
// compiler a save needs, are fetched once the first verdict is shown; after that,
// nothing is (the article's data-loaded="all" says so).
import type { KataData, KataTaskData, KataTexts, SourcePlace } from '../../workspace/protocol.ts'
import { EXPORT_NAME, exportZip, ImportError, readZip, zipCode } from './archive.ts'
import { download, h } from './dom.ts'
import { Editor, type EditorFile } from './editor.ts'
import { CheckRunner, type Outcome } from './runner.ts'
import { openStore } from './store.ts'
import { renderVerdict, type KataVerdict, verdictOf } from './verdicts.ts'
import { type Notice, Workspace } from './workspace.ts'

/** A pause in typing this long saves and runs the checks. */
const TYPING_PAUSE_MS = 700
const SOLUTION = 'solution: '

const $ = <T extends Element>(root: ParentNode, sel: string) => root.querySelector<T>(sel)!

class Page {
  private readonly editor: Editor
  private readonly runner: CheckRunner
  private typing: ReturnType<typeof setTimeout> | undefined
  private dirty = new Set<string>()
  private runs = 0
  private resetArmed = false
  /** Disarms the reset button a while after its first click. */
  private disarm: ReturnType<typeof setTimeout> | undefined
  private last: KataVerdict | undefined
  private texts: Promise<void> | undefined
  /**
   * The whole checks bundle (protocol.ts, `KataData.deepBundle`): fetched after the first
   * verdict, as the read-only texts are, so that the page also works offline from then on;
   * run once the core tasks are green. Until then the runs have no deep tasks.
   */
  private deep: Promise<string> | undefined
  private deepLoaded: boolean

  constructor(
    private readonly root: HTMLElement,
    private readonly data: KataData,
    private readonly ws: Workspace,
    bundle: string,
  ) {
    this.runner = new CheckRunner(new URL('check-worker.js', import.meta.url).href, new URL('sucrase.js', import.meta.url).href, { name: data.name, code: bundle })
    this.deepLoaded = !data.deepBundle
    const host = $<HTMLElement>(root, '.ws-editor')
    host.replaceChildren()
    this.editor = new Editor({
      host,
      onChange: (id) => this.changed(id),
      onSave: () => void this.saveAndRun(),
      onShow: (id) => this.shown(id),
    })
  }

  async start(): Promise<void> {
    this.loadFiles()
    this.wireToolbar()
    for (const n of this.ws.notices) this.notice(n)
    if (!this.ws.started && this.ws.progress.katas[this.data.id]?.status === 'given') {
      this.notice({ text: `Kata ${this.data.id} was given (the reference code) so a later kata could run. Here you start it from the stubs; once you save, the later katas run on your code.` })
    }
    this.editor.show(this.ws.mine[0] ?? this.data.modules[0]!)
    // Save what was typed before the page goes away, even within the typing pause.
    addEventListener('pagehide', () => void this.saveDirty())
    document.addEventListener('visibilitychange', () => document.visibilityState === 'hidden' && void this.saveDirty())
    await this.runner.start()
    for (const b of this.root.querySelectorAll<HTMLButtonElement>('.ws-toolbar button, [data-action="copy"]')) b.disabled = false
    await this.refreshUndo()
    await this.run()
    try {
      await Promise.all([this.loadTexts(), this.runner.warm(), zipCode(), this.deepLoaded ? undefined : this.loadDeep()])
      this.root.dataset.loaded = 'all'
    } catch {
      // loadTexts said what failed; the page goes on with what it has.
    }
  }

  /** The whole checks bundle's code, fetched once (again after a failure). */
  private loadDeep(): Promise<string> {
    this.deep ??= (async () => {
      const name = this.data.deepBundle!
      const r = await fetch(`${document.body.dataset.base ?? ''}workspace/${name}`)
      if (!r.ok) throw new Error(`${name}: ${r.status}`)
      return r.text()
    })().catch((err: unknown) => {
      this.deep = undefined
      throw err
    })
    return this.deep
  }

  /** The read-only code, fetched once; what needs it (a save, an export, a reset) waits for it. */
  private loadTexts(): Promise<void> {
    this.texts ??= (async () => {
      const base = document.body.dataset.base ?? ''
      const r = await fetch(`${base}workspace/${this.data.texts}`)
      if (!r.ok) throw new Error(`${this.data.texts}: ${r.status}`)
      const texts = (await r.json()) as KataTexts
      this.ws.addTexts(texts)
      for (const t of this.data.tasks) t.hints.forEach((hint, i) => (hint.text = texts.hints[t.slug]?.[i]))
      this.loadFiles(false)
      // Hints shown before their text came.
      if (this.last) this.paint(this.last)
    })().catch((err: unknown) => {
      this.texts = undefined
      this.notice({ text: `The given code could not load (${(err as Error).message}): saving waits for it. Reload the page.` })
      throw err
    })
    return this.texts
  }

  /**
   * The learner's files, the given code and, once green, the reference. Code not
   * fetched yet shows as a line saying so. `mine`: the learner's files too (not
   * when only the fetched code is added, so nothing typed meanwhile is replaced).
   */
  private loadFiles(mine = true): void {
    const files: (EditorFile & { note: string; group: string })[] = []
    const loading = '// Loading…\n'
    for (const m of this.ws.mine) files.push({ id: m, kind: 'mine', text: this.ws.textOf(m)!, note: 'yours', group: 'Your files' })
    for (const m of this.ws.ownGiven) files.push({ id: m, kind: 'given', text: this.ws.textOf(m) ?? loading, note: `kata ${this.data.id} · given`, group: 'Given code (read only)' })
    for (const [m, g] of Object.entries(this.data.given)) {
      const { text, yours } = this.ws.givenOf(m)
      files.push({ id: m, kind: 'given', text: text ?? loading, note: `kata ${g.kata} · ${yours ? 'yours, from that kata' : 'given'}`, group: 'Given code (read only)' })
    }
    for (const m of this.data.library) files.push({ id: m, kind: 'given', text: this.ws.texts?.library[m] ?? loading, note: 'library', group: 'Given code (read only)' })
    const solutions = this.ws.texts?.solutions
    if (this.ws.wasGreen && solutions) for (const m of this.data.modules) files.push({ id: `${SOLUTION}${m}`, kind: 'solution', text: solutions[m]!, note: 'the reference', group: 'Reference solution' })
    for (const f of files) if (mine || f.kind !== 'mine') this.editor.setFile(f)
    const nav = $<HTMLElement>(this.root, '.ws-files')
    const groups = new Map<string, typeof files>()
    for (const f of files) groups.set(f.group, [...(groups.get(f.group) ?? []), f])
    nav.replaceChildren(
      ...[...groups].map(([group, list]) =>
        h(
          'div',
          { class: 'ws-file-group' },
          h('h2', { class: 'ws-group-title' }, group),
          h('ul', {}, ...list.map((f) => h('li', {}, h('button', { type: 'button', class: 'ws-tab', 'data-file': f.id, title: f.note, onclick: () => this.editor.show(f.id) }, f.id.replace(SOLUTION, ''))))),
        ),
      ),
      this.ws.wasGreen ? '' : h('p', { class: 'ws-dim ws-solution-later' }, 'The reference solution appears here once the kata is green.'),
    )
    if (this.editor.shown) this.shown(this.editor.shown)
  }

  private shown(id: string): void {
    for (const tab of this.root.querySelectorAll<HTMLElement>('.ws-tab')) {
      if (tab.dataset.file === id) tab.setAttribute('aria-current', 'true')
      else tab.removeAttribute('aria-current')
    }
    const kind = id.startsWith(SOLUTION) ? 'the reference solution, read only' : this.ws.mine.includes(id) ? 'yours to edit' : 'given, read only'
    $(this.root, '.ws-file-name').textContent = `workspace/${id.replace(SOLUTION, '')}`
    $(this.root, '.ws-file-note').textContent = kind
    this.outline(id)
  }

  /** The names of the shown file; in the learner's, the functions each task asks for are marked. */
  private outline(id: string): void {
    const toWrite = new Map<string, KataTaskData>()
    for (const t of this.data.tasks) if (t.track === 'core') for (const w of t.write) if (w.module === id) toWrite.set(w.name, t)
    const items = this.editor.declarations(id).map((d) => {
      const task = toWrite.get(d.name)
      return h(
        'li',
        { class: task ? 'ws-to-write' : '' },
        h('button', { type: 'button', class: 'ws-link', onclick: () => this.editor.reveal(id, { pos: d.at }) }, d.name),
        task ? h('span', { class: 'ws-badge' }, `you write · task ${task.number}`) : '',
      )
    })
    $(this.root, '.ws-outline ul').replaceChildren(...items)
    const outline = $<HTMLDetailsElement>(this.root, '.ws-outline')
    if (toWrite.size) outline.open = true
  }

  private changed(id: string): void {
    this.dirty.add(id)
    this.status('edited: the checks run when you pause or press Ctrl S')
    clearTimeout(this.typing)
    this.typing = setTimeout(() => void this.saveAndRun(), TYPING_PAUSE_MS)
  }

  private async saveDirty(): Promise<void> {
    await this.loadTexts()
    const ids = [...this.dirty]
    this.dirty.clear()
    for (const id of ids) await this.ws.save(id, this.editor.text(id) ?? '')
  }

  async saveAndRun(): Promise<void> {
    clearTimeout(this.typing)
    const saving = this.saveDirty()
    this.status('running…')
    await saving
    this.outline(this.editor.shown)
    await this.run()
  }

  private status(text: string): void {
    $(this.root, '.ws-verdict').setAttribute('data-state', text === 'running…' ? 'running' : 'idle')
    let line = this.root.querySelector('.ws-status')
    if (!line) {
      line = h('p', { class: 'ws-status ws-dim' })
      $(this.root, '.ws-results').insertBefore(line, $(this.root, '.ws-verdict'))
    }
    line.textContent = text
  }

  async run(): Promise<void> {
    this.status('running…')
    const t0 = performance.now()
    const outcome: Outcome | undefined = await this.runner.run(this.ws.tree())
    if (!outcome) return // a newer save replaced this run
    const v = verdictOf(this.data, outcome, 'result' in outcome ? outcome.result.ms / 1000 : (performance.now() - t0) / 1000)
    if (v.green && !this.deepLoaded) {
      // The core is green: from now on the deep tasks run too, and this verdict is theirs as well.
      try {
        this.runner.useBundle({ name: this.data.name, code: await this.loadDeep() })
        this.deepLoaded = true
        return await this.run()
      } catch {
        // Without the whole bundle the core verdict stands; the next green run tries again.
      }
    }
    this.last = v
    const wasGreen = this.ws.wasGreen
    this.render(v)
    await this.ws.record(v)
    if (!wasGreen && this.ws.wasGreen) {
      this.loadFiles()
      this.notice({ text: `✓ Kata ${this.data.id} is green. The reference solution is now beside your files, and Export takes your work to the terminal course.` })
    }
  }

  /** The verdict panel's content for `v`. */
  private paint(v: KataVerdict): void {
    $<HTMLElement>(this.root, '.ws-verdict').replaceChildren(
      renderVerdict(v, {
        jump: (place) => this.jump(place),
        hints: (task) => this.ws.hints(task.slug),
        nextHint: (task) => void this.hint(task),
      }),
    )
  }

  private render(v: KataVerdict): void {
    const panel = $<HTMLElement>(this.root, '.ws-verdict')
    this.paint(v)
    this.runs++
    panel.dataset.run = String(this.runs)
    panel.dataset.green = String(v.green)
    this.status(v.green ? 'green' : v.stopped ? 'stopped' : 'saved')
    // The line the checks point at: a syntax error, a missing import, where a failing check threw.
    const place = v.loadError?.at ?? v.tasks.find((t) => t.failures.length)?.failures[0]?.at
    const text = v.loadError?.message ?? v.tasks.find((t) => t.failures.length)?.failures[0]?.message ?? ''
    for (const m of this.ws.mine) this.editor.mark(m, place && place.file === m ? place.line : undefined, text)
  }

  private jump(place: SourcePlace): void {
    if (this.editor.has(place.file)) this.editor.reveal(place.file, { line: place.line })
  }

  private async hint(task: KataTaskData): Promise<void> {
    await this.ws.showHint(task.slug)
    if (this.last) this.render(this.last)
    this.root.querySelector<HTMLElement>(`[data-task="${task.slug}"] .ws-hint-list li:last-child`)?.scrollIntoView({ block: 'nearest' })
  }

  private notice(n: Notice): void {
    const box = $<HTMLElement>(this.root, '.ws-notices')
    const close = h('button', { type: 'button', class: 'ws-link', 'aria-label': 'Dismiss' }, '×')
    const p = h('div', { class: 'ws-notice' }, h('p', {}, n.text), n.download ? h('button', { type: 'button', class: 'ws-link', onclick: () => download(n.download!.name, n.download!.text) }, `Download ${n.download.name}`) : '', close)
    close.addEventListener('click', () => p.remove())
    box.append(p)
  }

  private async refreshUndo(): Promise<void> {
    const n = await this.ws.backupCount()
    const undo = $<HTMLButtonElement>(this.root, '[data-action="undo"]')
    undo.disabled = n === 0
    undo.textContent = n ? `Undo reset (${n} saved)` : 'Undo reset'
  }

  /** The learner's files in the editor again, after a reset, an undo or an import. */
  private async reloadFromStore(): Promise<void> {
    this.dirty.clear()
    this.loadFiles()
    await this.refreshUndo()
    await this.run()
  }

  private wireToolbar(): void {
    const on = (action: string, fn: () => unknown) => $<HTMLButtonElement>(this.root, `[data-action="${action}"]`).addEventListener('click', () => void fn())
    on('run', () => this.saveAndRun())
    on('copy', async () => {
      const id = this.editor.shown
      try {
        await navigator.clipboard.writeText(this.editor.text(id) ?? '')
        this.notice({ text: `Copied workspace/${id.replace(SOLUTION, '')}.` })
      } catch {
        this.notice({ text: 'The browser did not allow copying: select the text with Ctrl A and copy it.' })
      }
    })
    on('export', async () => {
      await this.saveDirty()
      if (!this.ws.started) this.notice({ text: 'Nothing of yours to export yet: the export holds the files you have saved here.' })
      download(EXPORT_NAME, (await exportZip(this.ws.allFiles(), this.ws.progressFile())) as BlobPart, 'application/zip')
      this.notice({ text: `Exported ${EXPORT_NAME}: unzip it in the course folder (it holds workspace/), then \`katas check ${this.data.id}\` runs on it.` })
    })
    const input = $<HTMLInputElement>(this.root, 'input[type="file"]')
    on('import', () => input.click())
    input.addEventListener('change', () => void this.importFile(input))
    on('reset', async () => {
      const button = $<HTMLButtonElement>(this.root, '[data-action="reset"]')
      clearTimeout(this.disarm)
      if (!this.resetArmed) {
        this.resetArmed = true
        button.textContent = 'Reset: click again to confirm'
        this.disarm = setTimeout(() => {
          this.resetArmed = false
          button.textContent = 'Reset the kata'
        }, 4000)
        return
      }
      this.resetArmed = false
      button.textContent = 'Reset the kata'
      await this.saveDirty()
      const done = await this.ws.reset()
      this.notice({ text: done ? `Kata ${this.data.id} is back to its stubs. Your version is saved: Undo reset brings it back.` : 'Nothing to reset: your files are the stubs.' })
      await this.reloadFromStore()
    })
    on('undo', async () => {
      await this.saveDirty()
      const r = await this.ws.undo()
      if (r) this.notice({ text: `Brought back the version saved at ${new Date(r.at).toLocaleTimeString()}.${r.keptReplaced ? ' The code it replaced is kept at the back of the undo list.' : ''}` })
      await this.reloadFromStore()
    })
  }

  private async importFile(input: HTMLInputElement): Promise<void> {
    const file = input.files?.[0]
    input.value = ''
    if (!file) return
    try {
      await this.saveDirty()
      const got = await readZip(file.name, new Uint8Array(await file.arrayBuffer()), this.data.course, this.ws.katas)
      await this.ws.importFiles(got.records, got.progress)
      const skipped = got.skipped.length ? ` Left out (not model modules): ${got.skipped.slice(0, 5).join(', ')}${got.skipped.length > 5 ? ', …' : ''}.` : ''
      this.notice({ text: `Imported ${got.records.length} file${got.records.length === 1 ? '' : 's'}${got.progress ? ' and the progress file' : ''} from ${file.name}. Files it replaced are saved: Undo reset brings them back.${skipped}` })
      await this.reloadFromStore()
    } catch (err) {
      this.notice({ text: err instanceof ImportError ? `Import failed: ${err.message}` : `Import failed: ${(err as Error).message}` })
    }
  }
}

async function boot(): Promise<void> {
  const root = document.querySelector<HTMLElement>('article.workspace')
  if (!root) return
  const base = document.body.dataset.base ?? ''
  try {
    const dataResponse = await fetch(`${base}${root.dataset.src}`)
    if (!dataResponse.ok) throw new Error(`${root.dataset.src}: ${dataResponse.status}`)
    const data = (await dataResponse.json()) as KataData
    const [bundle, store] = await Promise.all([
      fetch(`${base}workspace/${data.bundle}`).then((r) => (r.ok ? r.text() : Promise.reject(new Error(`${data.bundle}: ${r.status}`)))),
      openStore(),
    ])
    const ws = await Workspace.open(data, store)
    await new Page(root, data, ws, bundle).start()
  } catch (err) {
    const host = root.querySelector('.ws-editor') ?? root
    host.replaceChildren(h('p', { class: 'ws-bad' }, `The workspace could not load: ${(err as Error).message}. Reload the page, or do the kata in the terminal (npm start).`))
  }
}

void boot()
