'use client'
import {
  createLicenseClient,
  type LicenseClient,
  type LicenseClientOptions,
} from '@licensekit/core'
import { type ReactElement, type ReactNode, useEffect, useMemo, useRef } from 'react'
import { bindClient, LicenseContext } from './context.js'

/** `<LicenseProvider client={client}>`: a client you created with `createLicenseClient`. */
export interface LicenseProviderClientProps {
  client: LicenseClient
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

/** How many mounted providers use each client: it runs while at least one does. */
const mounted = new WeakMap<LicenseClient, number>()

function retain(client: LicenseClient): () => void {
  const count = mounted.get(client) ?? 0
  mounted.set(client, count + 1)
  if (count === 0) client.start()
  return () => {
    const remaining = (mounted.get(client) ?? 1) - 1
    if (remaining > 0) {
      mounted.set(client, remaining)
      return
    }
    mounted.delete(client)
    client.stop()
  }
}

/**
 * Makes a license client available to `useLicense`, `<Licensed>` and `useLicenseKeyInput`.
 *
 * Give it `endpoint` (and any other `createLicenseClient` option) and it creates the client
 * once; or give it a `client` you created. Either way it starts the client when it mounts
 * and stops it when it unmounts, like TanStack Query's `QueryClientProvider` mounts its
 * client; providers sharing one client count, so the client starts with the first and stops
 * with the last. StrictMode's extra mount leaves exactly one running client. Nothing is
 * started during server rendering: the tree renders the client's server snapshot (`loading`).
 */
export function LicenseProvider(props: LicenseProviderProps): ReactElement {
  const owned = useRef<LicenseClient | null>(null)
  let client: LicenseClient
  if (props.client === undefined) {
    const { children: _children, client: _client, ...options } = props
    // Created once per provider, on the first render that needs it; never recreated.
    owned.current ??= createLicenseClient(options)
    client = owned.current
  } else {
    client = props.client
  }
  const binding = useMemo(() => bindClient(client), [client])
  useEffect(() => retain(client), [client])
  return <LicenseContext.Provider value={binding}>{props.children}</LicenseContext.Provider>
}
