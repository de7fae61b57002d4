'use client'
import {
  isLicenseError,
  isLicenseKey,
  LicenseError,
  type LicenseState,
  normalizeLicenseKey,
} from '@licensekit/core'
import {
  type ChangeEvent,
  type ClipboardEvent,
  type RefCallback,
  useCallback,
  useEffect,
  useId,
  useLayoutEffect,
  useRef,
  useState,
} from 'react'
import { useProvidedClient } from './context.js'
import { formatLicenseKeyInput, licenseKeyFormatError } from './key-input-format.js'
import { describeLicenseError } from './messages.js'

export interface UseLicenseKeyInputOptions {
  /** The value the field starts with (formatted on the way in). */
  initialValue?: string
  /** The prefix your keys start with, e.g. `SHOP`: a dash then follows it without being typed. */
  prefix?: string
  /** Called after a successful `submit()` with the new state. */
  onActivated?: (state: LicenseState) => void
}

/** Spread on an `<input>`: `<input {...inputProps} />`. */
export interface LicenseKeyInputProps {
  value: string
  onChange: (event: ChangeEvent<HTMLInputElement>) => void
  onPaste: (event: ClipboardEvent<HTMLInputElement>) => void
  onBlur: () => void
  ref: RefCallback<HTMLInputElement>
  name: string
  type: 'text'
  autoComplete: 'off'
  autoCorrect: 'off'
  autoCapitalize: 'characters'
  spellCheck: false
  'aria-invalid': boolean
  'aria-describedby': string | undefined
}

/** Spread on the element that shows `message`: `<p {...messageProps}>{message}</p>`. */
export interface LicenseKeyMessageProps {
  id: string
  role: 'status'
}

export interface UseLicenseKeyInputResult {
  /** The formatted key, e.g. `SHOP-A1B2-C3`. */
  value: string
  /** Sets the value from code (formatted like typed-in text). */
  setValue: (value: string) => void
  onChange: (event: ChangeEvent<HTMLInputElement>) => void
  onPaste: (event: ClipboardEvent<HTMLInputElement>) => void
  onBlur: () => void
  inputProps: LicenseKeyInputProps
  messageProps: LicenseKeyMessageProps
  /** The value is a whole key in canonical form (`isLicenseKey`). */
  isComplete: boolean
  /** What is wrong with the value that typing more cannot fix, in words; `null` otherwise. */
  formatError: string | null
  /** Activates the key: resolves with the new state, or `null` when it failed (see `error`). Never rejects. */
  submit: () => Promise<LicenseState | null>
  /** `submit()` is waiting for the server. */
  isPending: boolean
  /** Why the last `submit()` failed; cleared when the value changes or a new submit starts. */
  error: LicenseError | null
  /** `error` in words (`describeLicenseError`). */
  errorMessage: string | null
  /** `formatError ?? errorMessage`: the one line to show under the field. */
  message: string | null
  /** Empties the field and clears the error. */
  reset: () => void
}

interface Field {
  value: string
  caret: number | null
}

const WHOLE_INPUT_TYPES: ReadonlySet<string> = new Set([
  'insertFromPaste',
  'insertFromDrop',
  'insertFromYank',
  'insertReplacementText',
])

function significantLength(value: string): number {
  return value.replace(/[^A-Za-z0-9]/g, '').length
}

const useIsomorphicLayoutEffect = typeof document === 'undefined' ? useEffect : useLayoutEffect

function toLicenseError(error: unknown): LicenseError {
  if (isLicenseError(error)) return error
  const message = error instanceof Error ? error.message : String(error)
  return new LicenseError('invalid_response', message, { cause: error })
}

/**
 * State for a license-key field in a settings form: formats as the user types or pastes
 * (see `formatLicenseKeyInput` for the rules), keeps the caret in place, and `submit()`
 * activates the key through the nearest `<LicenseProvider>`.
 */
