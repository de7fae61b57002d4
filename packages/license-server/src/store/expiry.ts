import { LicenseError } from '@licensekit/core'

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2})$/

function invalidDate(input: string): LicenseError {
  return new LicenseError(
    'bad_request',
    `Invalid date "${input}": expected YYYY-MM-DD or an ISO-8601 date-time with a time zone`,
  )
}

function parseDateOnly(input: string, match: RegExpExecArray): string {
  const [, year, month, day] = match.map(Number)
  const date = new Date(Date.UTC(year ?? 0, (month ?? 0) - 1, day ?? 0))
  if (
    date.getUTCFullYear() !== year ||
    date.getUTCMonth() + 1 !== month ||
    date.getUTCDate() !== day
  ) {
    throw invalidDate(input)
  }
  return date.toISOString()
}

/**
 * Turns an expiry given by an operator into the stored ISO-8601 form. `YYYY-MM-DD` means the
 * start of that day in UTC (the license is expired from that instant on); a date-time must
 * carry its time zone. `null` or `undefined` means the license never expires.
 * Throws a `LicenseError` (`bad_request`) for anything else, including impossible dates.
 */
export function parseExpiry(input: string | null | undefined): string | null {
  if (input === null || input === undefined) return null
  const dateOnly = DATE_ONLY.exec(input)
  if (dateOnly) return parseDateOnly(input, dateOnly)
  if (!DATE_TIME.test(input)) throw invalidDate(input)
  const datePart = DATE_ONLY.exec(input.slice(0, 10))
  if (!datePart) throw invalidDate(input)
  parseDateOnly(input, datePart)
  const time = Date.parse(input)
  if (Number.isNaN(time)) throw invalidDate(input)
  return new Date(time).toISOString()
}
