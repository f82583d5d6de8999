// `katas` with no arguments: watch the workspace, re-run the current kata on every
// save, and answer single keys. The checks run on the workspace's warm checker
// (./checker/), so a save shows "running…" at once and its verdict a moment later.
import { unwatchFile, watchFile } from 'node:fs'
import path from 'node:path'
import readline from 'node:readline'
import type { Kata, Task } from '../harness/course.ts'
import { ensureServer } from './checker/client.ts'
import { showHint } from './commands/hint.ts'
import { resetKata } from './commands/reset.ts'
import { greenOnTrack, record, refresh, trackResults, type Context } from './context.ts'
import type { Args } from './main.ts'
import { renderList, renderResult } from './render.ts'
import { taskGreen, type KataResult } from './runner.ts'
import { currentKata, stateFile, trackOf } from './state.ts'
import { bold, cyan, dim, green, progressBar, yellow } from './style.ts'
import { ALL_DONE, WATCH_KEYS } from './text.ts'
import { claimWatch, otherWatch, releaseWatch } from './watch-registry.ts'
import { chooseWatchMode, watchSources } from './watcher.ts'
import { editedGivenIn, missingModules } from './workspace.ts'
import { siteWanted, startLessonSite, type LessonSite } from '../site/watch-hook.ts'

/** Keys: raw single keys on a terminal; one key per line on a pipe (scripts, tests). */
function keyInput(onKey: (key: string) => void, onEnd: () => void): () => void {
  if (process.stdin.isTTY) {
    readline.emitKeypressEvents(process.stdin)
    process.stdin.setRawMode(true)
    const handler = (_s: string, k: readline.Key | undefined) => {
      if (k?.ctrl && k.name === 'c') onEnd()
      else if (k?.name) onKey(k.name.toLowerCase())
    }
    process.stdin.on('keypress', handler)
    return () => {
      process.stdin.off('keypress', handler)
      process.stdin.setRawMode(false)
      process.stdin.pause()
    }
  }
  const stdin = process.stdin as NodeJS.ReadStream & { ref?: () => void; unref?: () => void }
  stdin.ref?.()
  const rl = readline.createInterface({ input: stdin })
  rl.on('line', (line) => onKey(line.trim().toLowerCase().slice(0, 1)))
  rl.on('close', onEnd)
  return () => {
    rl.close()
    // An open pipe must not keep the process alive once watch mode is done with it.
    stdin.pause()
    stdin.unref?.()
  }
}

/** A second watch on the workspace: say so, and attach (a second view) or quit. */
async function askAttach(ctx: Context): Promise<boolean> {
  const other = otherWatch(ctx.ws)
  if (!other) return true
  ctx.out(yellow(`Another katas watch runs on this workspace (process ${other.pid}, since ${other.since.slice(11, 16)} UTC).`))
  ctx.out(`Both would re-run the checks on every save; progress is shared. ${bold('a')} attach here too · ${bold('q')} quit`)
  const key = await new Promise<string>((resolve) => {
    // Resolved before the input closes: closing it reports an end of input, which means q.
    const close = keyInput(
      (k) => {
        resolve(k)
        close()
      },
      () => {
        resolve('q')
        close()
      },
    )
  })
  return key === 'a'
}

/** The site's line, with the lesson page of the kata on screen (the site names the current one when it starts). */
function lessonLine(line: string, kata: Kata): string {
  return line.replace(/(https?:\/\/\S+?\/)\d\d-[a-z0-9-]+\.html/, `$1${kata.name}.html`)
}

