'use client'
import { type GatingClient, type LicenseKeyActions, licenseActions } from '@licensekit/core'
import { useMemo } from 'react'
import { useProvidedClient } from './context.js'

/**
 * The key commands of the nearest `<LicenseProvider>`'s client: `activate(key)` and
 * `deactivate()` (see `licenseActions` in `@licensekit/core`), with stable identities while the
 * client stays the same. Only the components that call it (a key form, a "Remove license"
 * button) ship the commands; gating with `useLicense` and `<Licensed>` does not.
 */
export function useLicenseActions(): LicenseKeyActions {
  return useClientActions(useProvidedClient('useLicenseActions()'))
}

/** The key commands of `client`; for components that have the client already. */
export function useClientActions(client: GatingClient): LicenseKeyActions {
  return useMemo(() => licenseActions(client), [client])
}
