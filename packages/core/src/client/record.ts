import { parseEntitlements } from '../entitlements/entitlements.js'
import { isLicenseErrorCode } from '../errors/codes.js'
import type { LicenseKeyFormat } from '../keys/key-format.js'
import { isLicenseKey } from '../keys/license-key.js'
import { isPlainObject } from '../plain-object.js'
import type { LicenseInfo } from '../protocol.js'
import type { LicenseMode } from './options.js'
import type { LicenseReason } from './types.js'

/** A deactivation the proxy has not confirmed yet. `key` in device mode; `{}` in installation mode. */
export interface PendingDeactivation {
  readonly key?: string
}

/**
 * What the client keeps per endpoint (version 1). Validated field by field on every read: a record
 * that does not match exactly is ignored, never trusted.
 */
export interface LicenseRecord {
  readonly v: 1
  /** Canonical key; device mode only. */
  readonly key?: string
  readonly license: LicenseInfo | null
  /** Server time (ISO-8601) of the last definite answer. */
  readonly checkedAt: string | null
  /** Device time (ms) the last definite answer arrived: heartbeat ages are measured from it. */
  readonly receivedAt?: number
  /** Server time (ISO-8601) of the last definite `active` answer: the grace cache. */
  readonly lastActiveAt: string | null
  /** Why the last definite answer denied the license. */
  readonly reason: LicenseReason | null
  /** The proxy's signed receipt for the last `active` answer. */
  readonly receipt?: string
  readonly pendingDeactivations?: readonly PendingDeactivation[]
  /** Latest time (ms) this client has seen, its own clock and server time included. */
  readonly highWaterMark: number
}

const RECORD_FIELDS = [
  'v',
  'key',
  'license',
  'checkedAt',
  'receivedAt',
  'lastActiveAt',
  'reason',
  'receipt',
  'pendingDeactivations',
  'highWaterMark',
]
const LICENSE_FIELDS = [
  'key',
  'status',
  'expiresAt',
  'activationsCount',
  'activationsLimit',
  'entitlements',
]

/** The most pending deactivations a record keeps (the oldest are dropped past it). */
export const MAX_PENDING_DEACTIVATIONS = 16

/**
 * A record from its fields, leaving out the optional ones that are unset: `undefined`, or an
 * empty list of pending deactivations.
 */
export function createRecord(fields: Omit<LicenseRecord, 'v'>): LicenseRecord {
  const record: Record<string, unknown> = { v: 1, ...fields }
  for (const name in record) if (record[name] === undefined) delete record[name]
  const pending = fields.pendingDeactivations ?? []
  if (pending.length === 0) delete record.pendingDeactivations
  else record.pendingDeactivations = pending.slice(-MAX_PENDING_DEACTIVATIONS)
  return record as unknown as LicenseRecord
}

/** The storage key (and lock / channel name) of the record for one endpoint and mode. */
export function recordKeyFor(endpoint: string, mode: LicenseMode): string {
  return `licensekit:${mode}:${endpoint}`
}

function hasOnly(value: Record<string, unknown>, allowed: readonly string[]): boolean {
  return Object.keys(value).every((name) => allowed.includes(name))
}

export function isIsoTime(value: unknown): value is string {
  return typeof value === 'string' && Number.isFinite(Date.parse(value))
}

function isCount(value: unknown): boolean {
  return value === undefined || (Number.isSafeInteger(value) && (value as number) >= 0)
}

/** `LicenseInfo` when `value` is exactly one (as the proxy sends it), else null. */
export function parseLicenseInfo(value: unknown): LicenseInfo | null {
  if (!isPlainObject(value) || !hasOnly(value, LICENSE_FIELDS)) return null
  const { key, status, expiresAt, activationsCount, activationsLimit } = value
  if (typeof key !== 'string' || key.length === 0 || key.length > 64) return null
  if (typeof status !== 'string' || status.length === 0) return null
  if (expiresAt !== null && !isIsoTime(expiresAt)) return null
  if (!isCount(activationsCount) || !isCount(activationsLimit)) return null
  const info: LicenseInfo = { key, status, expiresAt }
  if (activationsCount !== undefined) info.activationsCount = activationsCount as number
  if (activationsLimit !== undefined) info.activationsLimit = activationsLimit as number
  if (value.entitlements !== undefined) {
    const entitlements = parseEntitlements(value.entitlements)
    if (entitlements === null) return null
    info.entitlements = entitlements
  }
  return info
}

function isReason(value: unknown): value is LicenseReason {
  return value === 'grace_expired' || value === 'tampered' || isLicenseErrorCode(value)
}

function parsePending(
  value: unknown,
  mode: LicenseMode,
  format: LicenseKeyFormat | undefined,
): PendingDeactivation[] | null {
  if (!Array.isArray(value) || value.length > MAX_PENDING_DEACTIVATIONS) return null
  const entries: PendingDeactivation[] = []
  for (const entry of value) {
    if (!isPlainObject(entry)) return null
    if (mode === 'installation') {
      if (Object.keys(entry).length !== 0) return null
      entries.push({})
    } else {
      if (!hasOnly(entry, ['key']) || !isLicenseKey(entry.key, format)) return null
      entries.push({ key: entry.key })
    }
  }
  return entries
}

/**
 * The record stored under a key, or null when `value` is missing or not exactly a version-1
 * record (its keys in `format`, the default format when absent).
 */
export function parseLicenseRecord(
  value: unknown,
  mode: LicenseMode,
  format?: LicenseKeyFormat,
): LicenseRecord | null {
  if (!isPlainObject(value) || !hasOnly(value, RECORD_FIELDS) || value.v !== 1) return null
  const { key, checkedAt, receivedAt, lastActiveAt, reason, receipt, highWaterMark } = value
  if (key !== undefined && (mode === 'installation' || !isLicenseKey(key, format))) return null
  const license = value.license === null ? null : parseLicenseInfo(value.license)
  if (value.license !== null && license === null) return null
  if (checkedAt !== null && !isIsoTime(checkedAt)) return null
  if (receivedAt !== undefined && !Number.isFinite(receivedAt)) return null
  if (lastActiveAt !== null && !isIsoTime(lastActiveAt)) return null
  if (reason !== null && !isReason(reason)) return null
  if (receipt !== undefined && typeof receipt !== 'string') return null
  if (typeof highWaterMark !== 'number' || !Number.isFinite(highWaterMark)) return null
  const pending =
    value.pendingDeactivations === undefined
      ? undefined
      : parsePending(value.pendingDeactivations, mode, format)
  if (pending === null) return null
  return createRecord({
    key: key as string | undefined,
    license,
    checkedAt,
    receivedAt: receivedAt as number | undefined,
    lastActiveAt,
    reason,
    receipt,
    pendingDeactivations: pending,
    highWaterMark,
  })
}
