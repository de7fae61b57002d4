import type { IssuedLicense } from '../store/records.js'
import { boundNameRows } from './bound-names.js'
import { formatTable } from './table.js'

function expiry(record: IssuedLicense): string {
  return record.expiresAt ?? 'never'
}

/** `list`: one row per license. */
export function formatLicenseList(records: readonly IssuedLicense[]): string {
  return formatTable([
    ['KEY', 'STATUS', 'ACTIVATIONS', 'EXPIRES', 'CREATED'],
    ...records.map((record) => [
      record.key,
      record.status,
      `${record.activationsCount}/${record.activationsLimit}`,
      expiry(record),
      record.createdAt,
    ]),
  ])
}

/**
 * `show`: the license, one field a line, then every bound name (activated domain, oldest
 * first) with what it binds: a site, or one device of a site under device binding.
 */
export function formatLicense(record: IssuedLicense): string {
  return formatTable([
    ['key', record.key],
    ['status', record.status],
    ['stored status', record.storedStatus],
    ['expires', expiry(record)],
    ['activations', `${record.activationsCount} of ${record.activationsLimit}`],
    ['features', record.features.length === 0 ? '(none)' : record.features.join(', ')],
    ['seats', record.seats === null ? '(none)' : String(record.seats)],
    ['created', record.createdAt],
    ...boundNameRows(record.domains),
  ])
}
