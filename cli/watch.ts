// `katas` with no arguments: watch the workspace, re-run the current kata on every
// save, and answer single keys. One vitest instance serves every re-run.
import path from 'node:path'
import readline from 'node:readline'
import type { Kata } from '../harness/course.ts'
import { showHint } from './commands/hint.ts'
import { type Context, record } from './context.ts'
import { renderList, renderResult } from './render.ts'
import type { KataResult } from './runner.ts'
import { currentKata, saveState } from './state.ts'
import { bold, cyan, dim, green, progressBar, yellow } from './style.ts'
import { ALL_DONE, WATCH_KEYS } from './text.ts'
import { chooseWatchMode, watchSources } from './watcher.ts'
import { resetKata } from './workspace.ts'
import { siteWanted, startLessonSite } from '../site/watch-hook.ts'

export async function watchMode(ctx: Context): Promise<number> {
  const tty = !!process.stdin.isTTY && !!process.stdout.isTTY
  let kata: Kata = currentKata(ctx.katas, ctx.state) ?? ctx.katas[ctx.katas.length - 1]!
  const choice = chooseWatchMode(ctx.ws)
  let last: KataResult | undefined
  let notice = ''
  let confirmReset = false
  let running: Promise<void> | undefined
  let again = false
  // The lessons site, served beside the loop; its URL is one line of the screen.
  const site = siteWanted() ? startLessonSite(ctx.katas, ctx.ws, () => draw()) : undefined

  const draw = () => {
    const done = ctx.katas.filter((k) => ctx.state.katas[k.id]?.status === 'passed').length
    const where = path.relative(process.cwd(), ctx.ws) || '.'
    const lines = [
      `${bold('Service Katas')}  ${progressBar(done, ctx.katas.length)}`,
      dim(`watching ${where}/ (${choice.mode === 'events' ? 'file events' : `polling: ${choice.reason}`})`),
      ...(site ? [dim(site.line())] : []),
      '',
      last ? renderResult(last, ctx.ws) : dim(`running ${kata.id} ${kata.title}…`),
    ]
    if (last?.green) {
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

  const run = async (): Promise<void> => {
    if (running) {
      again = true
      return running
    }
    running = (async () => {
      do {
        again = false
        last = await ctx.runner.run(kata)
        record(ctx, last)
      } while (again)
      draw()
    })()
    try {
      await running
    } finally {
      running = undefined
    }
  }

  const stopWatching = watchSources(ctx.ws, choice.mode, (files) => {
    for (const f of files) ctx.runner.invalidate(f)
    notice = ''
    void run()
  })

  let quit!: () => void
  const finished = new Promise<void>((resolve) => (quit = resolve))

  const onKey = async (key: string) => {
    if (confirmReset) {
      confirmReset = false
      if (key === 'y') {
        const backup = resetKata(kata, ctx.ws)
        for (const m of kata.modules) ctx.runner.invalidate(path.join(ctx.ws, m))
        notice = dim(`${kata.id} is back to its stubs; your version is in ${path.relative(process.cwd(), backup)} (katas reset --undo ${kata.id}).`)
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
        notice = showHint(ctx, kata.id, undefined, 'Pressing h again')
        draw()
        return
      case 'l':
        notice = renderList(ctx.katas, ctx.state)
        draw()
        return
      case 'x':
        confirmReset = true
        draw()
        return
      case 'n': {
        const next = ctx.katas[ctx.katas.indexOf(kata) + 1]
        if (!last?.green) notice = yellow(`${kata.id} is not green yet — finish it first (h shows a hint).`)
        else if (!next) notice = green(ALL_DONE)
        else {
          kata = next
          last = undefined
          notice = ''
          draw()
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

  // Keys: raw single keys on a terminal; one key per line on a pipe (scripts, tests).
  let closeInput: () => void
  if (process.stdin.isTTY) {
    readline.emitKeypressEvents(process.stdin)
    process.stdin.setRawMode(true)
    const handler = (_s: string, k: readline.Key | undefined) => {
      if (k?.ctrl && k.name === 'c') quit()
      else if (k?.name) void onKey(k.name.toLowerCase())
    }
    process.stdin.on('keypress', handler)
    closeInput = () => {
      process.stdin.off('keypress', handler)
      process.stdin.setRawMode(false)
      process.stdin.pause()
    }
  } else {
    const rl = readline.createInterface({ input: process.stdin })
    rl.on('line', (line) => void onKey(line.trim().toLowerCase().slice(0, 1)))
    rl.on('close', () => quit())
    closeInput = () => rl.close()
  }

  await run()
  await finished
  stopWatching()
  await site?.close()
  closeInput()
  await running
  saveState(ctx.state, ctx.ws)
  return 0
}
