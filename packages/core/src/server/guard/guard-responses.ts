import type { ProxyFailure } from '../../protocol.js'
import type { TokenRefusal } from '../../tokens/parse-token.js'
import { responseOf } from '../proxy/plain-fetch.js'
import { type HeaderMap, jsonAnswer } from '../proxy/responses.js'

function jsonResponse(status: number, body: ProxyFailure, extra?: HeaderMap): Response {
  return responseOf(jsonAnswer(status, body, extra))
}

/** 401 `license_required`, with `WWW-Authenticate: License`. */
export function licenseRequired(message: string): Response {
  return jsonResponse(
    401,
    { ok: false, error: { code: 'license_required', message } },
    { 'www-authenticate': 'License' },
  )
}

/** 403 `license_invalid`. */
export function licenseInvalid(message: string): Response {
  return jsonResponse(403, { ok: false, error: { code: 'license_invalid', message } })
}

/** 503: the guard cannot tell, so it refuses and says why. */
export function guardUnavailable(message: string): Response {
  return jsonResponse(
    503,
    { ok: false, error: { code: 'upstream_unavailable', message } },
    { 'retry-after': '5' },
  )
}

const INVALID_MESSAGES: Readonly<
  Record<Exclude<TokenRefusal, 'malformed' | 'keys_unavailable'>, string>
> = {
  unsupported_algorithm: 'The license token uses an algorithm other than ES256',
  unsupported_header: 'The license token header is not the license+jwt header',
  unknown_key: 'The license token was signed by an unknown key',
  bad_signature: 'The license token signature does not verify',
  bad_claims: 'The license token claims are not license claims',
  wrong_audience: 'The license token is for another domain',
  wrong_issuer: 'The license token is from another issuer',
  expired: 'The license token has expired; validate the license again',
  issued_in_future: 'The license token was issued in the future',
}

/** The answer for a token the verifier refused. */
export function refusalResponse(reason: TokenRefusal): Response {
  if (reason === 'keys_unavailable') {
    return guardUnavailable(
      'The license signing keys could not be fetched; the token cannot be checked',
    )
  }
  if (reason === 'malformed') return licenseRequired('The license token is malformed')
  return licenseInvalid(INVALID_MESSAGES[reason])
}
