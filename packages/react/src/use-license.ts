'use client'
import { isLicensed, type LicenseState } from '@licensekit/core'
import { useMemo } from 'react'
import { useProvidedClient } from './context.js'
import { useClientSelector } from './use-selector.js'

/** What `useLicense()` returns: the client's snapshot, `isLicensed` and `refresh`. */
export interface UseLicenseResult extends LicenseState {
  /** `true` while `status` is `active` or `grace`. */
  readonly isLicensed: boolean
  /** Asks the server now ("Check now"). */
  readonly refresh: () => Promise<LicenseState>
}

/** The identity selector: the whole snapshot. */
export const selectState = (state: LicenseState): LicenseState => state

/**
 * The license state of the nearest `<LicenseProvider>`.
 *
 * Without arguments it returns the whole snapshot plus `isLicensed` and `refresh` (a stable
 * identity) and re-renders on every change (the key commands come from `useLicenseActions()`,
 * the license token for the app's own routes from `useLicenseToken()`). With a selector it
 * returns the selected value and re-renders only when that value changes by `isEqual`
 * (default `Object.is`): `useLicense((state) => state.status)`.
 *
 * Throws when no `<LicenseProvider>` is above the component.
 */
export function useLicense(): UseLicenseResult
export function useLicense<Selection>(
  selector: (state: LicenseState) => Selection,
  isEqual?: (a: Selection, b: Selection) => boolean,
): Selection
export function useLicense<Selection>(
  selector?: (state: LicenseState) => Selection,
  isEqual?: (a: Selection, b: Selection) => boolean,
): UseLicenseResult | Selection {
  const client = useProvidedClient('useLicense()')
  const selected = useClientSelector<LicenseState | Selection>(
    client,
    selector ?? selectState,
    isEqual as ((a: LicenseState | Selection, b: LicenseState | Selection) => boolean) | undefined,
  )
  const whole = selector === undefined ? (selected as LicenseState) : null
  const result = useMemo(() => {
    if (whole === null) return null
    return { ...whole, isLicensed: isLicensed(whole), refresh: client.refresh }
  }, [whole, client])
  return result ?? (selected as Selection)
}
