// Callouts: `::: note|caution|misconception|predict [Title]` as labelled asides.
import type { MarkdownIt, Token } from 'markdown-it'
import container from 'markdown-it-container'
import { escapeHtml } from '../html.ts'

export const CALLOUTS = {
  note: 'Note',
  caution: 'Caution',
  misconception: 'Misconception',
  predict: 'Predict, then run',
} as const

export type CalloutKind = keyof typeof CALLOUTS

/** `note Where the model simplifies` → its kind and title; a quoted title loses its quotes. */
export function parseCalloutInfo(info: string): { kind: string; title: string } {
  const [kind = '', ...rest] = info.trim().split(/\s+/)
  const title = rest.join(' ').replace(/^"(.*)"$/, '$1').replace(/^“(.*)”$/, '$1')
  return { kind, title }
}

export function calloutsPlugin(md: MarkdownIt): void {
  for (const [kind, label] of Object.entries(CALLOUTS)) {
    md.use(container, kind, {
      render(tokens: Token[], idx: number) {
        const token = tokens[idx]!
        if (token.nesting !== 1) return '</div></aside>\n'
        const { title } = parseCalloutInfo(token.info)
        const heading = title
          ? `<span class="callout-kind">${label}</span><span class="callout-title">${md.renderInline(title)}</span>`
          : `<span class="callout-kind">${label}</span>`
        return `<aside class="callout callout-${kind}" aria-label="${escapeHtml(title ? `${label}: ${title}` : label)}"><p class="callout-head">${heading}</p><div class="callout-body">\n`
      },
    })
  }
}
