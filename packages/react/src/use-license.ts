'use client'
import { isLicensed, type LicenseClient, type LicenseState } from '@licensekit/core'
import { useMemo } from 'react'
import { type LicenseActions, useProvidedClient } from './context.js'
import { useSyncExternalStoreWithSelector } from './use-selector.js'

/** What `useLicense()` returns: the client's snapshot, `isLicensed`, and the client's commands. */
export interface UseLicenseResult extends LicenseState, LicenseActions {
  /** `true` while `status` is `active` or `grace`. */
  readonly isLicensed: boolean
}

/** The identity selector: the whole snapshot. */
export const selectState = (state: LicenseState): LicenseState => state

/**
 * The license state of the nearest `<LicenseProvider>`.
 *
 * Without arguments it returns the whole snapshot plus `isLicensed`, `activate`, `deactivate`
 * and `refresh` (stable identities) and re-renders on every change (the license token for the
 * app's own routes comes from `useLicenseToken()`). With a selector it
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
    const { activate, deactivate, refresh } = client
    return { ...whole, isLicensed: isLicensed(whole), activate, deactivate, refresh }
  }, [whole, client])
  return result ?? (selected as Selection)
}

/** The selected part of the client's state; for components that have the client already. */
export function useClientSelector<Selection>(
  client: LicenseClient,
  selector: (state: LicenseState) => Selection,
  isEqual?: (a: Selection, b: Selection) => boolean,
): Selection {
  return useSyncExternalStoreWithSelector(
    client.subscribe,
    client.getSnapshot,
    client.getServerSnapshot,
    selector,
    isEqual,
  )
}
