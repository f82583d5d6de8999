// Stepped diagrams: `::: steps Title` with one `![alt](frame.svg)` + caption per frame,
// rendered as a figure whose frames are inlined SVG, stepped with prev/next buttons and
// enlarged in a dialog (site/assets/steps.ts).
import { readFileSync } from 'node:fs'
import path from 'node:path'
import type { MarkdownIt, Token } from 'markdown-it'
import container from 'markdown-it-container'
import type { PageEnv, RenderContext } from '../context.ts'
import { SiteError } from '../errors.ts'
import { escapeHtml } from '../html.ts'
import { inlineSvg, svgProblem } from '../svg.ts'

export function steppedDiagramsPlugin(md: MarkdownIt, site: RenderContext): void {
  md.use(container, 'steps', {
    render(tokens: Token[], idx: number) {
      const token = tokens[idx]!
      if (token.nesting !== 1) {
        return `</ol><div class="steps-nav" hidden><button type="button" class="steps-prev" aria-label="Previous step">←</button><span class="steps-count" aria-live="polite"></span><button type="button" class="steps-next" aria-label="Next step">→</button><button type="button" class="steps-zoom">Enlarge</button></div></figure>\n`
      }
      const title = token.info.trim().replace(/^steps\s*/, '')
      return `<figure class="steps"><figcaption class="steps-title">${md.renderInline(title)}</figcaption><ol class="steps-frames">\n`
    },
  })

  md.core.ruler.push('stepped_diagrams', (state) => {
    const env = state.env as Partial<PageEnv> & { file: string }
    const tokens = state.tokens
    let inSteps = false
    let frame = 0
    let figure = 0
    for (let i = 0; i < tokens.length; i++) {
      const token = tokens[i]!
      if (token.type === 'container_steps_open') {
        inSteps = true
        frame = 0
        figure++
        continue
      }
      if (token.type === 'container_steps_close') {
        inSteps = false
        continue
      }
      if (!inSteps || token.type !== 'paragraph_open') continue
      const inline = tokens[i + 1]!
      const line = (token.map?.[0] ?? 0) + 1 + (env.bodyLine ?? 0)
      const children = inline.children ?? []
      const image = children[0]
      if (image?.type !== 'image') throw new SiteError(env.file, line, 'steps: expected each frame to start with ![alt text](frame.svg), then its caption')
      const src = String(image.attrGet('src') ?? '')
      const alt = image.content
      const file = path.resolve(site.lessonsDir, src)
      let svg: string
      try {
        svg = readFileSync(file, 'utf8')
      } catch {
        throw new SiteError(env.file, line, `steps: the frame ${src} does not exist (looked for ${file})`)
      }
      const problem = svgProblem(svg)
      if (problem) throw new SiteError(env.file, line, `steps: ${src}: ${problem}`)
      frame++
      const caption = children.slice(1).filter((t, k) => !(k === 0 && (t.type === 'softbreak' || t.type === 'hardbreak')))
      const captionHtml = md.renderer.renderInline(caption, md.options, env)
      const prefix = `${env.idPrefix ?? 'p'}-d${figure}-f${frame}`
      const rel = path.relative(site.lessonsDir, file).split(path.sep).join('/')
      env.diagrams?.push(rel)
      const html = `<li class="step"><div class="step-svg" data-src="${escapeHtml(rel)}">${inlineSvg(svg, prefix, alt)}</div><p class="step-caption"><span class="step-num">${frame}</span> ${captionHtml}</p></li>\n`
      const block = new state.Token('html_block', '', 0)
      block.content = html
      block.map = token.map
      tokens.splice(i, 3, block)
    }
  })
}
