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

/** The most pending deactivations a record keeps (the oldest are dropped past it). */
export const MAX_PENDING_DEACTIVATIONS = 16

/**
 * A record from its fields, leaving out the optional ones that are unset: `undefined`, or an
 * empty list of pending deactivations.
 */
export function createRecord(fields: Omit<LicenseRecord, 'v'>): LicenseRecord {
  const pending = fields.pendingDeactivations?.slice(-MAX_PENDING_DEACTIVATIONS)
  const record: Record<string, unknown> = {
    v: 1,
    ...fields,
    pendingDeactivations: pending?.length ? pending : undefined,
  }
  for (const name in record) if (record[name] === undefined) delete record[name]
  return record as unknown as LicenseRecord
}

/** The storage key (and lock / channel name) of the record for one endpoint and mode. */
export function recordKeyFor(endpoint: string, mode: LicenseMode): string {
  return `licensekit:${mode}:${endpoint}`
}

/** Checks of an object's fields; a field that is absent is checked as `undefined`. */
type FieldChecks = Readonly<Record<string, (value: unknown) => boolean>>

const optional =
  (check: (value: unknown) => boolean) =>
  (value: unknown): boolean =>
    value === undefined || check(value)
const nullable =
  (check: (value: unknown) => boolean) =>
  (value: unknown): boolean =>
    value === null || check(value)

/**
 * A copy of `value` with the fields `checks` names, in their order and without the undefined
 * ones; null when `value` is not a plain object, has another field or one that fails its check.
 */
function checkFields(value: unknown, checks: FieldChecks): Record<string, unknown> | null {
  if (!isPlainObject(value) || !Object.keys(value).every((name) => Object.hasOwn(checks, name))) {
    return null
  }
  const copy: Record<string, unknown> = {}
  for (const name in checks) {
    if (!checks[name]?.(value[name])) return null
    if (value[name] !== undefined) copy[name] = value[name]
  }
  return copy
}

export function isIsoTime(value: unknown): value is string {
  return typeof value === 'string' && Number.isFinite(Date.parse(value))
}

const isCount = optional((value) => Number.isSafeInteger(value) && (value as number) >= 0)

const LICENSE_CHECKS: FieldChecks = {
  key: (value) => typeof value === 'string' && value.length > 0 && value.length <= 64,
  status: (value) => typeof value === 'string' && value.length > 0,
  expiresAt: nullable(isIsoTime),
  activationsCount: isCount,
  activationsLimit: isCount,
  entitlements: optional((value) => parseEntitlements(value) !== null),
}

/** `LicenseInfo` when `value` is exactly one (as the proxy sends it), else null. */
export function parseLicenseInfo(value: unknown): LicenseInfo | null {
  const info = checkFields(value, LICENSE_CHECKS)
  if (info?.entitlements !== undefined) info.entitlements = parseEntitlements(info.entitlements)
  return info as LicenseInfo | null
}

function isReason(value: unknown): value is LicenseReason {
  return value === 'grace_expired' || value === 'tampered' || isLicenseErrorCode(value)
}

/** The pending deactivations in `value`: `{key}` entries in device mode, `{}` in installation mode. */
function parsePending(
  value: unknown,
  mode: LicenseMode,
  format: LicenseKeyFormat | undefined,
): PendingDeactivation[] | null {
  if (!Array.isArray(value) || value.length > MAX_PENDING_DEACTIVATIONS) return null
  const checks: FieldChecks = mode === 'device' ? { key: (key) => isLicenseKey(key, format) } : {}
  const entries = Array.from(value, (entry) => checkFields(entry, checks))
  return entries.includes(null) ? null : (entries as PendingDeactivation[])
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
  const fields = checkFields(value, {
    v: (version) => version === 1,
    key: optional((key) => mode === 'device' && isLicenseKey(key, format)),
    license: nullable((info) => parseLicenseInfo(info) !== null),
    checkedAt: nullable(isIsoTime),
    receivedAt: optional(Number.isFinite),
    lastActiveAt: nullable(isIsoTime),
    reason: nullable(isReason),
    receipt: optional((receipt) => typeof receipt === 'string'),
    pendingDeactivations: optional((entries) => parsePending(entries, mode, format) !== null),
    highWaterMark: Number.isFinite,
  })
  if (fields === null) return null
  // The license and the pending entries passed their checks: parsed again, they are copies.
  return createRecord({
    ...(fields as Omit<LicenseRecord, 'v'>),
    license: fields.license === null ? null : parseLicenseInfo(fields.license),
    pendingDeactivations: parsePending(fields.pendingDeactivations ?? [], mode, format) ?? [],
  })
}
