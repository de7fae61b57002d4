import { fireEvent } from '@testing-library/react'

/** What a browser does when the user edits: the DOM value and caret change, then `input` fires. */
export function edit(input: HTMLInputElement, value: string, caret: number, inputType?: string) {
  const setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')?.set
  setValue?.call(input, value)
  input.setSelectionRange(caret, caret)
  fireEvent(input, new InputEvent('input', { bubbles: true, inputType }))
}

/** Types `text` at the caret, one character at a time. */
export function type(input: HTMLInputElement, text: string) {
  for (const char of text) {
    const caret = input.selectionStart ?? input.value.length
    edit(
      input,
      input.value.slice(0, caret) + char + input.value.slice(caret),
      caret + 1,
      'insertText',
    )
  }
}

export function backspace(input: HTMLInputElement) {
  const caret = input.selectionStart ?? 0
  edit(
    input,
    input.value.slice(0, caret - 1) + input.value.slice(caret),
    caret - 1,
    'deleteContentBackward',
  )
}

export function deleteForward(input: HTMLInputElement) {
  const caret = input.selectionStart ?? 0
  edit(
    input,
    input.value.slice(0, caret) + input.value.slice(caret + 1),
    caret,
    'deleteContentForward',
  )
}
