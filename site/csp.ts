// The Content-Security-Policy of every page: the site's own scripts, styles and
// images only; no inline scripts, no inline styles, no eval, no framing.
export const CSP_DIRECTIVES: Record<string, string> = {
  'default-src': "'none'",
  'script-src': "'self'",
  'style-src': "'self'",
  'img-src': "'self' data:",
  'connect-src': "'self'",
  'font-src': "'self'",
  'base-uri': "'none'",
  'form-action': "'none'",
}

/** Directives a meta tag cannot carry; the server sends them as a header. */
const HEADER_ONLY: Record<string, string> = { 'frame-ancestors': "'none'" }

/**
 * typedoc's API pages (api/) build parts of the page from HTML strings with
 * `style` attributes; they get inline styles, and still only the site's own scripts.
 */
export const API_DIRECTIVES: Record<string, string> = { ...CSP_DIRECTIVES, 'style-src': "'self' 'unsafe-inline'" }

/**
 * A kata's workspace page: CodeMirror styles the editor from script (constructed
 * style sheets and style attributes), so styles may be inline there; scripts stay
 * the site's own, and the page itself evaluates nothing.
 */
export const WORKSPACE_DIRECTIVES: Record<string, string> = { ...CSP_DIRECTIVES, 'style-src': "'self' 'unsafe-inline'", 'worker-src': "'self'" }

/**
 * The check worker, which runs the learner's code: it may evaluate (the learner's
 * modules and the checks) but reach nothing — no fetch, no imported scripts — so no
 * code it runs can call the network. Sent as a header: a worker takes its policy
 * from its own response, not from the page.
 */
export const WORKER_DIRECTIVES: Record<string, string> = { 'default-src': "'none'", 'script-src': "'unsafe-eval'", 'base-uri': "'none'" }

const join = (directives: Record<string, string>) => Object.entries(directives).map(([k, v]) => `${k} ${v}`).join('; ')

export function cspMeta(directives = CSP_DIRECTIVES): string {
  return join(directives)
}

export function cspHeader(directives = CSP_DIRECTIVES): string {
  return join({ ...directives, ...HEADER_ONLY })
}
