'use client'

/** Where a canonical key has its dashes: after the prefix, then every four characters. */
const GROUP = 4
const BODY = 16
const PREFIX_MIN = 2
const PREFIX_MAX = 10

const SIGNIFICANT = /^[A-Za-z0-9]$/
/** Blanks and the dashes people paste from documents (hyphen, en and em dash, minus sign). */
const SEPARATOR = /^[\s\-\u2010-\u2015\u2212]$/

export interface FormatLicenseKeyInputOptions {
  /**
   * The prefix your keys start with (e.g. `SHOP`). When set, a dash is inserted after it as
   * soon as the next character is typed, even if the user types no dash.
   */
  prefix?: string | undefined
  /**
   * The whole key arrived at once (paste, drop, autofill, leaving the field): a dashless key
   * is split like `normalizeLicenseKey` does, taking the last 16 characters as the groups,
   * and anything after the last letter or digit is dropped.
   */
  whole?: boolean | undefined
}

export interface FormattedLicenseKeyInput {
  value: string
  /** Where the caret goes in `value`. */
  caret: number
}

/**
 * Formats what is in a key field: upper-cases, drops characters a key cannot contain, and
 * places dashes after the prefix and after every four characters of the groups.
 *
 * The prefix is what comes before the first dash (or blank) the user typed; until one is
 * typed nothing is grouped, because `SHOPA1B2…` could have a prefix of any length from 2
 * to 10, unless `options.prefix` names it or `options.whole` says the key is complete.
 * Dashes inside the groups are re-placed every four characters. A dash typed at the end is
 * kept where a dash belongs (after the prefix or a complete group) so the user sees it.
 *
 * The caret stays after the same letter or digit it followed in `raw` (`caret` is its
 * position there), or after the dash when the user had just typed one.
 */
export function formatLicenseKeyInput(
  raw: string,
  caret: number = raw.length,
  options: FormatLicenseKeyInputOptions = {},
): FormattedLicenseKeyInput {
  let significant = ''
  let before = 0
  let separatorAtCaret = false
  let separatorAtEnd = false
  let prefixLength: number | null = null
  // A whole key ends at its last letter or digit: trailing blanks of a paste are no dash.
  let end = raw.length
  if (options.whole === true) while (end > 0 && !SIGNIFICANT.test(raw.charAt(end - 1))) end--
  for (let index = 0; index < end; index++) {
    const char = raw.charAt(index)
    if (SIGNIFICANT.test(char)) {
      significant += char.toUpperCase()
      if (index < caret) {
        before++
        separatorAtCaret = false
      }
      separatorAtEnd = false
    } else if (SEPARATOR.test(char) && significant.length > 0) {
      prefixLength ??= significant.length
      if (index < caret) separatorAtCaret = true
      separatorAtEnd = true
    }
  }
  prefixLength ??= inferPrefixLength(significant, options)
  if (prefixLength === null) return { value: significant, caret: before }

  const groups = [significant.slice(0, prefixLength)]
  for (let start = prefixLength; start < significant.length; start += GROUP) {
    groups.push(significant.slice(start, start + GROUP))
  }
  const bodyLength = significant.length - prefixLength
  const dashBelongsAtEnd = bodyLength === 0 || (bodyLength % GROUP === 0 && bodyLength < BODY)
  const value = groups.join('-') + (separatorAtEnd && dashBelongsAtEnd ? '-' : '')

  let position =
    before <= prefixLength ? before : before + 1 + Math.floor((before - prefixLength - 1) / GROUP)
  if (before === 0) position = 0
  if (separatorAtCaret && value.charAt(position) === '-') position++
  return { value, caret: Math.min(position, value.length) }
}

function inferPrefixLength(
  significant: string,
  options: FormatLicenseKeyInputOptions,
): number | null {
  const hint = (options.prefix ?? '').toUpperCase().replace(/[^A-Z0-9]/g, '')
  if (hint.length > 0 && significant.length > hint.length && significant.startsWith(hint)) {
    return hint.length
  }
  const prefixLength = significant.length - BODY
  if (options.whole === true && prefixLength >= PREFIX_MIN && prefixLength <= PREFIX_MAX) {
    return prefixLength
  }
  return null
}

/**
 * Words for what is wrong with a (formatted) key that typing more cannot fix, or `null`:
 * an incomplete key is not an error.
 */
export function licenseKeyFormatError(value: string): string | null {
  if (value.length === 0) return null
  const parts = value.split('-')
  const prefix = parts[0] ?? ''
  const body = parts.slice(1).join('')
  if (parts.length === 1) {
    return prefix.length > PREFIX_MAX + BODY
      ? 'This is longer than a license key. A key looks like SHOP-A1B2-C3D4-E5F6-G7H8.'
      : null
  }
  if (prefix.length < PREFIX_MIN || prefix.length > PREFIX_MAX) {
    return `The part before the first dash must have ${PREFIX_MIN} to ${PREFIX_MAX} letters or digits.`
  }
  if (body.length > BODY) {
    return 'This has too many characters: after the prefix a key has four groups of four letters or digits.'
  }
  return null
}
