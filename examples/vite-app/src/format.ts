const dateFormat = new Intl.DateTimeFormat('en', { dateStyle: 'medium' })
const dateTimeFormat = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short' })

/** `Mar 4, 2027`, or `fallback` for a missing or unreadable date. */
export function formatDate(iso: string | null, fallback: string): string {
  const time = iso === null ? Number.NaN : Date.parse(iso)
  return Number.isNaN(time) ? fallback : dateFormat.format(time)
}

export function formatDateTime(iso: string | null, fallback: string): string {
  const time = iso === null ? Number.NaN : Date.parse(iso)
  return Number.isNaN(time) ? fallback : dateTimeFormat.format(time)
}
