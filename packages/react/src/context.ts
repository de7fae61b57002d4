'use client'
import type { DeactivationResult, LicenseClient, LicenseState } from '@licensekit/core'
import { createContext, useContext } from 'react'

/** The client's commands, as `useLicense()` returns them. */
export interface LicenseActions {
  /** Activates a key for this site; rejects with a `LicenseError`. */
  readonly activate: (key: string) => Promise<LicenseState>
  /**
   * Releases this activation slot and forgets the key; says what happened to the slot:
   * `freed`, `queued` (released once the proxy is reachable again) or `not_held`.
   */
  readonly deactivate: () => Promise<DeactivationResult>
  /** Asks the server now ("Check now"). */
  readonly refresh: () => Promise<LicenseState>
}

/** What `<LicenseProvider>` puts in context: the client itself (its methods are bound). */
export const LicenseContext = createContext<LicenseClient | null>(null)
LicenseContext.displayName = 'LicenseContext'

/** The provider's client; throws an error saying what to do when there is no provider. */
export function useProvidedClient(caller: string): LicenseClient {
  const client = useContext(LicenseContext)
  if (client === null) {
    throw new Error(
      `${caller} must be used inside <LicenseProvider>. Wrap your component tree in ` +
        '<LicenseProvider endpoint="/api/license"> (or <LicenseProvider client={client}>), ' +
        'for example around <App /> in your entry file.',
    )
  }
  return client
}

/** The `LicenseClient` of the nearest `<LicenseProvider>`, for code that needs the store itself. */
export function useLicenseClient(): LicenseClient {
  return useProvidedClient('useLicenseClient()')
}
