import { parseToken } from '../tokens/parse-token.js'
import type { ResolvedOptions } from './options.js'
import type { LicenseRecord } from './record.js'
import type { RecordCache } from './record-cache.js'
import { isLicensed, type LicenseClient, type LicenseState } from './types.js'

interface StoredToken {
  token: string
  /** Unix seconds. */
  iat: number
  /** Unix seconds. */
  exp: number
}

function storedToken(record: LicenseRecord | null): StoredToken | null {
  const token = record?.receipt
  if (token === undefined) return null
  const parsed = parseToken(token)
  if (!parsed.ok) return null
  const { iat, exp } = parsed.token.claims
  return { token, iat, exp }
}

/**
 * The token to send without asking the proxy first: the state is licensed and the stored token
 * is younger than half its lifetime (`iat + (exp - iat) / 2 > now`); otherwise null.
 */
export function freshToken(
  record: LicenseRecord | null,
  state: LicenseState,
  now: number,
): string | null {
  const stored = isLicensed(state) ? storedToken(record) : null
  if (stored === null) return null
  return now / 1000 < stored.iat + (stored.exp - stored.iat) / 2 ? stored.token : null
}

/**
 * The token to send after a check: the state is licensed and the stored token has not expired
 * (when the proxy was unreachable, that is the last token it gave); otherwise null.
 */
export function usableToken(
  record: LicenseRecord | null,
  state: LicenseState,
  now: number,
): string | null {
  const stored = isLicensed(state) ? storedToken(record) : null
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

/**
 * `getToken()` and `fetch()` of the browser client: the license token for the app's own routes.
 * A stale token is renewed through the client's `refresh()`, so concurrent calls share one
 * validation. `fetch` sends through the `fetch` option, else the global `fetch` at each call.
 */
export class TokenAccess {
  readonly #cache: Pick<RecordCache, 'load' | 'current'>
  readonly #options: Pick<ResolvedOptions, 'now' | 'fetch'>
  readonly #client: Pick<LicenseClient, 'getSnapshot' | 'refresh'>

  constructor(
    cache: Pick<RecordCache, 'load' | 'current'>,
    options: Pick<ResolvedOptions, 'now' | 'fetch'>,
    client: Pick<LicenseClient, 'getSnapshot' | 'refresh'>,
  ) {
    this.#cache = cache
    this.#options = options
    this.#client = client
  }

  async getToken(): Promise<string | null> {
    await this.#cache.load()
    const fresh = freshToken(this.#cache.current, this.#client.getSnapshot(), this.#options.now())
    if (fresh !== null) return fresh
    const state = await this.#client.refresh()
    return usableToken(this.#cache.current, state, this.#options.now())
  }

  async fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    const token = await this.getToken()
    const send = this.#options.fetch ?? globalThis.fetch
    return send(input, withLicenseHeader(input, init, token))
  }
}
