import { isLicenseError, isLicenseKey, type LicenseAction } from '@licensekit/core'
import {
  type PlainAnswer,
  type PlainRequest,
  readBody,
  SIGNATURE_HEADER,
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

/** Bodies above this many bytes are refused with 413 before any parsing. */
export const MAX_BODY_BYTES = 4096

const ROUTE = /^\/api\/licenses\/(validate|activate|deactivate)$/

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' }
const NOT_ALLOWED_HEADERS = { ...JSON_HEADERS, allow: 'POST' }

function routeOf(path: string): LicenseAction | null {
  const match = ROUTE.exec(path)
  return (match?.[1] as LicenseAction | undefined) ?? null
}

function answer(status: number, body: unknown, headers = JSON_HEADERS): PlainAnswer {
  return { status, headers, body: JSON.stringify(body) }
}

/** The answer to a request the API failed on (its error is not shown). */
export const INTERNAL_ERROR = answer(500, { message: 'Internal server error' })

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
async function bodyOf(request: PlainRequest): Promise<string | [number, string]> {
  try {
    return await readBody(request.toRequest(), MAX_BODY_BYTES)
  } catch (error) {
    if (isLicenseError(error) && error.code === 'payload_too_large') {
      return [413, 'Payload too large']
    }
    return [400, 'Malformed JSON body']
  }
}

/**
 * The ECOSIRE-compatible license API as a plain handler (core's `PlainRequest` in,
 * `PlainAnswer` out, served by `toNodeHandler` and `toFetchHandler`): `POST /api/licenses/validate`,
 * `/activate` and `/deactivate`. Order of checks: route, method, body size, body shape,
 * signature (before any lookup), timestamp window, replay, key format, then the database.
 */
export function createApi({ store, secret, now }: ApiOptions) {
  const replays = new ReplayCache({ windowSeconds: TIMESTAMP_WINDOW_SECONDS })
  return async (request: PlainRequest): Promise<PlainAnswer> => {
    const action = routeOf(request.url.pathname)
    if (action === null) return answer(404, { message: 'Not found' })
    const fail = (status: number, message: string, headers = JSON_HEADERS) =>
      answer(status, { [SUCCESS_FLAG[action]]: false, message }, headers)
    const refuse = (failure: keyof typeof UPSTREAM_FAILURES) =>
      fail(UPSTREAM_FAILURES[failure].status, UPSTREAM_FAILURES[failure].message)

    if (request.method !== 'POST') return fail(405, 'Method not allowed', NOT_ALLOWED_HEADERS)
    const body = await bodyOf(request)
    if (typeof body !== 'string') return fail(...body)
    const parsed = parsePayload(body)
    if (!parsed.ok) return fail(400, parsed.message)
    const { payload } = parsed

    const signature = request.header(SIGNATURE_HEADER) ?? ''
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
