'use client'
import type { LicenseKeyFormat } from '@licensekit/core'
import {
  type ChangeEvent,
  type ClipboardEvent,
  type RefCallback,
  useCallback,
  useRef,
  useState,
} from 'react'
import {
  completeLicenseKeyInput,
  formatLicenseKeyInput,
  interpretKeyEdit,
} from './key-input-format.js'
import { useCurrentRef, useIsomorphicLayoutEffect } from './use-current-ref.js'

export interface UseLicenseKeyFieldOptions {
  /** The value the field starts with (formatted on the way in). */
  initialValue?: string | undefined
  /** The prefix your keys start with: a dash then follows it without being typed. */
  prefix?: string | undefined
  /** Your keys' format; four groups and any prefix by default. */
  format?: LicenseKeyFormat | undefined
  /** Called whenever the value is changed, by the user or through `setValue`/`reset`. */
  onEdit?: (() => void) | undefined
}

export interface LicenseKeyField {
  /** The formatted key, e.g. `SHOP-A1B2-C3`. */
  value: string
  /** Where the caret goes after the last edit; `null` when the value was set from code. */
  caret: number | null
  /** Sets the value from code (formatted like a whole key), or maps the current one. */
  setValue: (value: string | ((current: string) => string)) => void
  /** The value of the last committed render, for callbacks that must not change identity. */
  getValue: () => string
  onChange: (event: ChangeEvent<HTMLInputElement>) => void
  onPaste: (event: ClipboardEvent<HTMLInputElement>) => void
  onBlur: () => void
  ref: RefCallback<HTMLInputElement>
  /** Empties the field. */
  reset: () => void
}

interface Field {
  value: string
  caret: number | null
}

/**
 * The state of a license-key `<input>`: formats each edit (`interpretKeyEdit`), puts the
 * caret back where it belongs after React re-renders, and completes a dashless key on blur.
 */
export function useLicenseKeyField(options: UseLicenseKeyFieldOptions = {}): LicenseKeyField {
  const { prefix, format } = options
  const [field, setField] = useState<Field>(() => ({
    value: formatLicenseKeyInput(options.initialValue ?? '', undefined, {
      prefix,
      format,
      whole: true,
    }).value,
    caret: null,
  }))
  const input = useRef<HTMLInputElement | null>(null)
  const pasting = useRef(false)
  const latest = useCurrentRef({ value: field.value, prefix, format, onEdit: options.onEdit })

  useIsomorphicLayoutEffect(() => {
    const element = input.current
    if (field.caret === null || element === null) return
    if (element.ownerDocument.activeElement !== element) return
    element.setSelectionRange(field.caret, field.caret)
  }, [field])

  const update = useCallback(
    (next: Field | ((current: Field) => Field)) => {
      setField(next)
      latest.current.onEdit?.()
    },
    [latest],
  )

  const onChange = useCallback(
    (event: ChangeEvent<HTMLInputElement>) => {
      const target = event.currentTarget
      const { value: previous, prefix, format } = latest.current
      const inputType = (event.nativeEvent as Partial<InputEvent>).inputType ?? ''
      const pasted = pasting.current
      pasting.current = false
      const caret = target.selectionStart ?? target.value.length
      update(interpretKeyEdit(previous, target.value, caret, inputType, { prefix, format, pasted }))
    },
    [latest, update],
  )

  const onPaste = useCallback(() => {
    pasting.current = true
  }, [])

  const onBlur = useCallback(() => {
    const { value, prefix, format } = latest.current
    const next = completeLicenseKeyInput(value, { prefix, format })
    if (next !== value) update({ value: next, caret: null })
  }, [latest, update])

  const setValue = useCallback(
    (value: string | ((current: string) => string)) =>
      update((current) => {
        const { prefix, format } = latest.current
        const raw = typeof value === 'function' ? value(current.value) : value
        const next = formatLicenseKeyInput(raw, raw.length, { prefix, format, whole: true })
        return { value: next.value, caret: null }
      }),
    [latest, update],
  )

  const getValue = useCallback(() => latest.current.value, [latest])
  const reset = useCallback(() => update({ value: '', caret: null }), [update])
  const ref = useCallback((element: HTMLInputElement | null) => {
    input.current = element
  }, [])

  return {
    value: field.value,
    caret: field.caret,
    setValue,
    getValue,
    onChange,
    onPaste,
    onBlur,
    ref,
    reset,
  }
}
