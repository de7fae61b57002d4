/** What an operator sets: `expired` is never stored, it follows from `expiresAt`. */
export type StoredStatus = 'active' | 'suspended' | 'revoked'

/** What the API reports, computed at read time. */
export type IssuedLicenseStatus = StoredStatus | 'expired'

export interface IssuedLicense {
  key: string
  /** Effective status: `expired` as soon as `expiresAt` is reached, whatever `storedStatus` says. */
  status: IssuedLicenseStatus
  storedStatus: StoredStatus
  /** ISO-8601, or `null` for a license that never expires. */
  expiresAt: string | null
  activationsLimit: number
  activationsCount: number
  /** Feature names (a local extension of the ECOSIRE answer), in the order issued. */
  features: string[]
  /** Number of seats, or `null` when the license has none (a local extension). */
  seats: number | null
  /** Activated domains, oldest activation first. */
  domains: string[]
  /** ISO-8601. */
  createdAt: string
}

export interface LicenseRow {
  id: number
  key: string
  status: StoredStatus
  expires_at: string | null
  activations_limit: number
  created_at: string
  /** JSON array of feature names. */
  features: string
  seats: number | null
}

/** The stored feature list; anything but an array of strings reads as none. */
function parseFeatures(text: string): string[] {
  try {
    const value: unknown = JSON.parse(text)
    return Array.isArray(value) ? value.filter((name) => typeof name === 'string') : []
  } catch {
    return []
  }
}

/** Expiry wins over every stored status: a license past its date is expired. */
export function effectiveStatus(row: LicenseRow, nowMs: number): IssuedLicenseStatus {
  if (row.expires_at !== null && Date.parse(row.expires_at) <= nowMs) return 'expired'
  return row.status
}

export function toRecord(row: LicenseRow, domains: string[], nowMs: number): IssuedLicense {
  return {
    key: row.key,
    status: effectiveStatus(row, nowMs),
    storedStatus: row.status,
    expiresAt: row.expires_at,
    activationsLimit: row.activations_limit,
    activationsCount: domains.length,
    features: parseFeatures(row.features),
    seats: row.seats,
    domains,
    createdAt: row.created_at,
  }
}
