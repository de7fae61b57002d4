import { isLicenseError, isLicenseKey, type LicenseAction } from '@licensekit/core'
import {
  type PlainAnswer,
  type PlainRequest,
  readPlainText,
  SIGNATURE_HEADER,
  SUCCESS_FLAG,
  TIMESTAMP_WINDOW_SECONDS,
  UPSTREAM_FAILURES,
  type UpstreamFailure,
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

const ROUTES: ReadonlyMap<string, LicenseAction> = new Map([
  ['/api/licenses/validate', 'validate'],
  ['/api/licenses/activate', 'activate'],
  ['/api/licenses/deactivate', 'deactivate'],
])

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' }
const NOT_ALLOWED_HEADERS = { ...JSON_HEADERS, allow: 'POST' }

function answer(status: number, body: unknown, headers = JSON_HEADERS): PlainAnswer {
  return { status, headers, body: JSON.stringify(body) }
}

/** The answer to a request the API failed on (its error is not shown). */
export const INTERNAL_ERROR = answer(500, { message: 'Internal server error' })

const NOT_FOUND = answer(404, { message: 'Not found' })

/** A refusal of `action`: its success flag `false` next to the message. */
function fail(action: LicenseAction, status: number, message: string, headers = JSON_HEADERS) {
  return answer(status, { [SUCCESS_FLAG[action]]: false, message }, headers)
}

/** A refusal the protocol names, worded and numbered as it says. */
function refuse(action: LicenseAction, failure: UpstreamFailure): PlainAnswer {
  return fail(action, UPSTREAM_FAILURES[failure].status, UPSTREAM_FAILURES[failure].message)
}

/** The refusal of a body that could not be read: too large, or not UTF-8. */
function bodyRefusal(action: LicenseAction, error: unknown): PlainAnswer {
  if (isLicenseError(error) && error.code === 'payload_too_large') {
    return fail(action, 413, 'Payload too large')
  }
  return fail(action, 400, 'Malformed JSON body')
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
    const action = ROUTES.get(request.pathname)
    if (action === undefined) return NOT_FOUND
    if (request.method !== 'POST') {
      return fail(action, 405, 'Method not allowed', NOT_ALLOWED_HEADERS)
    }
    let body: string
    try {
      body = await readPlainText(request, MAX_BODY_BYTES)
    } catch (error) {
      return bodyRefusal(action, error)
    }
    const parsed = parsePayload(body)
    if (!parsed.ok) return fail(action, 400, parsed.message)
    const { payload } = parsed

    const signature = request.header(SIGNATURE_HEADER) ?? ''
    let signed: boolean
    try {
      signed = await verifySignature(secret, payload, signature)
    } catch (error) {
      // A payload that cannot be signed unambiguously (`&`, `=`, control or non-ASCII).
      if (isLicenseError(error) && error.code === 'invalid_payload') {
        return fail(action, 400, error.message)
      }
      throw error
    }
    if (!signed) return refuse(action, 'invalid_signature')
    const nowSeconds = Math.floor(now() / 1000)
    const timestamp = Number(payload.timestamp)
    if (Math.abs(nowSeconds - timestamp) > TIMESTAMP_WINDOW_SECONDS) {
      return refuse(action, 'request_expired')
    }
    if (!replays.admit(signature, action, timestamp, nowSeconds)) {
      return refuse(action, 'request_replayed')
    }
    if (!isLicenseKey(payload.key)) return refuse(action, 'not_found')

    try {
      return answer(200, perform(action, store, payload.key, payload.domain))
    } catch (error) {
      const failure = failureFor(error)
      if (failure) return refuse(action, failure)
      throw error
    }
  }
}
