import { LicenseError } from '../errors/license-error.js'

/**
 * The shape of your license keys: `PREFIX-XXXX-XXXX-XXXX-XXXX` by default. `prefix` fixes the
 * part before the first dash (any 2–10 letters or digits when absent); `groups` is how many
 * groups of four follow it (ECOSIRE issues both four- and three-group keys).
 */
export interface LicenseKeyFormat {
  prefix?: string
  groups: 3 | 4
}

/** The format used when none is given: any prefix, four groups. */
export const DEFAULT_LICENSE_KEY_FORMAT: Readonly<LicenseKeyFormat> = Object.freeze({ groups: 4 })

/** Characters in one group after the prefix. */
export const KEY_GROUP_LENGTH = 4
export const KEY_PREFIX_MIN = 2
export const KEY_PREFIX_MAX = 10

/** A format checked once: the prefix upper-cased (or `null`), and its canonical pattern. */
export interface ResolvedKeyFormat {
  prefix: string | null
  groups: 3 | 4
  /** Characters after the prefix, dashes excluded: `groups` × 4. */
  bodyLength: number
  canonical: RegExp
}

const PREFIX = /^[A-Za-z0-9]{2,10}$/

/**
 * Checks a format and compiles its pattern. Anything that is not an object means the default
 * format, so the key functions still work as array callbacks (`keys.every(isLicenseKey)`
 * passes an index second). Throws a `LicenseError` with code `invalid_config` for a prefix
 * that is not 2–10 letters or digits or a group count other than 3 or 4: a wrong format is a
 * set-up mistake, never a user's.
 */
export function resolveKeyFormat(format?: LicenseKeyFormat): ResolvedKeyFormat {
  const given = typeof format === 'object' && format !== null
  const { prefix, groups } = given ? format : DEFAULT_LICENSE_KEY_FORMAT
  if (groups !== 3 && groups !== 4) {
    throw new LicenseError('invalid_config', 'License key format: groups must be 3 or 4')
  }
  if (prefix !== undefined && (typeof prefix !== 'string' || !PREFIX.test(prefix))) {
    throw new LicenseError(
      'invalid_config',
      'License key format: the prefix must be 2 to 10 letters or digits',
    )
  }
  const fixed = prefix === undefined ? null : prefix.toUpperCase()
  const head = fixed ?? `[A-Z0-9]{${KEY_PREFIX_MIN},${KEY_PREFIX_MAX}}`
  return {
    prefix: fixed,
    groups,
    bodyLength: groups * KEY_GROUP_LENGTH,
    canonical: new RegExp(`^${head}(?:-[A-Z0-9]{${KEY_GROUP_LENGTH}}){${groups}}$`),
  }
}

/**
 * The format written out for people: `PREFIX-XXXX-XXXX-XXXX-XXXX` by default,
 * `ECO-XXXX-XXXX-XXXX` for `{ prefix: 'ECO', groups: 3 }`. Use it as a placeholder or in
 * error words.
 */
export function licenseKeyTemplate(format?: LicenseKeyFormat): string {
  const { prefix, groups } = resolveKeyFormat(format)
  return [prefix ?? 'PREFIX', ...Array.from({ length: groups }, () => 'XXXX')].join('-')
}
