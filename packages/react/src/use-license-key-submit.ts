'use client'
import {
  isLicenseError,
  LicenseError,
  type LicenseKeyFormat,
  type LicenseState,
  normalizeLicenseKey,
} from '@licensekit/core'
import { useCallback, useRef, useState } from 'react'
import { useCurrentRef } from './use-current-ref.js'

export interface UseLicenseKeySubmitOptions {
  /** Your keys' format: a key that does not fit is refused locally. */
  format?: LicenseKeyFormat | undefined
  /**
   * Called after a successful activation, before `submit()` resolves: the new state, the
   * canonical key that was sent and the value it was normalised from.
   */
  onActivated?: ((state: LicenseState, key: string, submitted: string) => void) | undefined
}

export interface LicenseKeySubmit {
  /**
   * Normalises `value` (refusing a malformed key without calling `activate`), then activates
   * it. Resolves with the new state, or `null` when it failed (see `error`); never rejects.
   * While one is pending, another call returns the same promise.
   */
  submit: (value: string) => Promise<LicenseState | null>
  /** `submit()` is waiting for `activate`. */
  isPending: boolean
  /** Why the last `submit()` failed; cleared when a new one starts or by `clearError()`. */
  error: LicenseError | null
  clearError: () => void
}

function toLicenseError(error: unknown): LicenseError {
  if (isLicenseError(error)) return error
  const message = error instanceof Error ? error.message : String(error)
  return new LicenseError('invalid_response', message, { cause: error })
}

/** Single-flight activation of a typed key, with its pending flag and its last error. */
export function useLicenseKeySubmit(
  activate: (key: string) => Promise<LicenseState>,
  options: UseLicenseKeySubmitOptions = {},
): LicenseKeySubmit {
  const [isPending, setPending] = useState(false)
  const [error, setError] = useState<LicenseError | null>(null)
  const inFlight = useRef<Promise<LicenseState | null> | null>(null)
  const latest = useCurrentRef({ activate, ...options })

  const submit = useCallback(
    (value: string): Promise<LicenseState | null> => {
      if (inFlight.current !== null) return inFlight.current
      const { activate, format, onActivated } = latest.current
      let key: string
      try {
        key = normalizeLicenseKey(value, format)
      } catch (cause) {
        setError(toLicenseError(cause))
        return Promise.resolve(null)
      }
      setError(null)
      setPending(true)
      const attempt = activate(key).then(
        (state) => {
          onActivated?.(state, key, value)
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
    },
    [latest],
  )

  const clearError = useCallback(() => setError(null), [])
  return { submit, isPending, error, clearError }
}
