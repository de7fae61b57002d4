'use client'
import type { EntitlementName, LicenseState } from '@licensekit/core'
import { useCallback } from 'react'
import { useProvidedClient } from './context.js'
import { type EntitlementType, entitlementOf } from './entitlement-of.js'
import { useClientSelector } from './use-selector.js'

/**
 * The value of one entitlement of the nearest `<LicenseProvider>`'s license, or `undefined`
 * (see `entitlementOf`): `useEntitlement('seats')`. Re-renders only when that value changes.
 * Names are checked against `Entitlements` once the app augments it.
 */
export function useEntitlement<Name extends EntitlementName>(
  name: Name,
): EntitlementType<Name> | undefined {
  const client = useProvidedClient('useEntitlement()')
  const select = useCallback((state: LicenseState) => entitlementOf(state, name), [name])
  return useClientSelector(client, select)
}
