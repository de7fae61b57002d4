import { isPlainObject } from '../plain-object.js'
import { decodeBase64Url } from './base64url.js'
import { type LicenseTokenClaims, parseTokenClaims } from './claims.js'
import { SIGNATURE_BYTES } from './ecdsa.js'

/** Why a token was refused. */
export type TokenRefusal =
  | 'malformed'
  | 'unsupported_algorithm'
  | 'unsupported_header'
  | 'unknown_key'
  | 'bad_signature'
  | 'bad_claims'
  | 'wrong_audience'
  | 'wrong_issuer'
  | 'expired'
  | 'issued_in_future'
  | 'keys_unavailable'

/** A refusal, as every check of a token reports one. */
export interface Refused {
  ok: false
  reason: TokenRefusal
}

export function refuse(reason: TokenRefusal): Refused {
  return { ok: false, reason }
}

/** A token split and decoded, before its signature is checked. */
export interface ParsedToken {
  kid: string
  claims: LicenseTokenClaims
  signingInput: Uint8Array<ArrayBuffer>
  signature: Uint8Array<ArrayBuffer>
}

/** Longer tokens are refused unread; ours are well under 1 KiB. */
export const MAX_TOKEN_LENGTH = 4096

const HEADER_NAMES = ['alg', 'kid', 'typ'].join()
const KID = /^[A-Za-z0-9_-]{1,128}$/
const utf8 = new TextDecoder('utf-8', { fatal: true })

function decodeJson(part: string): unknown {
  const bytes = decodeBase64Url(part)
  if (!bytes) return undefined
  try {
    return JSON.parse(utf8.decode(bytes))
  } catch {
    return undefined
  }
}

type HeaderCheck = { ok: true; kid: string } | Refused

/** The header must be exactly `{alg: "ES256", typ: "license+jwt", kid}`: nothing else is honoured. */
function checkHeader(header: unknown): HeaderCheck {
  if (!isPlainObject(header)) return refuse('malformed')
  if (header.alg !== 'ES256') return refuse('unsupported_algorithm')
  if (Object.keys(header).sort().join() !== HEADER_NAMES || header.typ !== 'license+jwt') {
    return refuse('unsupported_header')
  }
  const { kid } = header
  if (typeof kid !== 'string' || !KID.test(kid)) return refuse('unsupported_header')
  return { ok: true, kid }
}

/** Header checks by encoded header: one key's tokens all share one header. */
const headerChecks = new Map<string, HeaderCheck>()
const MAX_REMEMBERED_HEADERS = 32

function checkHeaderPart(part: string): HeaderCheck {
  let check = headerChecks.get(part)
  if (!check) {
    check = checkHeader(decodeJson(part))
    if (headerChecks.size >= MAX_REMEMBERED_HEADERS) headerChecks.clear()
    headerChecks.set(part, check)
  }
  return check
}

/** Splits and decodes a compact JWS and checks its header and claim shapes; no crypto. */
export function parseToken(token: unknown): { ok: true; token: ParsedToken } | Refused {
  if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH) {
    return refuse('malformed')
  }
  const parts = token.split('.')
  if (parts.length !== 3) return refuse('malformed')
  const [headerPart = '', claimsPart = '', signaturePart = ''] = parts
  const header = checkHeaderPart(headerPart)
  if (!header.ok) return header
  const rawClaims = decodeJson(claimsPart)
  if (rawClaims === undefined) return refuse('malformed')
  const signature = decodeBase64Url(signaturePart)
  if (!signature || signature.length !== SIGNATURE_BYTES) return refuse('malformed')
  const claims = parseTokenClaims(rawClaims)
  if (!claims) return refuse('bad_claims')
  const signingInput = new TextEncoder().encode(`${headerPart}.${claimsPart}`)
  return { ok: true, token: { kid: header.kid, claims, signingInput, signature } }
}
