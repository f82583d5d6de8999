// What a stepped diagram's enlarged view needs from the figure it enlarges.
export interface Stepper {
  figure: HTMLElement
  frames: HTMLElement[]
  at: number
  show(i: number): void
}

/** A button that stays focusable at the end of its range: `disabled` would drop the focus to the page. */
export function setEnabled(button: HTMLButtonElement, enabled: boolean): void {
  button.setAttribute('aria-disabled', String(!enabled))
}

export const enabled = (button: HTMLButtonElement): boolean => button.getAttribute('aria-disabled') !== 'true'
