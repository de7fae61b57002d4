import { parseToken } from '../tokens/parse-token.js'
import { type GatingClient, isLicensed, type LicenseState } from './types.js'

interface StoredToken {
  token: string
  /** Unix seconds. */
  iat: number
  /** Unix seconds. */
  exp: number
}

function parseStored(token: string | null): StoredToken | null {
  if (token === null) return null
  const parsed = parseToken(token)
  if (!parsed.ok) return null
  const { iat, exp } = parsed.token.claims
  return { token, iat, exp }
}

/**
 * The token to send without asking the proxy first: the state is licensed and the stored token
 * is younger than half its lifetime (`iat + (exp - iat) / 2 > now`); otherwise null.
 */
export function freshToken(token: string | null, state: LicenseState, now: number): string | null {
  const stored = isLicensed(state) ? parseStored(token) : null
  if (stored === null) return null
  return now / 1000 < stored.iat + (stored.exp - stored.iat) / 2 ? stored.token : null
}

/**
 * The token to send after a check: the state is licensed and the stored token has not expired
 * (when the proxy was unreachable, that is the last token it gave); otherwise null.
 */
export function usableToken(token: string | null, state: LicenseState, now: number): string | null {
  const stored = isLicensed(state) ? parseStored(token) : null
  return stored !== null && now / 1000 < stored.exp ? stored.token : null
}

function isRequest(input: RequestInfo | URL): input is Request {
  return typeof globalThis.Request === 'function' && input instanceof globalThis.Request
}

/**
 * `init` with `Authorization: License <token>` added to the headers the request would carry
 * (`init.headers`, else those of a `Request` input); unchanged when there is no token or an
 * `Authorization` header is already set.
 */
export function withLicenseHeader(
  input: RequestInfo | URL,
  init: RequestInit | undefined,
  token: string | null,
): RequestInit | undefined {
  if (token === null) return init
  const headers = new Headers(init?.headers ?? (isRequest(input) ? input.headers : undefined))
  if (headers.has('authorization')) return init
  headers.set('authorization', `License ${token}`)
  return { ...init, headers }
}

/** Options of {@link tokenAccess}. */
export interface TokenAccessOptions {
  /** Millisecond clock; default `Date.now`. */
  now?: (() => number) | undefined
  /** Sends `fetch()`'s requests; default the global `fetch` at each call. */
  fetch?: typeof globalThis.fetch | undefined
}

/** The license token of one client, for the app's own guarded routes. */
export interface LicenseTokenAccess {
  /**
   * The license token: the stored one while younger than half its lifetime, else the one a
   * validation brings; null when not licensed or the proxy gives no token.
   */
  getToken(): Promise<string | null>
  /** `fetch` with `Authorization: License <token>` added (never replacing one already set). */
  fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response>
}

/**
 * `getToken()` and `fetch()` for `client` (`@licensekit/core/token`). A stale token is renewed
 * through the client's `refresh()`, so concurrent calls share one validation. The methods do not
 * depend on `this`.
 */
export function tokenAccess(
  client: Pick<GatingClient, 'getSnapshot' | 'refresh' | 'storedToken'>,
  options: TokenAccessOptions = {},
): LicenseTokenAccess {
  const now = () => (options.now ?? Date.now)()
  const getToken = async (): Promise<string | null> => {
    const fresh = freshToken(await client.storedToken(), client.getSnapshot(), now())
    if (fresh !== null) return fresh
    const state = await client.refresh()
    return usableToken(await client.storedToken(), state, now())
  }
  return {
    getToken,
    fetch: async (input, init) => {
      const token = await getToken()
      const send = options.fetch ?? globalThis.fetch
      return send(input, withLicenseHeader(input, init, token))
    },
  }
}
