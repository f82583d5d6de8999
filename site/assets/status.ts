// The learner's progress beside the lessons, from `status.json`, which `katas serve`
// and `npm start` answer live from the workspace. Progress only exists on the
// learner's own machine: site.js loads this module only there.
import { $$, siteBase, stylesheet } from './dom.ts'

interface KataStatus {
  status: 'not-started' | 'failing' | 'passed' | 'given'
  track: 'core' | 'deep'
  tasksPassed: number
  tasksTotal: number
  givenFor?: string
}

interface StatusFile {
  served: boolean
  current?: string
  katas?: Record<string, KataStatus>
}

const WORD: Record<KataStatus['status'], string> = { passed: 'green', failing: 'in progress', 'not-started': 'not started', given: 'given' }

const deep = (s: KataStatus) => (s.track === 'deep' ? ', deep track' : '')

function sentence(s: KataStatus): string {
  const tasks = `${s.tasksPassed} of ${s.tasksTotal} tasks`
  if (s.status === 'given') return `Given: ${s.givenFor ? `katas start ${s.givenFor}` : 'katas start'} filled this kata with the reference code, so later katas compose.`
  const track = s.track === 'deep' ? ' on the deep track' : ''
  if (s.status === 'passed') return `✓ Your kata is green${track}: ${tasks}.`
  if (s.status === 'failing') return `Your kata${track}: ${tasks} green. Save a file to re-run the checks.`
  return `Your kata is not started yet${track}: ${s.tasksTotal} tasks to go.`
}

/** Each lesson in the sidebar gets its progress mark: a dot, and its words for a screen reader. */
function addMarks(): void {
  for (const item of $$<HTMLAnchorElement>('a.nav-item')) {
    const id = item.querySelector('.num')?.textContent ?? ''
    if (!id || item.querySelector('.mark')) continue
    const mark = document.createElement('span')
    mark.className = 'mark'
    mark.dataset.kata = id
    mark.setAttribute('aria-hidden', 'true')
    const text = document.createElement('span')
    text.className = 'mark-text visually-hidden'
    text.dataset.kataText = id
    item.append(mark, text)
  }
}

async function refresh(): Promise<boolean> {
  let data: StatusFile
  try {
    const response = await fetch(`${siteBase()}status.json`, { cache: 'no-store' })
    if (!response.ok) return false
    data = (await response.json()) as StatusFile
  } catch {
    return false
  }
  const katas = data.katas
  if (!data.served || !katas) return false
  addMarks()
  for (const mark of $$<HTMLElement>('.mark[data-kata]')) {
    const id = mark.dataset.kata ?? ''
    const s = katas[id]
    mark.className = `mark${s ? ` mark-${s.status}` : ''}${s?.track === 'deep' ? ' mark-deep' : ''}${id === data.current ? ' mark-current' : ''}`
    mark.title = s ? `Kata ${WORD[s.status]}${deep(s)}: ${s.tasksPassed} of ${s.tasksTotal} tasks green` : ''
  }
  for (const text of $$<HTMLElement>('[data-kata-text]')) {
    const s = katas[text.dataset.kataText ?? '']
    text.textContent = s ? ` (kata ${WORD[s.status]}${deep(s)})` : ''
  }
  for (const box of $$<HTMLElement>('.kata-status[data-kata]')) {
    const s = katas[box.dataset.kata ?? '']
    if (!s) continue
    box.hidden = false
    box.className = `kata-status kata-status-${s.status}`
    box.textContent = sentence(s)
  }
  return true
}

export function setupStatus(): void {
  // The marks show once their stylesheet applies, never as bare elements.
  void stylesheet(new URL('status.css', import.meta.url).href)
    .then(refresh)
    .then((served) => {
      if (!served) return
      setInterval(() => {
        if (document.visibilityState === 'visible') void refresh()
      }, 4000)
    })
}
