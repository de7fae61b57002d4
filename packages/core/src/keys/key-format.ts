import { LicenseError } from '../errors/license-error.js'

/**
 * The shape of your license keys: `PREFIX-XXXX-XXXX-XXXX-XXXX` by default. `prefix` fixes the
 * part before the first dash (any 2–10 letters or digits when absent); `groups` is how many
 * groups of four follow it (ECOSIRE issues both four- and three-group keys).
 */
export interface LicenseKeyFormat {
  prefix?: string | undefined
  groups: 3 | 4
}

/** A format checked once: the prefix upper-cased (or `null`), and its canonical pattern. */
export interface ResolvedKeyFormat {
  prefix: string | null
  groups: 3 | 4
  canonical: RegExp
}

const PREFIX = /^[A-Za-z0-9]{2,10}$/

/**
 * Checks a format and compiles its pattern. Anything that is not an object is read as
 * `otherwise`, the default format unless given, so the key functions still work as array
 * callbacks (`keys.every(isLicenseKey)` passes an index second). Throws a `LicenseError` with
 * code `invalid_config` for a prefix that is not 2–10 letters or digits or a group count other
 * than 3 or 4: a wrong format is a set-up mistake, never a user's.
 */
export function resolveKeyFormat(
  format?: unknown,
  otherwise: Partial<LicenseKeyFormat> = { groups: 4 },
): ResolvedKeyFormat {
  const { prefix, groups }: Partial<LicenseKeyFormat> =
    typeof format === 'object' && format !== null ? format : otherwise
  if (
    (groups !== 3 && groups !== 4) ||
    (prefix !== undefined && (typeof prefix !== 'string' || !PREFIX.test(prefix)))
  ) {
    throw new LicenseError('invalid_config', `Invalid license key format ${JSON.stringify(format)}`)
  }
  const fixed = prefix?.toUpperCase() ?? null
  return {
    prefix: fixed,
    groups,
    canonical: new RegExp(`^${fixed ?? '[A-Z0-9]{2,10}'}(?:-[A-Z0-9]{4}){${groups}}$`),
  }
}

/**
 * The format written out for people: `PREFIX-XXXX-XXXX-XXXX-XXXX` by default,
 * `ECO-XXXX-XXXX-XXXX` for `{ prefix: 'ECO', groups: 3 }`. Use it as a placeholder or in
 * error words.
 */
export function licenseKeyTemplate(format?: LicenseKeyFormat): string {
  const { prefix, groups } = resolveKeyFormat(format)
  return (prefix ?? 'PREFIX') + '-XXXX'.repeat(groups)
}

/**
 * `format` when it is a key format, `undefined` when it is unset (the default format); throws
 * a `LicenseError` with code `invalid_config` for anything else. For options checked once.
 */
export function checkKeyFormat(format: unknown): LicenseKeyFormat | undefined {
  // Anything else than an object is read as no format at all, which has no group count.
  if (format !== undefined) resolveKeyFormat(format, {})
  return format as LicenseKeyFormat | undefined
}
