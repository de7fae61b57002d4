import { LicenseError } from '../errors/license-error.js'
import { constantTimeEqual, utf8, webHmacHex } from './hmac.js'

/** A flat payload to sign: ASCII identifier field names, printable-ASCII string values. */
export type SignablePayload = Readonly<Record<string, string>>

const FIELD_NAME = /^[A-Za-z0-9_]+$/
/** Printable ASCII without `&` and `=`, which would make the joined message ambiguous. */
const FIELD_VALUE = /^[\x20-\x25\x27-\x3c\x3e-\x7e]*$/
const SIGNATURE = /^[0-9a-f]{64}$/

/** Lowercase hex HMAC-SHA256 of a UTF-8 message under a UTF-8 secret. */
export type HmacHex = (secret: string, message: string) => string | Promise<string>

let hmacHex: HmacHex = webHmacHex

/** Chooses the HMAC implementation (the `node` entry picks `node:crypto`; default WebCrypto). */
export function useHmac(implementation: HmacHex): void {
  hmacHex = implementation
}

function refuse(message: string): LicenseError {
  return new LicenseError('invalid_payload', message)
}

function checkSecret(secret: string): void {
  if (typeof secret !== 'string' || secret.length === 0) {
    throw new LicenseError('invalid_config', 'The signing secret must be a non-empty string')
  }
}

/**
 * The exact string the ECOSIRE guide signs: `k=v` pairs sorted by key (ordinal), joined by `&`.
 * Refuses, with a `LicenseError` (`invalid_payload`), anything whose joined form could be
 * ambiguous: non-string values, values with `&`, `=`, control or non-ASCII characters, and
 * field names other than ASCII letters, digits and `_`.
 */
export function canonicalMessage(payload: SignablePayload): string {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    throw refuse('The payload must be a plain object')
  }
  const proto: unknown = Object.getPrototypeOf(payload)
  if (proto !== Object.prototype && proto !== null) {
    throw refuse('The payload must be a plain object')
  }
  const names = Object.keys(payload)
  if (names.length === 0) throw refuse('The payload has no fields')
  for (const name of names) {
    if (!FIELD_NAME.test(name)) {
      throw refuse('Field names may contain only ASCII letters, digits and "_"')
    }
    const value: unknown = payload[name]
    if (typeof value !== 'string') throw refuse(`Field "${name}" must be a string`)
    if (!FIELD_VALUE.test(value)) {
      throw refuse(
        `Field "${name}" may contain only printable ASCII characters other than "&" and "="`,
      )
    }
  }
  names.sort()
  let message = ''
  for (const name of names) message += `${message === '' ? '' : '&'}${name}=${payload[name]}`
  return message
}

/**
 * {@link signPayload} without the promise when the HMAC is synchronous (`node:crypto`), for the
 * proxy's hot path; throws where `signPayload` rejects.
 */
export function signatureOf(secret: string, payload: SignablePayload): string | Promise<string> {
  const message = canonicalMessage(payload)
  checkSecret(secret)
  return hmacHex(secret, message)
}

/** Lowercase hex HMAC-SHA256 of {@link canonicalMessage}, keyed with the UTF-8 secret. */
export async function signPayload(secret: string, payload: SignablePayload): Promise<string> {
  return signatureOf(secret, payload)
}

/**
 * Checks a signature in constant time. Only 64 lowercase hex characters can match; anything
 * else is `false`. Refuses an invalid payload or an empty secret with a `LicenseError`.
 */
export async function verifySignature(
  secret: string,
  payload: SignablePayload,
  signature: string,
): Promise<boolean> {
  const message = canonicalMessage(payload)
  checkSecret(secret)
  if (typeof signature !== 'string' || !SIGNATURE.test(signature)) return false
  return constantTimeEqual(utf8(await hmacHex(secret, message)), utf8(signature))
}
