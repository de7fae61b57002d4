'use client'
import {
  type LicenseTokenAccess,
  type TokenAccessOptions,
  tokenAccess,
} from '@licensekit/core/token'
import { useMemo } from 'react'
import { useProvidedClient } from './context.js'

/**
 * The license token of the nearest `<LicenseProvider>`'s client, for the app's own guarded
 * routes: `getToken()` and `fetch()` (with `Authorization: License <token>`), from
 * `tokenAccess` of `@licensekit/core/token`. Stable identities while the client and the
 * options' `fetch` and `now` stay the same; an app that does not call it ships none of the
 * token code.
 */
export function useLicenseToken(options: TokenAccessOptions = {}): LicenseTokenAccess {
  const client = useProvidedClient('useLicenseToken()')
  const { fetch, now } = options
  return useMemo(() => tokenAccess(client, { fetch, now }), [client, fetch, now])
}
