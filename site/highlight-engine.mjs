// The regular-expression engine the code highlighter gives shiki: oniguruma (WebAssembly),
// as shiki's own, with each distinct pattern compiled once. A grammar's rules repeat
// the same patterns (TypeScript's 61 scanners hold 2,058 patterns, 267 of them
// distinct), and compiling them is most of a first highlight's time.
//
// A scanner here is one oniguruma scanner per pattern, shared by every rule that has
// it. Its match is the one vscode-oniguruma's own scanner returns for a long line
// (onig.cc, findNextOnigScannerMatch): each pattern searched alone, the earliest start
// wins, the first pattern on a tie; a pattern's last search is reused while the line,
// the options and the match still fit, unless the pattern holds \G. For a short line
// onig.cc searches a RegSet instead, leftmost position first, then pattern order: the
// same match.
//
// Plain JavaScript, loaded from its file by highlight.ts (not bundled with the generator),
// so a build served from the cache never loads shiki.
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import v8 from 'node:v8'

/**
 * @typedef {import('shiki/core').RegexEngine} Engine
 * @typedef {import('shiki/core').PatternScanner} Scanner
 * @typedef {import('shiki/core').RegexEngineString} OnigString
 * @typedef {NonNullable<ReturnType<Scanner['findNextMatchSync']>>} Match
 */

/** The global WebAssembly, which the project's TypeScript settings (no DOM library) do not declare. */
const webAssembly = /** @type {{ WebAssembly: { instantiate(bytes: Uint8Array, imports: unknown): Promise<any> } }} */ (/** @type {unknown} */ (globalThis)).WebAssembly

/** One pattern's oniguruma scanner and its last search. */
class Pattern {
  /** @param {Scanner} scanner @param {string} source */
  constructor(scanner, source) {
    this.scanner = scanner
    // As onig.cc's hasGAnchor: a \G match depends on where the search starts, so is never reused.
    this.reusable = !source.includes('\\G')
    /** @type {OnigString | undefined} */
    this.string = undefined
    this.options = 0
    this.position = 0
    /** @type {Match | null} */
    this.match = null
  }

  /** The pattern's first match at or after `position`, or null. @param {OnigString} string @param {number} position @param {number} options */
  search(string, position, options) {
    if (this.reusable && this.string === string && this.options === options && this.position <= position) {
      if (this.match === null) return null
      if ((this.match.captureIndices[0]?.start ?? -1) >= position) return this.match
    }
    this.string = string
    this.options = options
    this.position = position
    this.match = this.scanner.findNextMatchSync(string, position, options)
    return this.match
  }
}

/** Patterns in a rule's order; a match's `index` is the pattern's place in it. */
class SharedScanner {
  /** @param {Pattern[]} patterns @param {Engine} engine */
  constructor(patterns, engine) {
    this.patterns = patterns
    this.engine = engine
  }

  /** @param {OnigString | string} string @param {number} position @param {number} [options] @returns {Match | null} */
  findNextMatchSync(string, position, options = 0) {
    if (typeof string !== 'string') return this.search(string, position, options)
    // A line given as text (vscode-textmate gives its own strings): one search, then freed, as shiki's scanner does.
    const onigString = this.engine.createString(string)
    const match = this.search(onigString, position, options)
    onigString.dispose?.()
    return match
  }

  /** @param {OnigString} string @param {number} position @param {number} options @returns {Match | null} */
  search(string, position, options) {
    /** @type {Match | null} */
    let best = null
    let bestIndex = 0
    for (let i = 0; i < this.patterns.length; i++) {
      const match = this.patterns[i]?.search(string, position, options)
      const start = match?.captureIndices[0]?.start
      if (!match || start === undefined) continue
      if (best === null || start < (best.captureIndices[0]?.start ?? 0)) {
        best = match
        bestIndex = i
      }
      if (start === position) break
    }
    return best && { index: bestIndex, captureIndices: best.captureIndices }
  }

  dispose() {}
}

/**
 * Shiki's oniguruma engine over `shiki/onig.wasm`, read from its file (shiki's own
 * inlines it as base64 text, which costs a decode), with shared pattern scanners.
 * @returns {Promise<Engine>}
 */
export async function createSharedPatternEngine() {
  // Baseline code only (Liftoff): a build runs oniguruma's code briefly, and optimising
  // it as it warms up costs more CPU than the optimised code saves (~0.25 s of 0.35 s
  // when the patterns compile). Set before the module compiles; it holds for this process.
  v8.setFlagsFromString('--liftoff-only')
  const { createOnigurumaEngine } = await import('shiki/engine/oniguruma')
  const wasm = await readFile(createRequire(import.meta.url).resolve('shiki/onig.wasm'))
  // An instantiator, not the bytes: for bytes shiki first asks whether they are a fetch
  // Response, and naming `Response` makes Node load its fetch implementation (undici).
  /** @type {Engine} */
  const onig = await createOnigurumaEngine({ instantiator: (imports) => webAssembly.instantiate(wasm, imports) })
  /** @type {Map<string, Pattern>} */
  const compiled = new Map()
  /** @type {Engine} */
  const engine = {
    createString: (s) => onig.createString(s),
    createScanner(patterns) {
      const shared = patterns.map((p) => {
        const source = typeof p === 'string' ? p : p.source
        let pattern = compiled.get(source)
        if (!pattern) compiled.set(source, (pattern = new Pattern(onig.createScanner([source]), source)))
        return pattern
      })
      return new SharedScanner(shared, engine)
    },
  }
  return engine
}

/**
 * A shiki highlighter with shiki's CSS-variables theme made from `theme`, on the engine
 * above, with the grammars of `langs` (shiki names) loaded: shiki's core, not its full
 * bundle, which would load every grammar's entry and the base64 engine too.
 * @param {{ name: string, variablePrefix: string, fontStyle: boolean }} theme @param {string[]} langs
 */
export async function createSiteHighlighter(theme, langs) {
  const [{ createCssVariablesTheme, createHighlighterCore }, engine] = await Promise.all([import('shiki/core'), createSharedPatternEngine()])
  return createHighlighterCore({ themes: [createCssVariablesTheme(theme)], langs: langs.map(grammar), engine })
}

/** A grammar's module, by its shiki name (`yaml`): the file shiki's bundle would load. @param {string} lang */
export const grammar = (lang) => import(`shiki/langs/${lang}.mjs`)
