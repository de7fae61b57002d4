import { isLicenseErrorCode } from '../errors/codes.js'
import { LicenseError } from '../errors/license-error.js'
import { isPlainObject } from '../plain-object.js'
import type { LicenseAction, ProxyRequestBody, ProxySuccess } from '../protocol.js'
import { isIsoTime, parseLicenseInfo } from './record.js'

/**
 * What came back from the proxy:
 * - `success`: a `200 {ok: true}` answer;
 * - `failure`: a definite refusal (`{ok: false}` with any status but 429 and 502–504);
 * - `unreachable`: a network error or timeout, 429, 502, 503, 504, or a body that is not the
 *   protocol's JSON (a captive portal, a misrouted CDN page). Only this may fall back to grace.
 */
export type ProxyOutcome =
  | { kind: 'success'; answer: ProxySuccess }
  | { kind: 'failure'; error: LicenseError }
  | { kind: 'unreachable'; error: LicenseError }

export type ProxyTransport = (
  action: LicenseAction,
  body: ProxyRequestBody,
) => Promise<ProxyOutcome>

export interface TransportOptions {
  endpoint: string
  timeoutMs: number
  fetch?: typeof globalThis.fetch | undefined
}

const UNREACHABLE_STATUSES = [429, 502, 503, 504]

/** `Retry-After` in whole seconds; HTTP dates and anything else are ignored. */
export function parseRetryAfter(header: string | null): number | undefined {
  if (header === null || !/^\s*\d{1,9}\s*$/.test(header)) return undefined
  return Number(header)
}

function parseSuccess(body: unknown): ProxySuccess | null {
  if (!isPlainObject(body)) return null
  const { ok, license, checkedAt, token } = body
  if (ok !== true || !isIsoTime(checkedAt)) return null
  if (token !== undefined && typeof token !== 'string') return null
  const info = license === null ? null : parseLicenseInfo(license)
  if (license !== null && info === null) return null
  return { ok: true, license: info, checkedAt, ...(token === undefined ? {} : { token }) }
}

function parseFailure(body: unknown): LicenseError | null {
  if (!isPlainObject(body)) return null
  const { ok, error } = body
  if (ok !== false || !isPlainObject(error)) return null
  const { code, message } = error
  if (!isLicenseErrorCode(code) || typeof message !== 'string') return null
  return new LicenseError(code, message)
}

/**
 * Posts `{key}` / `{}` to `${endpoint}/${action}` with the platform `fetch`, bounded by
 * `AbortSignal.timeout(timeoutMs)` (headers and body alike), and sorts the answer into a
 * {@link ProxyOutcome}, with the `Request` default credentials (`same-origin`). No HTTP library:
 * the browser bundle stays small.
 */
export function createProxyTransport(options: TransportOptions): ProxyTransport {
  return async (action, body) => {
    const signal = AbortSignal.timeout(options.timeoutMs)
    // Also rejects once the signal aborts, for a fetch (or a body) that ignores it. The signal
    // is this request's own, so its one `onabort` is free to take.
    const bounded = <T>(promise: Promise<T>): Promise<T> =>
      Promise.race([
        promise,
        new Promise<never>((_, reject) => {
          signal.onabort = () => reject(signal.reason)
        }),
      ])
    let response: Response
    try {
      const request = new Request(`${options.endpoint}/${action}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal,
      })
      response = await bounded((options.fetch ?? globalThis.fetch)(request))
    } catch (cause) {
      return {
        kind: 'unreachable',
        error: new LicenseError('unreachable', 'The license proxy could not be reached', { cause }),
      }
    }
    const retryAfter = parseRetryAfter(response.headers.get('retry-after'))
    const payload: unknown = await bounded(response.json()).catch(() => undefined)
    const failure = parseFailure(payload)
    if (UNREACHABLE_STATUSES.includes(response.status)) {
      const code = failure?.code ?? 'unreachable'
      const message = failure?.message ?? `The license proxy answered ${response.status}`
      return { kind: 'unreachable', error: new LicenseError(code, message, { retryAfter }) }
    }
    if (response.status === 200) {
      const answer = parseSuccess(payload)
      if (answer !== null) return { kind: 'success', answer }
    } else if (response.status >= 400 && failure !== null) {
      return { kind: 'failure', error: failure }
    }
    return {
      kind: 'unreachable',
      error: new LicenseError(
        'invalid_response',
        `The license proxy answered ${response.status} without a protocol body`,
        { retryAfter },
      ),
    }
  }
}
