import { randomInt } from 'node:crypto'
import { LicenseError } from '@licensekit/core'

/**
 * Letters and digits without the look-alikes `0`/`O` and `1`/`I`/`L`, so a key read aloud or
 * copied by hand cannot be mistyped into another valid key. Input is never re-mapped
 * (`O` is not turned into `0`): normalising what a user typed never changes a real key.
 */
export const KEY_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789'
const PREFIX = /^[A-Z0-9]{2,10}$/
const GROUPS = 4
const GROUP_LENGTH = 4

function randomGroup(): string {
  let group = ''
  for (let i = 0; i < GROUP_LENGTH; i++) group += KEY_ALPHABET[randomInt(KEY_ALPHABET.length)]
  return group
}

/** True for a prefix the key format accepts: 2–10 uppercase letters or digits. */
export function isKeyPrefix(prefix: string): boolean {
  return PREFIX.test(prefix)
}

/**
 * A new key `PREFIX-XXXX-XXXX-XXXX-XXXX` whose 16 characters come from the operating system's
 * CSPRNG without modulo bias (`crypto.randomInt`), from a 31-character alphabet:
 * about 79 bits of entropy.
 */
export function generateLicenseKey(prefix: string): string {
  if (!isKeyPrefix(prefix)) {
    throw new LicenseError(
      'bad_request',
      `Invalid prefix "${prefix}": expected 2–10 uppercase letters or digits`,
    )
  }
  return [prefix, ...Array.from({ length: GROUPS }, randomGroup)].join('-')
}
