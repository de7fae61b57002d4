import type { LicenseKeyFormat } from '../../keys/key-format.js'
import type { LicenseAction } from '../../protocol.js'
import type { LiveEventOptions } from '../events/live-events.js'
import { MIN_SECRET_BYTES } from '../upstream-protocol.js'
import type { TrustedProxyHeader } from './client-address.js'
import {
  checkBinding,
  checkDomain,
  checkKeyFormat,
  invalidConfig as invalid,
  type LicenseBinding,
} from './domain-rules.js'
import type { RateLimitOptions } from './rate-limit.js'
import type { SameOriginPolicy } from './same-origin.js'
import { SigningClock } from './signing-clock.js'
import {
  type ResolvedTokenOptions,
  resolveTokenOptions,
  type TokenOptions,
} from './token-options.js'
import { exchangeFor, type UpstreamExchange } from './upstream-exchange.js'
import { checkBasePath, checkOrigin, checkOrigins, checkUpstream } from './url-options.js'
import { keyCanonicalizer } from './validate-request.js'

export type { LicenseBinding }

/** Anything with the WHATWG `fetch` signature (Node ≥ 18, Workers, Deno, Bun, a test fake). */
export type FetchFunction = (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>

/** Per-request facts the runtime knows but a `Request` does not carry. */
export interface ProxyRequestContext {
  /** The peer's address (`toNodeHandler` fills it from the socket). */
  clientAddress?: string | undefined
  /**
   * True when a framework read the body before the proxy and kept no raw bytes
   * (`toNodeHandler` sets it); the proxy then answers 500 `body_consumed`.
   */
  bodyConsumed?: boolean | undefined
}

export interface LicenseProxyOptions extends LiveEventOptions, TokenOptions {
  /** The HMAC secret shared with the license API; at least 16 bytes of UTF-8. */
  secret: string
  /**
   * The domain each license is bound to: a fixed string, or a function of the request for
   * multi-tenant apps. Never taken from the request body. A lowercase host name
   * (`shop.example`, `localhost`), not a URL or a path; `host:port` only with
   * `allowDomainPort`.
   */
  domain: string | ((request: Request) => string | Promise<string>)
  /** Accept `host:port` as the domain (default `false`: each port would take its own slot). */
  allowDomainPort?: boolean | undefined
  /**
   * `'site'` (default): one slot per site, whatever the number of browsers. `'device'`: one
   * slot per browser profile; the browser sends `{key, device}` (device mode only).
   */
  binding?: LicenseBinding | undefined
  /**
   * The shape of your keys (prefix, group count), the same as the client's `keyFormat`: a key
   * of another shape is refused with `invalid_key_format` before anything is signed.
   */
  keyFormat?: LicenseKeyFormat | undefined
  /** License API base; the proxy posts to `${upstream}/licenses/{action}`. */
  upstream?: string | undefined
  /** Mount path of the three endpoints (default `/api/license`). */
  basePath?: string | undefined
  /** Exact origins allowed cross-origin (default none: same-origin requests only). */
  allowedOrigins?: readonly string[] | undefined
  /**
   * The origin your pages are served from (`https://shop.example.com`). When set it is the only
   * same-origin Origin, whatever Host or forwarded headers say. By default the request's own
   * origin is worked out from the Host header (or `X-Forwarded-Host`/`-Proto` with `trustProxy`).
   */
  publicOrigin?: string | undefined
  /** Deadline for one upstream exchange, headers and body, in ms (default 5000). */
  timeoutMs?: number | undefined
  /** Token buckets per client address and per key (`false` disables both). */
  rateLimit?: RateLimitOptions | false | undefined
  /**
   * The header your reverse proxy puts the client address in, for rate limits: a name (one
   * proxy), or `{ header, hops }` where `hops` counts the trusted proxies that append to it.
   * The address is taken `hops` entries from the right (default 1), never from the client's
   * own part on the left. nginx with `$proxy_add_x_forwarded_for`: `'x-forwarded-for'`;
   * Cloudflare: `'cf-connecting-ip'`; Cloudflare then nginx appending:
   * `{ header: 'x-forwarded-for', hops: 2 }`. Without it the address comes from the runtime
   * (`context.clientAddress`).
   */
  trustProxy?: string | { header: string; hops?: number | undefined } | undefined
  /** The `fetch` used for upstream calls (default `globalThis.fetch`). */
  fetch?: FetchFunction | undefined
  /** Clock in ms since the epoch (default `Date.now`): timestamps, tokens, rate limits. */
  now?: (() => number) | undefined
  /**
   * Operational events (misconfiguration, upstream failures, hook errors), one line each;
   * never the secret, a signature or a key. Default `console.warn`; `false` silences them.
   */
  log?: ((line: string) => void) | false | undefined
  /**
   * Installation mode: the key belongs to the installation or tenant. `validate` and
   * `deactivate` then take `{}` and use this key; `null` means none is stored.
   */
  resolveKey?: ((request: Request) => Promise<string | null>) | undefined
  /** Installation mode: store the key, called only after the upstream activation succeeded. */
  onActivate?: ((request: Request, key: string) => void | Promise<void>) | undefined
  /** Installation mode: forget the key, called after the upstream deactivation. */
  onDeactivate?: ((request: Request, key: string) => void | Promise<void>) | undefined
  /** Guards `activate` and `deactivate` (e.g. admins only); `false` answers 403 `forbidden`. */
  authorize?: ((request: Request, action: LicenseAction) => boolean | Promise<boolean>) | undefined
}

export const DEFAULT_UPSTREAM = 'https://api.ecosire.com/api'
export const DEFAULT_BASE_PATH = '/api/license'
export const DEFAULT_TIMEOUT_MS = 5000

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/

export interface ResolvedProxyOptions extends ResolvedTokenOptions {
  secret: string
  /** A fixed domain (already checked), or the app's function (checked per request). */
  domain: string | ((request: Request) => string | Promise<string>)
  allowDomainPort: boolean
  binding: LicenseBinding
  keyFormat: LicenseKeyFormat | undefined
  /** {@link canonicalKey} in `keyFormat`, compiled once. */
  canonicalKey: (raw: string) => string
  endpoint: (action: LicenseAction) => string
  basePath: string
  allowedOrigins: ReadonlySet<string>
  sameOrigin: SameOriginPolicy
  timeoutMs: number
  trustProxy: TrustedProxyHeader | null
  /** The upstream POST: on the `fetch` option, else the runtime's default. */
  exchange: UpstreamExchange
  now: () => number
  log: (line: string) => void
  /** Timestamps of upstream requests (state of this proxy, not an option). */
  signingClock: SigningClock
}

/** The three upstream URLs, built once. */
function endpointsOf(upstream: string): (action: LicenseAction) => string {
  const urls: Record<LicenseAction, string> = {
    validate: `${upstream}/licenses/validate`,
    activate: `${upstream}/licenses/activate`,
    deactivate: `${upstream}/licenses/deactivate`,
  }
  return (action) => urls[action]
}

function checkLog(log: unknown): (line: string) => void {
  if (log === false) return () => {}
  if (log === undefined) return (line) => console.warn(line)
  if (typeof log !== 'function') throw invalid('log must be a function or false')
  return log as (line: string) => void
}

function checkSecret(secret: unknown): string {
  if (typeof secret !== 'string' || new TextEncoder().encode(secret).length < MIN_SECRET_BYTES) {
    throw invalid(
      `the secret must be a string of at least ${MIN_SECRET_BYTES} bytes (e.g. \`openssl rand -hex 32\`)`,
    )
  }
  return secret
}

function checkTrustProxy(option: LicenseProxyOptions['trustProxy']): TrustedProxyHeader | null {
  if (option === undefined) return null
  const { header, hops = 1 } = typeof option === 'string' ? { header: option } : (option ?? {})
  if (typeof header !== 'string' || !HEADER_NAME.test(header)) {
    throw invalid('trustProxy must be a header name such as "x-forwarded-for", or { header, hops }')
  }
  if (!Number.isSafeInteger(hops) || hops < 1 || hops > 16) {
    throw invalid('trustProxy.hops must be a whole number 1–16 (the trusted proxies in front)')
  }
  return { header: header.toLowerCase(), hops }
}

function checkTimeout(timeoutMs: unknown): number {
  if (typeof timeoutMs !== 'number' || !Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw invalid('timeoutMs must be a positive number')
  }
  return Math.min(timeoutMs, 2_147_483_647)
}

function checkFunction<T>(value: T | undefined, name: string): T | undefined {
  if (value !== undefined && typeof value !== 'function')
    throw invalid(`${name} must be a function`)
  return value
}

/** Checks every option once, at construction; throws `LicenseError('invalid_config')`. */
export function resolveProxyOptions(options: LicenseProxyOptions): ResolvedProxyOptions {
  if (typeof options !== 'object' || options === null) throw invalid('options are required')
  const secret = checkSecret(options.secret)
  const rules = {
    allowDomainPort: options.allowDomainPort === true,
    binding: checkBinding(options.binding ?? 'site', options.resolveKey !== undefined),
  }
  const domain =
    typeof options.domain === 'function' ? options.domain : checkDomain(options.domain, rules)
  const upstream = checkUpstream(options.upstream ?? DEFAULT_UPSTREAM)
  const trustProxy = checkTrustProxy(options.trustProxy)
  const fetchFunction = checkFunction(options.fetch, 'fetch')
  const now = checkFunction(options.now, 'now') ?? Date.now
  const log = checkLog(options.log)
  if (options.resolveKey === undefined && (options.onActivate || options.onDeactivate)) {
    throw invalid('onActivate and onDeactivate need resolveKey (installation mode)')
  }
  checkFunction(options.resolveKey, 'resolveKey')
  checkFunction(options.onActivate, 'onActivate')
  checkFunction(options.onDeactivate, 'onDeactivate')
  checkFunction(options.authorize, 'authorize')
  const keyFormat = checkKeyFormat(options.keyFormat)
  return {
    secret,
    domain,
    ...rules,
    keyFormat,
    canonicalKey: keyCanonicalizer(keyFormat),
    endpoint: endpointsOf(upstream),
    basePath: checkBasePath(options.basePath ?? DEFAULT_BASE_PATH),
    allowedOrigins: checkOrigins(options.allowedOrigins ?? []),
    sameOrigin: {
      publicOrigin:
        options.publicOrigin === undefined
          ? null
          : checkOrigin(options.publicOrigin, 'publicOrigin'),
      trustForwarded: trustProxy !== null,
    },
    timeoutMs: checkTimeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS),
    trustProxy,
    ...resolveTokenOptions(options),
    exchange: exchangeFor(fetchFunction),
    now,
    log,
    signingClock: new SigningClock(),
  }
}
