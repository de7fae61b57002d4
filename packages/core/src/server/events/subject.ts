import { toHex, utf8 } from '../hmac.js'

const SUBJECT = /^[0-9a-f]{64}$/

/** The subject events are addressed to: lowercase hex SHA-256 of the canonical key, never the key. */
export async function subjectOf(canonicalKey: string): Promise<string> {
  return toHex(await globalThis.crypto.subtle.digest('SHA-256', utf8(canonicalKey)))
}

/** True for a string shaped like a subject (64 lowercase hex characters). */
export function isSubject(value: unknown): value is string {
  return typeof value === 'string' && SUBJECT.test(value)
}
