'use client'
import {
  isLicenseKey,
  type LicenseError,
  type LicenseKeyFormat,
  type LicenseState,
  licenseKeyTemplate,
} from '@licensekit/core'
import { type ChangeEvent, type ClipboardEvent, type RefCallback, useCallback, useId } from 'react'
import { useProvidedClient } from './context.js'
import { licenseKeyFormatError } from './key-input-format.js'
import { describeLicenseError } from './messages.js'
import { useCurrentRef } from './use-current-ref.js'
import { useClientActions } from './use-license-actions.js'
import { useLicenseKeyField } from './use-license-key-field.js'
import { useLicenseKeySubmit } from './use-license-key-submit.js'

export interface UseLicenseKeyInputOptions {
  /** The value the field starts with (formatted on the way in). */
  initialValue?: string | undefined
  /** The prefix your keys start with, e.g. `SHOP`: a dash then follows it without being typed. */
  prefix?: string | undefined
  /**
   * Your keys' format (`{ prefix?, groups: 3 | 4 }`; default: the provider's `keyFormat`): how
   * the value is grouped, which keys `submit()` accepts, and the example key in the placeholder
   * and the error words.
   */
  format?: LicenseKeyFormat | undefined
  /** Called after a successful `submit()` with the new state. */
  onActivated?: ((state: LicenseState) => void) | undefined
}

/** Spread on an `<input>`: `<input {...inputProps} />`. */
export interface LicenseKeyInputProps {
  value: string
  onChange: (event: ChangeEvent<HTMLInputElement>) => void
  onPaste: (event: ClipboardEvent<HTMLInputElement>) => void
  onBlur: () => void
  ref: RefCallback<HTMLInputElement>
  /** `licenseKeyTemplate(format)`, e.g. `SHOP-XXXX-XXXX-XXXX-XXXX`. */
  placeholder: string
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
  /** The format written out (`licenseKeyTemplate(format)`), e.g. `ECO-XXXX-XXXX-XXXX`. */
  placeholder: string
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

/**
 * State for a license-key field in a settings form: formats as the user types or pastes
 * (see `formatLicenseKeyInput` for the rules), keeps the caret in place, and `submit()`
 * activates the key through the nearest `<LicenseProvider>`. Composes `useLicenseKeyField`
 * (the value) and `useLicenseKeySubmit` (the activation).
 */
export function useLicenseKeyInput(
  options: UseLicenseKeyInputOptions = {},
): UseLicenseKeyInputResult {
  const client = useProvidedClient('useLicenseKeyInput()')
  const { activate } = useClientActions(client)
  // The provider's `keyFormat` unless this field is given its own.
  const format = options.format ?? client.keyFormat
  const latest = useCurrentRef(options)
  const field = useLicenseKeyField({
    initialValue: options.initialValue,
    prefix: options.prefix,
    format,
    // Editing the key makes the last submit's error stale; only called from event handlers.
    onEdit: () => activation.clearError(),
  })
  const { setValue, getValue } = field
  const onActivated = useCallback(
    (state: LicenseState, key: string, submitted: string) => {
      setValue((current) => (current === submitted ? key : current))
      latest.current.onActivated?.(state)
    },
    [setValue, latest],
  )
  const activation = useLicenseKeySubmit(activate, { format, onActivated })
  const { submit: submitKey } = activation
  const submit = useCallback(() => submitKey(getValue()), [submitKey, getValue])
  const messageId = useId()

  const formatError = licenseKeyFormatError(field.value, format)
  const errorMessage =
    activation.error === null ? null : describeLicenseError(activation.error, format)
  const message = formatError ?? errorMessage
  const placeholder = licenseKeyTemplate(format)

  return {
    value: field.value,
    setValue: field.setValue,
    onChange: field.onChange,
    onPaste: field.onPaste,
    onBlur: field.onBlur,
    inputProps: {
      value: field.value,
      onChange: field.onChange,
      onPaste: field.onPaste,
      onBlur: field.onBlur,
      ref: field.ref,
      placeholder,
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
    placeholder,
    isComplete: isLicenseKey(field.value, format),
    formatError,
    submit,
    isPending: activation.isPending,
    error: activation.error,
    errorMessage,
    message,
    reset: field.reset,
  }
}
