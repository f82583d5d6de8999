// Terminal colours, only where they help: a TTY that has not asked for NO_COLOR.
import { styleText } from 'node:util'

type Format = Parameters<typeof styleText>[0]

const enabled = (): boolean => !process.env.NO_COLOR && process.env.FORCE_COLOR !== '0' && (!!process.stdout.isTTY || !!process.env.FORCE_COLOR)

function paint(format: Format) {
  return (text: string): string => (enabled() ? styleText(format, text, { validateStream: false }) : text)
}

export const bold = paint('bold')
export const dim = paint('dim')
export const green = paint('green')
export const red = paint('red')
export const yellow = paint('yellow')
export const cyan = paint('cyan')

/** `[██████░░░░] 6/10`: a progress bar `width` cells wide. */
export function progressBar(done: number, total: number, width = 20): string {
  const filled = total === 0 ? 0 : Math.round((done / total) * width)
  return `${green('█'.repeat(filled))}${dim('░'.repeat(width - filled))} ${done}/${total}`
}
