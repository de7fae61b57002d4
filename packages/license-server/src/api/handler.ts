import { isLicenseError, isLicenseKey } from '@licensekit/core'
import { verifySignature } from '@licensekit/core/server'
import type { LicenseStore } from '../store/store-types.js'
import { type Action, perform, SUCCESS_FLAG } from './actions.js'
import { failureFor } from './failures.js'
import { json } from './json.js'
import { parsePayload } from './parse-payload.js'
import { readBody } from './read-body.js'

export interface ApiOptions {
  store: LicenseStore
  secret: string
  /** Milliseconds since the epoch. */
  now: () => number
}

const ROUTE = /^\/api\/licenses\/(validate|activate|deactivate)$/
/** A request whose timestamp is further than this from the server's clock is refused. */
export const TIMESTAMP_WINDOW_SECONDS = 300

function routeOf(request: Request): Action | null {
  const match = ROUTE.exec(new URL(request.url).pathname)
  return (match?.[1] as Action | undefined) ?? null
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

/**
 * The ECOSIRE-compatible license API as a fetch-style handler: `POST /api/licenses/validate`,
 * `/activate` and `/deactivate`. Order of checks: route, method, body size, body shape,
 * signature (before any lookup), timestamp window, key format, then the database.
 */
export function createApiHandler({ store, secret, now }: ApiOptions) {
  return async (request: Request): Promise<Response> => {
    const action = routeOf(request)
    if (action === null) return json(404, { message: 'Not found' })
    const fail = (status: number, message: string, headers?: Record<string, string>) =>
      json(status, { [SUCCESS_FLAG[action]]: false, message }, headers)

    if (request.method !== 'POST') return fail(405, 'Method not allowed', { allow: 'POST' })
    const body = await readBody(request)
    if (!body.ok) return fail(413, 'Payload too large')
    const parsed = parsePayload(body.text)
    if (!parsed.ok) return fail(400, parsed.message)
    const { payload } = parsed

    const signature = request.headers.get('x-ecosire-signature') ?? ''
    const signed = await checkSignature(secret, payload, signature)
    if (typeof signed === 'string') return fail(400, signed)
    if (!signed) return fail(401, 'Invalid signature')
    const skew = Math.abs(Math.floor(now() / 1000) - Number(payload.timestamp))
    if (skew > TIMESTAMP_WINDOW_SECONDS) return fail(401, 'Request expired')
    if (!isLicenseKey(payload.key)) return fail(404, 'License not found')

    try {
      return json(200, perform(action, store, payload.key, payload.domain))
    } catch (error) {
      const failure = failureFor(error)
      if (failure) return fail(failure.status, failure.message)
      throw error
    }
  }
}