export async function watchMode(ctx: Context, _args?: Args): Promise<number> {
  const tty = !!process.stdin.isTTY && !!process.stdout.isTTY
  if (!(await askAttach(ctx))) return 0
  const attachedTo = otherWatch(ctx.ws)
  if (!attachedTo) claimWatch(ctx.ws)
  let kata: Kata = currentKata(ctx.katas, ctx.progress) ?? ctx.katas[ctx.katas.length - 1]!
  const choice = chooseWatchMode(ctx.ws)
  let last: KataResult | undefined
  // The first screen clears the terminal: what happened at start-up is shown on it.
  let notice = ctx.notes.join('\n')
  let confirmReset = false
  let runningSince: { file?: string } | undefined
  /** Given functions edited in the current kata, as of the last run. */
  let edited: string[] = []
  // The lessons site, served beside the loop by the first watch only: a second watch does not take another port.
  let site: LessonSite | undefined
  if (!attachedTo && siteWanted()) {
    site = startLessonSite(ctx.katas, ctx.ws, () => {
      claimWatch(ctx.ws, site?.line())
      draw()
    })
  }

  const draw = () => {
    const done = ctx.katas.filter((k) => ctx.progress.katas[k.id]?.status === 'passed').length
    const where = path.relative(process.cwd(), ctx.ws) || '.'
    const siteLine = site ? site.line() : attachedTo?.site
    const lines = [
      `${bold('Service Katas')}  ${progressBar(done, ctx.katas.length)}`,
      dim(`watching ${where}/ (${choice.mode === 'events' ? 'file events' : `polling: ${choice.reason}`})${attachedTo ? ` · attached beside process ${attachedTo.pid}` : ''}`),
      ...(siteLine ? [dim(lessonLine(siteLine, kata))] : []),
      '',
    ]
    if (runningSince) lines.push(cyan(`⟳ running ${kata.id}…${runningSince.file ? dim(` (saved ${path.relative(ctx.ws, runningSince.file)})`) : ''}`), '')
    const view = { mode: 'watch' as const, track: trackOf(ctx.progress, kata), ws: ctx.ws, missing: missingModules(kata, ctx.ws), editedGiven: edited }
    if (last) lines.push(runningSince ? dim(renderResult(last, view)) : renderResult(last, view))
    else if (!runningSince) lines.push(dim(`running ${kata.id} ${kata.title}…`))
    if (last && greenOnTrack(ctx, last) && !runningSince) {
      const next = ctx.katas[ctx.katas.indexOf(kata) + 1]
      lines.push('', green(`✓ ${kata.id} ${kata.title} is green!`))
      lines.push(next ? `Press ${bold('n')} for ${next.id} ${next.title}.` : green(ALL_DONE))
      lines.push(dim(`The reference solution is unlocked: katas solution ${kata.id}`))
    }
    if (notice) lines.push('', notice)
    lines.push('', cyan(confirmReset ? `Reset ${kata.id} to its stubs? Your files are backed up first. [y/N]` : WATCH_KEYS))
    const screen = lines.join('\n')
    process.stdout.write(tty ? `\x1b[2J\x1b[H${screen}\n` : `\n${'─'.repeat(60)}\n${screen}\n`)
  }

  // One run at a time; saves during a run ask for one more run after it.
  let running: Promise<void> | undefined
  let again = false
  const run = (file?: string): Promise<void> => {
    runningSince = { ...(file ? { file } : {}) }
    if (running) {
      again = true
      return running
    }
    draw()
    running = (async () => {
      do {
        again = false
        const target = kata
        const result = await ctx.runner.run(target)
        if (target !== kata) continue
        last = result
        record(ctx, last)
        const track = trackOf(ctx.progress, target)
        edited = result.tasks.some((t) => track === 'core' && t.task.track === 'deep' && t.failures.length > 0) ? await editedGivenIn(target, ctx.ws, track) : []
      } while (again)
      runningSince = undefined
      draw()
    })().finally(() => (running = undefined))
    return running
  }

  const watcher = watchSources(ctx.ws, choice.mode, {
    // "running…" the moment a save is seen; the run starts after editors finish writing.
    onEvent: (file) => {
      if (isScratch(file) || runningSince) return
      runningSince = { file }
      draw()
    },
    onSave: (files) => {
      const relevant = files.filter((f) => !isScratch(f))
      if (relevant.length === 0) return
      notice = ''
      void run(relevant[0])
    },
  })
  const isScratch = (f: string) => path.relative(ctx.ws, f).split(path.sep)[0] === 'scratch'

  // Progress written by another process (a check in another terminal, a second watch): show it.
  const progressFile = stateFile(ctx.ws)
  const onProgress = () => {
    refresh(ctx)
    if (!running) draw()
  }
  watchFile(progressFile, { interval: 300 }, onProgress)

  let quit!: () => void
  const finished = new Promise<void>((resolve) => (quit = resolve))

  const failingTasks = (): Task[] => (last ? trackResults(ctx, last).filter((t) => !taskGreen(t)).map((t) => t.task) : [])

  const onKey = async (key: string) => {
    if (confirmReset) {
      confirmReset = false
      if (key === 'y') {
        const backup = await resetKata(ctx, kata)
        notice = dim(`${kata.id} is back to its stubs; your version is in ${path.relative(process.cwd(), backup.dir)} (katas reset --undo ${kata.id}).`)
        await run()
      } else {
        notice = dim('Reset cancelled.')
        draw()
      }
      return
    }
    switch (key) {
      case 'q':
        quit()
        return
      case 'r':
        notice = ''
        await run()
        return
      case 'h':
        notice = showHint(ctx, kata, { failing: failingTasks(), again: 'Pressing h again' })
        draw()
        return
      case 'l':
        notice = renderList(ctx.katas, ctx.progress)
        draw()
        return
      case 'x':
        confirmReset = true
        draw()
        return
      case 'n': {
        const next = ctx.katas[ctx.katas.indexOf(kata) + 1]
        if (!last || !greenOnTrack(ctx, last)) notice = yellow(`${kata.id} is not green yet — finish it first (h shows a hint).`)
        else if (!next) notice = green(ALL_DONE)
        else {
          kata = next
          last = undefined
          edited = []
          notice = ''
          await run()
          return
        }
        draw()
        return
      }
      default:
        return
    }
  }

  const closeInput = keyInput(
    (k) => void onKey(k).catch((err: Error) => ((notice = yellow(err.message)), draw())),
    () => quit(),
  )
  void ensureServer(ctx.ws)
  await watcher.ready
  await run()
  await finished
  unwatchFile(progressFile, onProgress)
  await watcher.close()
  await site?.close()
  closeInput()
  await running
  if (!attachedTo) releaseWatch(ctx.ws)
  return 0
}
