#!/usr/bin/env node
// The site generator as one ES module (and the chunks of what only some builds load),
// with the npm packages every build loads inside it: tsc's output (dist/site/, 52
// modules) and markdown-it, minisearch and anser (about 40 more) are one file, and
// Node resolving and loading them one by one was a tenth of a second of each build.
// lezer's TypeScript and YAML parsers, which only a build that highlights code loads, are
// chunks beside it. `npm run build` (and npm install's prepare script) writes it
// to dist/site-bundle/; site/run.mjs runs it while no source is newer, and otherwise
// bundles the same into build/.cache/site-main/.
//
// The other packages stay outside: shiki (highlight-engine.mjs loads it and its grammars
// from their files), esbuild (a native binary), typedoc and TypeScript (API pages and
// workspaces only), js-yaml, which harness/core-yaml.ts loads on first use, and yaml,
// which only a lesson whose front matter has a problem loads.
// Plain JavaScript, so it runs before anything is compiled.
import { mkdirSync, rmSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
export const DIST_BUNDLE = path.join(ROOT, 'dist', 'site-bundle')
const INSIDE = new Set(['markdown-it', 'markdown-it-container', 'minisearch', 'anser', '@lezer/javascript', '@lezer/yaml', '@lezer/highlight'])

/** `markdown-it/lib/x` → `markdown-it`, `@scope/pkg/x` → `@scope/pkg`. @param {string} spec */
const packageName = (spec) => spec.split('/').slice(0, spec.startsWith('@') ? 2 : 1).join('/')

/** Bundles site/main.ts into `outDir`/main.mjs; what it imports dynamically becomes chunks beside it. @param {string} outDir */
export async function bundleGenerator(outDir) {
  const { build } = await import('esbuild')
  rmSync(outDir, { recursive: true, force: true })
  mkdirSync(outDir, { recursive: true })
  await build({
    entryPoints: { main: path.join(ROOT, 'site', 'main.ts') },
    outdir: outDir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'error',
    // Node reads and compiles a third fewer bytes; names are kept, so a stack trace still names its functions.
    minifyWhitespace: true,
    minifySyntax: true,
    // The packages inside are CommonJS, whose require() of Node's modules needs one in an ES module.
    banner: { js: "import { createRequire as __siteRequire } from 'node:module';\nconst require = __siteRequire(import.meta.url);" },
    plugins: [
      {
        name: 'packages-outside',
        setup(b) {
          // A bare import from the course's code stays outside unless it is one of INSIDE;
          // inside a bundled package, its own imports are bundled with it.
          b.onResolve({ filter: /^[^./]/ }, (args) => {
            if (args.importer.includes(`${path.sep}node_modules${path.sep}`) && !args.path.startsWith('node:')) return undefined
            return INSIDE.has(packageName(args.path)) ? undefined : { path: args.path, external: true }
          })
        },
      },
    ],
  })
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) await bundleGenerator(DIST_BUNDLE)
