import { isLicenseKey, type LicenseKeyFormat, licenseKeyTemplate } from '@licensekit/core'

/** Where a canonical key has its dashes: after the prefix, then every four characters. */
const GROUP = 4
const PREFIX_MIN = 2
const PREFIX_MAX = 10

const SIGNIFICANT = /^[A-Za-z0-9]$/
/** Blanks and the dashes people paste from documents (hyphen, en and em dash, minus sign). */
const SEPARATOR = /^[\s\-\u2010-\u2015\u2212]$/

export interface FormatLicenseKeyInputOptions {
  /**
   * The prefix your keys start with (e.g. `SHOP`). When set, a dash is inserted after it as
   * soon as the next character is typed, even if the user types no dash. Defaults to
   * `format.prefix`.
   */
  prefix?: string | undefined
  /** Your keys' format (`{ prefix?, groups: 3 | 4 }`); four groups and any prefix by default. */
  format?: LicenseKeyFormat | undefined
  /**
   * The whole key arrived at once (paste, drop, autofill, leaving the field): a dashless key
   * is split like `normalizeLicenseKey` does, taking the last 16 characters (12 for three
   * groups) as the groups, and anything after the last letter or digit is dropped.
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
  const body = bodyLength(options.format)
  prefixLength ??= inferPrefixLength(significant, body, options)
  if (prefixLength === null) return { value: significant, caret: before }

  const groups = [significant.slice(0, prefixLength)]
  for (let start = prefixLength; start < significant.length; start += GROUP) {
    groups.push(significant.slice(start, start + GROUP))
  }
  const typed = significant.length - prefixLength
  const dashBelongsAtEnd = typed === 0 || (typed % GROUP === 0 && typed < body)
  const value = groups.join('-') + (separatorAtEnd && dashBelongsAtEnd ? '-' : '')

  let position =
    before <= prefixLength ? before : before + 1 + Math.floor((before - prefixLength - 1) / GROUP)
  if (before === 0) position = 0
  if (separatorAtCaret && value.charAt(position) === '-') position++
  return { value, caret: Math.min(position, value.length) }
}

/** The `inputType`s with which a browser brings a whole value at once. */
const WHOLE_INPUT_TYPES: ReadonlySet<string> = new Set([
  'insertFromPaste',
  'insertFromDrop',
  'insertFromYank',
  'insertReplacementText',
])

export interface KeyEditOptions extends Omit<FormatLicenseKeyInputOptions, 'whole'> {
  /** A `paste` event came just before this edit (for browsers that give no `inputType`). */
  pasted?: boolean | undefined
}

/**
 * What a key field shows after an edit. `previous` is the value before it, `raw` and `caret`
 * what the browser put in the field, `inputType` the `InputEvent`'s (`''` when it has none).
 *
 * Paste, drop and autofill bring a whole key (by `inputType`, or without one after a `paste`
 * event or when more than one letter or digit arrived), which is split like
 * `normalizeLicenseKey` does. Deleting only a dash the formatter would put back deletes the
 * character beside it instead: the one before on backspace, after on Delete.
 */
export function interpretKeyEdit(
  previous: string,
  raw: string,
  caret: number,
  inputType: string,
  options: KeyEditOptions = {},
): FormattedLicenseKeyInput {
  const whole =
    WHOLE_INPUT_TYPES.has(inputType) ||
    (inputType === '' &&
      (options.pasted === true || significantLength(raw) > significantLength(previous) + 1))
  const formatOptions = { prefix: options.prefix, format: options.format, whole }
  const next = formatLicenseKeyInput(raw, caret, formatOptions)
  const onlyDashDeleted =
    next.value === previous && raw.length === previous.length - 1 && previous[caret] === '-'
  const at = inputType === 'deleteContentForward' ? caret : caret - 1
  if (!onlyDashDeleted || at < 0 || at >= raw.length) return next
  return formatLicenseKeyInput(raw.slice(0, at) + raw.slice(at + 1), at, formatOptions)
}

/**
 * What a key field shows when the user leaves it: a whole dashless key is completed into its
 * canonical form; anything else stays as the user left it.
 */
export function completeLicenseKeyInput(
  value: string,
  options: Omit<FormatLicenseKeyInputOptions, 'whole'> = {},
): string {
  const next = formatLicenseKeyInput(value, value.length, { ...options, whole: true }).value
  return isLicenseKey(next, options.format) ? next : value
}

function significantLength(value: string): number {
  return value.replace(/[^A-Za-z0-9]/g, '').length
}

/** Characters after the prefix in a whole key, dashes excluded. */
function bodyLength(format?: LicenseKeyFormat): number {
  return (format?.groups ?? 4) * GROUP
}

function inferPrefixLength(
  significant: string,
  body: number,
  options: FormatLicenseKeyInputOptions,
): number | null {
  const hint = (options.prefix ?? options.format?.prefix ?? '')
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, '')
  if (hint.length > 0 && significant.length > hint.length && significant.startsWith(hint)) {
    return hint.length
  }
  const prefixLength = significant.length - body
  if (options.whole === true && prefixLength >= PREFIX_MIN && prefixLength <= PREFIX_MAX) {
    return prefixLength
  }
  return null
}

/** A group count in words, for messages. */
export const GROUP_COUNT_WORDS = { 3: 'three', 4: 'four' } as const

/**
 * Words for what is wrong with a (formatted) key that typing more cannot fix, or `null`:
 * an incomplete key is not an error. The words name `format`'s prefix and group count.
 */
export function licenseKeyFormatError(value: string, format?: LicenseKeyFormat): string | null {
  if (value.length === 0) return null
  const example = licenseKeyTemplate(format)
  const fixed = format?.prefix?.toUpperCase()
  const body = bodyLength(format)
  const parts = value.split('-')
  const prefix = parts[0] ?? ''
  const rest = parts.slice(1).join('')
  if (fixed !== undefined && !prefixFits(prefix, fixed, parts.length > 1)) {
    return `Keys here start with ${fixed}-. A key looks like ${example}.`
  }
  if (parts.length === 1) {
    return prefix.length > PREFIX_MAX + body
      ? `This is longer than a license key. A key looks like ${example}.`
      : null
  }
  if (prefix.length < PREFIX_MIN || prefix.length > PREFIX_MAX) {
    return `The part before the first dash must have ${PREFIX_MIN} to ${PREFIX_MAX} letters or digits.`
  }
  if (rest.length > body) {
    const groups = GROUP_COUNT_WORDS[format?.groups ?? 4]
    return `This has too many characters: after the prefix a key has ${groups} groups of four letters or digits.`
  }
  return null
}

/** Whether a typed prefix is the fixed one; before its dash, whether it can still become it. */
function prefixFits(prefix: string, fixed: string, ended: boolean): boolean {
  return ended ? prefix === fixed : fixed.startsWith(prefix) || prefix.startsWith(fixed)
}
