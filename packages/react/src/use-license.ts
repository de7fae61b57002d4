'use client'
import { isLicensed, type LicenseState } from '@licensekit/core'
import { useMemo } from 'react'
import { type LicenseActions, type LicenseBinding, useLicenseBinding } from './context.js'
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
 * and `refresh` (stable identities) and re-renders on every change. With a selector it
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
  const binding = useLicenseBinding('useLicense()')
  const selected = useBindingSelector<LicenseState | Selection>(
    binding,
    selector ?? selectState,
    isEqual as ((a: LicenseState | Selection, b: LicenseState | Selection) => boolean) | undefined,
  )
  const whole = selector === undefined ? (selected as LicenseState) : null
  const result = useMemo(
    () => (whole === null ? null : { ...whole, isLicensed: isLicensed(whole), ...binding.actions }),
    [whole, binding.actions],
  )
  return result ?? (selected as Selection)
}

/** The selected part of the binding's state; for components that have the binding already. */
export function useBindingSelector<Selection>(
  binding: LicenseBinding,
  selector: (state: LicenseState) => Selection,
  isEqual?: (a: Selection, b: Selection) => boolean,
): Selection {
  return useSyncExternalStoreWithSelector(
    binding.subscribe,
    binding.getSnapshot,
    binding.getServerSnapshot,
    selector,
    isEqual,
  )
}
