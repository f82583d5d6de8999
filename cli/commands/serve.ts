// `katas serve [--port N]`: the lessons as a website on 127.0.0.1, built first when
// missing or stale, with each lesson showing the learner's check status.
import path from 'node:path'
import { defaultOptions } from '../../site/config.ts'
import { SiteError } from '../../site/errors.ts'
import { DEFAULT_PORT, lessonUrl, siteSources, startSite } from '../../site/serve.ts'
import { siteIsStale } from '../../site/stale.ts'
import type { Context } from '../context.ts'
import { UserError } from '../errors.ts'
import type { Args } from '../main.ts'
import { bold, dim } from '../style.ts'

function parsePort(raw: string | undefined): { port: number; explicit: boolean } {
  if (raw === undefined) return { port: DEFAULT_PORT, explicit: false }
  const port = Number(raw)
  if (!raw || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new UserError(`--port: expected a port number 1–65535, got ${JSON.stringify(raw)}`, 'usage: katas serve [--port N]')
  }
  return { port, explicit: true }
}

export async function serve(ctx: Context, args: Args): Promise<number> {
  const { port, explicit } = parsePort(args.values.port as string | undefined)
  const options = defaultOptions()
  if (siteIsStale(options, siteSources(options))) {
    ctx.out(dim('Building the lessons site…'))
    try {
      // Loaded only here: the generator pulls in shiki and esbuild.
      const { buildSite } = await import('../../site/build.ts')
      const result = await buildSite(options)
      ctx.out(dim(`Built ${result.lessons} lesson${result.lessons === 1 ? '' : 's'} into ${path.relative(process.cwd(), options.outDir) || '.'}/.`))
    } catch (err) {
      if (err instanceof SiteError) throw new UserError(`the site cannot be built: ${err.message}`, 'fix the lesson, then run `katas serve` again')
      throw err
    }
  }
  let server
  try {
    server = await startSite(ctx.katas, ctx.ws, port, !explicit, options)
  } catch (err) {
    const e = err as NodeJS.ErrnoException
    if (e.code === 'EADDRINUSE') throw new UserError(`port ${port} is in use`, 'pick another with `katas serve --port N`')
    throw err
  }
  ctx.out(`${bold('Lessons:')} ${lessonUrl(server.url, ctx.katas, ctx.ws, options)}  ${dim('(Ctrl+C to stop)')}`)
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve)
    process.once('SIGTERM', resolve)
  })
  await server.close()
  return 0
}
