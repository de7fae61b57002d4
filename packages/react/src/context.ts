'use client'
import type { GatingClient } from '@licensekit/core'
import { createContext, useContext } from 'react'

/** What `<LicenseProvider>` puts in context: the client itself (its methods are bound). */
export const LicenseContext = createContext<GatingClient | null>(null)
LicenseContext.displayName = 'LicenseContext'

/** The provider's client; throws an error saying what to do when there is no provider. */
export function useProvidedClient(caller: string): GatingClient {
  const client = useContext(LicenseContext)
  if (client === null) {
    throw new Error(
      `${caller} must be used inside <LicenseProvider>. Wrap your component tree in ` +
        '<LicenseProvider endpoint="/api/license"> or <LicenseProvider client={client}>.',
    )
  }
  return client
}

/**
 * The client of the nearest `<LicenseProvider>`, for code that needs the store itself; its key
 * commands come from `useLicenseActions()`.
 */
export function useLicenseClient(): GatingClient {
  return useProvidedClient('useLicenseClient()')
}
