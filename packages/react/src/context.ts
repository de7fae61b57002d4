'use client'
import type { LicenseClient, LicenseState } from '@licensekit/core'
import { createContext, useContext } from 'react'

/** The client's commands, bound once per client so their identities stay stable. */
export interface LicenseActions {
  /** Activates a key for this site; rejects with a `LicenseError`. */
  readonly activate: (key: string) => Promise<LicenseState>
  /** Releases this site's activation and forgets the key. */
  readonly deactivate: () => Promise<LicenseState>
  /** Asks the server now ("Check now"). */
  readonly refresh: () => Promise<LicenseState>
}

/** What `<LicenseProvider>` puts in context: the client and its functions, bound once. */
export interface LicenseBinding {
  readonly client: LicenseClient
  readonly subscribe: (listener: () => void) => () => void
  readonly getSnapshot: () => LicenseState
  readonly getServerSnapshot: () => LicenseState
  readonly actions: LicenseActions
}

export const LicenseContext = createContext<LicenseBinding | null>(null)
LicenseContext.displayName = 'LicenseContext'

export function bindClient(client: LicenseClient): LicenseBinding {
  return {
    client,
    subscribe: (listener) => client.subscribe(listener),
    getSnapshot: () => client.getSnapshot(),
    getServerSnapshot: () => client.getServerSnapshot(),
    actions: {
      activate: (key) => client.activate(key),
      deactivate: () => client.deactivate(),
      refresh: () => client.refresh(),
    },
  }
}

/** The provider's binding; throws an error saying what to do when there is no provider. */
export function useLicenseBinding(caller: string): LicenseBinding {
  const binding = useContext(LicenseContext)
  if (binding === null) {
    throw new Error(
      `${caller} must be used inside <LicenseProvider>. Wrap your component tree in ` +
        '<LicenseProvider endpoint="/api/license"> (or <LicenseProvider client={client}>), ' +
        'for example around <App /> in your entry file.',
    )
  }
  return binding
}

/** The `LicenseClient` of the nearest `<LicenseProvider>`, for code that needs the store itself. */
export function useLicenseClient(): LicenseClient {
  return useLicenseBinding('useLicenseClient()').client
}
