// Copy buttons on code blocks; a try-it block copies its commands without the `$ ` prompt.
import { $$, announce } from './dom.ts'

function codeText(block: Element): string {
  const code = block.querySelector('pre')
  if (!code) return ''
  if (!block.classList.contains('terminal')) return code.textContent ?? ''
  return $$('.cmd', code)
    .map((line) => (line.textContent ?? '').replace(/^\$ /, ''))
    .join('\n')
}

async function copyText(text: string): Promise<void> {
  if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text)
  const area = document.createElement('textarea')
  area.value = text
  area.setAttribute('readonly', '')
  area.className = 'visually-hidden'
  document.body.append(area)
  area.select()
  document.execCommand('copy')
  area.remove()
}

export function setupCopy(): void {
  document.addEventListener('click', async (e) => {
    const button = (e.target as Element).closest<HTMLButtonElement>('button.copy')
    const block = button?.closest('.code')
    if (!button || !block) return
    try {
      await copyText(codeText(block))
      button.classList.add('copied')
      button.textContent = 'Copied'
      announce('Copied to the clipboard')
    } catch {
      button.textContent = 'Press Ctrl+C'
    }
    setTimeout(() => {
      button.classList.remove('copied')
      button.textContent = 'Copy'
    }, 1600)
  })
}
