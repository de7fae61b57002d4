import type { LicenseRecord } from '../store/records.js'
import { formatTable } from './table.js'

function expiry(record: LicenseRecord): string {
  return record.expiresAt ?? 'never'
}

/** `list`: one row per license. */
export function formatLicenseList(records: readonly LicenseRecord[]): string {
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

/** `show`: the license, one field a line, then every activated domain. */
export function formatLicense(record: LicenseRecord): string {
  const [first = '(none)', ...rest] = record.domains
  return formatTable([
    ['key', record.key],
    ['status', record.status],
    ['stored status', record.storedStatus],
    ['expires', expiry(record)],
    ['activations', `${record.activationsCount} of ${record.activationsLimit}`],
    ['features', record.features.length === 0 ? '(none)' : record.features.join(', ')],
    ['seats', record.seats === null ? '(none)' : String(record.seats)],
    ['created', record.createdAt],
    ['domains', first],
    ...rest.map((domain) => ['', domain]),
  ])
}
