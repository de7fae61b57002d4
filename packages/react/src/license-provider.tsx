'use client'
import { createGatingClient, type GatingClient, type LicenseClientOptions } from '@licensekit/core'
import { type ReactElement, type ReactNode, useEffect, useRef } from 'react'
import { LicenseContext } from './context.js'

/**
 * `<LicenseProvider client={client}>`: a client you created with `createLicenseClient` (or
 * `createGatingClient`).
 */
export interface LicenseProviderClientProps {
  client: GatingClient
  children?: ReactNode | undefined
}

/**
 * `<LicenseProvider endpoint="/api/license" {...options}>`: the provider creates the client
 * from these options once, on its first render; later changes to them are ignored.
 */
export interface LicenseProviderOptionsProps extends LicenseClientOptions {
  client?: undefined
  children?: ReactNode | undefined
}

export type LicenseProviderProps = LicenseProviderClientProps | LicenseProviderOptionsProps

/**
 * Makes a license client available to `useLicense`, `<Licensed>` and `useLicenseKeyInput`.
 *
 * Give it `endpoint` (and any other `createLicenseClient` option) and it creates the client
 * once (with `createGatingClient`: the key commands come from `useLicenseActions()`, in the code
 * that uses them); or give it a `client` you created. Either way it calls `client.start()` when it mounts
 * and `client.stop()` when it unmounts, like TanStack Query's `QueryClientProvider` mounts its
 * client. The client counts them (n starts need n stops), so providers sharing a client, an
 * app that started it itself and StrictMode's extra mount all leave it running exactly while
 * someone needs it. Nothing is started during server rendering: the tree renders the client's
 * server snapshot (`loading`, or the `initialState` it was given).
 */
export function LicenseProvider(props: LicenseProviderProps): ReactElement {
  const owned = useRef<GatingClient | null>(null)
  let { children, client, ...options } = props
  if (client === undefined) {
    // Without `client` the rest is the options. Created once per provider, on the first
    // render that needs it; never recreated.
    owned.current ??= createGatingClient(options as LicenseClientOptions)
    client = owned.current
  }
  useEffect(() => {
    client.start()
    return () => client.stop()
  }, [client])
  return <LicenseContext.Provider value={client}>{children}</LicenseContext.Provider>
}
