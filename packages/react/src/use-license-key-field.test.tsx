import { act, fireEvent, render, screen } from '@testing-library/react'
import { describe, expect, it, vi } from 'vitest'
import { backspace, edit, type } from './test-support/input-events.js'
import {
  type LicenseKeyField,
  type UseLicenseKeyFieldOptions,
  useLicenseKeyField,
} from './use-license-key-field.js'

const KEY = 'SHOP-A1B2-C3D4-E5F6-G7H8'

function Field({
  options,
  hook,
}: {
  options: UseLicenseKeyFieldOptions
  hook: { current?: LicenseKeyField }
}) {
  const field = useLicenseKeyField(options)
  hook.current = field
  return (
    <input
      aria-label="License key"
      value={field.value}
      onChange={field.onChange}
      onPaste={field.onPaste}
      onBlur={field.onBlur}
      ref={field.ref}
    />
  )
}

function setup(options: UseLicenseKeyFieldOptions = {}) {
  const hook: { current?: LicenseKeyField } = {}
  const view = render(<Field options={options} hook={hook} />)
  const input = screen.getByLabelText<HTMLInputElement>('License key')
  input.focus()
  const current = () => {
    if (hook.current === undefined) throw new Error('not rendered')
    return hook.current
  }
  const rerender = (next: UseLicenseKeyFieldOptions) =>
    view.rerender(<Field options={next} hook={hook} />)
  return { input, current, rerender }
}

describe('useLicenseKeyField()', () => {
  it('formats each edit and reports the caret it placed', () => {
    const { input, current } = setup()
    type(input, 'shop-a1b2c')
    expect(current().value).toBe('SHOP-A1B2-C')
    expect(input.value).toBe('SHOP-A1B2-C')
    expect(current().caret).toBe(11)
    input.setSelectionRange(7, 7)
    type(input, 'x')
    expect(input.value).toBe('SHOP-A1XB-2C')
    expect(current().caret).toBe(8)
    expect(input.selectionStart).toBe(8)
  })

  it('formats a paste event followed by an edit without inputType as a whole key', () => {
    const { input, current } = setup()
    fireEvent.paste(input)
    edit(input, 'shopa1b2c3d4e5f6g7h8', 20)
    expect(current().value).toBe(KEY)
  })

  it('groups by its format and completes a dashless key on blur', () => {
    const { input, current } = setup({ format: { groups: 3 } })
    type(input, 'ecoa1b2c3d4e5f6')
    expect(input.value).toBe('ECOA1B2C3D4E5F6')
    fireEvent.blur(input)
    expect(input.value).toBe('ECO-A1B2-C3D4-E5F6')
    expect(current().caret).toBeNull()
  })

  it('leaves an incomplete value alone on blur, without reporting an edit', () => {
    const onEdit = vi.fn()
    const { input } = setup({ onEdit })
    type(input, 'shopa1b2')
    onEdit.mockClear()
    fireEvent.blur(input)
    expect(input.value).toBe('SHOPA1B2')
    expect(onEdit).not.toHaveBeenCalled()
  })

  it('reports every change of value to onEdit, from the user and from code', () => {
    const onEdit = vi.fn()
    const { input, current } = setup({ onEdit })
    type(input, 'ab')
    expect(onEdit).toHaveBeenCalledTimes(2)
    backspace(input)
    expect(onEdit).toHaveBeenCalledTimes(3)
    act(() => current().setValue('shop a1b2'))
    act(() => current().reset())
    expect(onEdit).toHaveBeenCalledTimes(5)
  })

  it('calls the onEdit of the last render', () => {
    const first = vi.fn()
    const second = vi.fn()
    const { input, rerender } = setup({ onEdit: first })
    rerender({ onEdit: second })
    type(input, 'a')
    expect(first).not.toHaveBeenCalled()
    expect(second).toHaveBeenCalledTimes(1)
  })

  it('sets the value from code as a whole key, or maps the current one', () => {
    const { input, current } = setup({ initialValue: 'shopa1b2c3d4e5f6g7h8' })
    expect(input.value).toBe(KEY)
    act(() => current().setValue((value) => value.slice(0, 9)))
    expect(input.value).toBe('SHOP-A1B2')
    expect(current().caret).toBeNull()
    act(() => current().reset())
    expect(input.value).toBe('')
  })

  it('keeps its callbacks across renders and reads the committed value through getValue', () => {
    const { input, current } = setup()
    const first = current()
    type(input, 'shop-a1')
    const { onChange, onPaste, onBlur, setValue, getValue, reset, ref } = current()
    expect({ onChange, onPaste, onBlur, setValue, getValue, reset, ref }).toEqual({
      onChange: first.onChange,
      onPaste: first.onPaste,
      onBlur: first.onBlur,
      setValue: first.setValue,
      getValue: first.getValue,
      reset: first.reset,
      ref: first.ref,
    })
    expect(first.getValue()).toBe('SHOP-A1')
  })
})
