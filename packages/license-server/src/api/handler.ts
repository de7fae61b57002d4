import { isLicenseError, isLicenseKey, type LicenseAction } from '@licensekit/core'
import {
  SUCCESS_FLAG,
  TIMESTAMP_WINDOW_SECONDS,
  UPSTREAM_FAILURES,
  verifySignature,
} from '@licensekit/core/server'
import type { LicenseStore } from '../store/store-types.js'
import { perform } from './actions.js'
import { failureFor } from './failures.js'
import { parsePayload } from './parse-payload.js'
import { ReplayCache } from './replay-cache.js'

export interface ApiOptions {
  store: LicenseStore
  secret: string
  /** Milliseconds since the epoch. */
  now: () => number
}

/** What the API reads of a request, whatever carried it (a `Request` or a Node request). */
export interface ApiRequest {
  readonly method: string
  /** The path without the query. */
  readonly path: string
  /** The `X-Ecosire-Signature` header, if any. */
  readonly signature: string | undefined
  /**
   * The body as UTF-8 text; throws a `LicenseError`: `payload_too_large` past
   * {@link MAX_BODY_BYTES}, anything else for a body that cannot be read.
   */
  text(): Promise<string>
}

/** The API's answer: a status and a JSON text, plus `Allow` on a 405. */
export interface ApiAnswer {
  readonly status: number
  readonly json: string
  readonly allow?: string
}

/** Bodies above this many bytes are refused with 413 before any parsing. */
export const MAX_BODY_BYTES = 4096

const ROUTE = /^\/api\/licenses\/(validate|activate|deactivate)$/

function routeOf(path: string): LicenseAction | null {
  const match = ROUTE.exec(path)
  return (match?.[1] as LicenseAction | undefined) ?? null
}

function answer(status: number, body: unknown, allow?: string): ApiAnswer {
  const json = JSON.stringify(body)
  return allow === undefined ? { status, json } : { status, json, allow }
}

/**
 * `true`/`false` for a signature over `payload`, or the refusal message of a payload that cannot
 * be signed unambiguously (a value with `&`, `=`, control or non-ASCII characters).
 */
async function checkSignature(
  secret: string,
  payload: Record<string, string>,
  signature: string,
): Promise<boolean | string> {
  try {
    return await verifySignature(secret, payload, signature)
  } catch (error) {
    if (isLicenseError(error) && error.code === 'invalid_payload') return error.message
    throw error
  }
}

/** The body text, or the status and message refusing it. */
async function bodyOf(request: ApiRequest): Promise<string | [number, string]> {
  try {
    return await request.text()
  } catch (error) {
    if (isLicenseError(error) && error.code === 'payload_too_large') {
      return [413, 'Payload too large']
    }
    return [400, 'Malformed JSON body']
  }
}

/**
 * The ECOSIRE-compatible license API on a plain request: `POST /api/licenses/validate`,
 * `/activate` and `/deactivate`. Order of checks: route, method, body size, body shape,
 * signature (before any lookup), timestamp window, replay, key format, then the database.
 */
export function createApi({ store, secret, now }: ApiOptions) {
  const replays = new ReplayCache({ windowSeconds: TIMESTAMP_WINDOW_SECONDS })
  return async (request: ApiRequest): Promise<ApiAnswer> => {
    const action = routeOf(request.path)
    if (action === null) return answer(404, { message: 'Not found' })
    const fail = (status: number, message: string, allow?: string) =>
      answer(status, { [SUCCESS_FLAG[action]]: false, message }, allow)
    const refuse = (failure: keyof typeof UPSTREAM_FAILURES) =>
      fail(UPSTREAM_FAILURES[failure].status, UPSTREAM_FAILURES[failure].message)

    if (request.method !== 'POST') return fail(405, 'Method not allowed', 'POST')
    const body = await bodyOf(request)
    if (typeof body !== 'string') return fail(...body)
    const parsed = parsePayload(body)
    if (!parsed.ok) return fail(400, parsed.message)
    const { payload } = parsed

    const signature = request.signature ?? ''
    const signed = await checkSignature(secret, payload, signature)
    if (typeof signed === 'string') return fail(400, signed)
    if (!signed) return refuse('invalid_signature')
    const nowSeconds = Math.floor(now() / 1000)
    const timestamp = Number(payload.timestamp)
    if (Math.abs(nowSeconds - timestamp) > TIMESTAMP_WINDOW_SECONDS) {
      return refuse('request_expired')
    }
    if (!replays.admit(signature, action, timestamp, nowSeconds)) return refuse('request_replayed')
    if (!isLicenseKey(payload.key)) return refuse('not_found')

    try {
      return answer(200, perform(action, store, payload.key, payload.domain))
    } catch (error) {
      const failure = failureFor(error)
      if (failure) return refuse(failure)
      throw error
    }
  }
}