export function useLicenseKeyInput(
  options: UseLicenseKeyInputOptions = {},
): UseLicenseKeyInputResult {
  const { activate } = useProvidedClient('useLicenseKeyInput()')
  const { prefix, onActivated } = options
  const [field, setField] = useState<Field>(() => ({
    value: formatLicenseKeyInput(options.initialValue ?? '', undefined, { prefix, whole: true })
      .value,
    caret: null,
  }))
  const [isPending, setPending] = useState(false)
  const [error, setError] = useState<LicenseError | null>(null)
  const input = useRef<HTMLInputElement | null>(null)
  const pasting = useRef(false)
  const inFlight = useRef<Promise<LicenseState | null> | null>(null)
  const latest = useRef({ value: field.value, activate, onActivated })
  const messageId = useId()

  useIsomorphicLayoutEffect(() => {
    latest.current = { value: field.value, activate, onActivated }
  })

  useIsomorphicLayoutEffect(() => {
    const element = input.current
    if (field.caret === null || element === null) return
    if (element.ownerDocument.activeElement !== element) return
    element.setSelectionRange(field.caret, field.caret)
  }, [field])

  const update = useCallback((next: Field) => {
    setField(next)
    setError(null)
  }, [])

  const onChange = useCallback(
    (event: ChangeEvent<HTMLInputElement>) => {
      const target = event.currentTarget
      const pasted = pasting.current
      pasting.current = false
      let raw = target.value
      let caret = target.selectionStart ?? raw.length
      const previous = latest.current.value
      const inputType = (event.nativeEvent as Partial<InputEvent>).inputType ?? ''
      // Paste, drop and autofill bring the whole key at once; browsers name them in inputType.
      const whole =
        WHOLE_INPUT_TYPES.has(inputType) ||
        (inputType === '' && (pasted || significantLength(raw) > significantLength(previous) + 1))
      let next = formatLicenseKeyInput(raw, caret, { prefix, whole })
      if (
        next.value === previous &&
        raw.length === previous.length - 1 &&
        previous[caret] === '-'
      ) {
        // Only a dash the formatter puts back was deleted: delete the character beside it.
        const at = inputType === 'deleteContentForward' ? caret : caret - 1
        if (at >= 0 && at < raw.length) {
          raw = raw.slice(0, at) + raw.slice(at + 1)
          caret = at
          next = formatLicenseKeyInput(raw, caret, { prefix, whole })
        }
      }
      update(next)
    },
    [prefix, update],
  )

  const onPaste = useCallback(() => {
    pasting.current = true
  }, [])

  const onBlur = useCallback(() => {
    const current = latest.current.value
    const next = formatLicenseKeyInput(current, current.length, { prefix, whole: true })
    // Leaving the field completes a dashless key; anything else stays as the user left it.
    if (next.value !== current && isLicenseKey(next.value))
      update({ value: next.value, caret: null })
  }, [prefix, update])

  const setValue = useCallback(
    (value: string) =>
      update({
        value: formatLicenseKeyInput(value, value.length, { prefix, whole: true }).value,
        caret: null,
      }),
    [prefix, update],
  )

  const reset = useCallback(() => update({ value: '', caret: null }), [update])

  const ref = useCallback((element: HTMLInputElement | null) => {
    input.current = element
  }, [])

  const submit = useCallback((): Promise<LicenseState | null> => {
    if (inFlight.current !== null) return inFlight.current
    const { value, activate, onActivated } = latest.current
    let key: string
    try {
      key = normalizeLicenseKey(value)
    } catch (cause) {
      setError(toLicenseError(cause))
      return Promise.resolve(null)
    }
    setError(null)
    setPending(true)
    const attempt = activate(key).then(
      (state) => {
        setField((current) => (current.value === value ? { value: key, caret: null } : current))
        onActivated?.(state)
        return state
      },
      (cause: unknown) => {
        setError(toLicenseError(cause))
        return null
      },
    )
    const settled = attempt.finally(() => {
      inFlight.current = null
      setPending(false)
    })
    inFlight.current = settled
    return settled
  }, [])

  const formatError = licenseKeyFormatError(field.value)
  const errorMessage = error === null ? null : describeLicenseError(error)
  const message = formatError ?? errorMessage

  return {
    value: field.value,
    setValue,
    onChange,
    onPaste,
    onBlur,
    inputProps: {
      value: field.value,
      onChange,
      onPaste,
      onBlur,
      ref,
      name: 'license-key',
      type: 'text',
      autoComplete: 'off',
      autoCorrect: 'off',
      autoCapitalize: 'characters',
      spellCheck: false,
      'aria-invalid': message !== null,
      'aria-describedby': message === null ? undefined : messageId,
    },
    messageProps: { id: messageId, role: 'status' },
    isComplete: isLicenseKey(field.value),
    formatError,
    submit,
    isPending,
    error,
    errorMessage,
    message,
    reset,
  }
}
