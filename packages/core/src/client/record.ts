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

/**
 * A field's check: `true` keeps the value as it is, an object is the value parsed (a copy of a
 * nested object or list), and `false` or `null` refuses it. A field that is absent is checked
 * as `undefined`.
 */
type FieldCheck = (value: unknown) => boolean | object | null
type FieldChecks = Readonly<Record<string, FieldCheck>>

const optional =
  (check: FieldCheck): FieldCheck =>
  (value) =>
    value === undefined || check(value)
const nullable =
  (check: FieldCheck): FieldCheck =>
  (value) =>
    value === null || check(value)

/**
 * A copy of `value` with the fields `checks` names, in their order, as their checks parsed them
 * and without the undefined ones; null when `value` is not a plain object, has another field
 * or one that fails its check.
 */
function checkFields(value: unknown, checks: FieldChecks): Record<string, unknown> | null {
  if (!isPlainObject(value) || !Object.keys(value).every((name) => Object.hasOwn(checks, name))) {
    return null
  }
  const copy: Record<string, unknown> = {}
  for (const name in checks) {
    const parsed = checks[name]?.(value[name])
    if (!parsed) return null
    if (value[name] !== undefined) copy[name] = parsed === true ? value[name] : parsed
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
  entitlements: optional(parseEntitlements),
}

/** `LicenseInfo` when `value` is exactly one (as the proxy sends it), else null. */
export function parseLicenseInfo(value: unknown): LicenseInfo | null {
  return checkFields(value, LICENSE_CHECKS) as LicenseInfo | null
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
    license: nullable(parseLicenseInfo),
    checkedAt: nullable(isIsoTime),
    receivedAt: optional(Number.isFinite),
    lastActiveAt: nullable(isIsoTime),
    reason: nullable(isReason),
    receipt: optional((receipt) => typeof receipt === 'string'),
    pendingDeactivations: optional((entries) => parsePending(entries, mode, format)),
    highWaterMark: Number.isFinite,
  })
  // The license and the pending entries are the copies their checks parsed.
  return fields === null ? null : createRecord(fields as Omit<LicenseRecord, 'v'>)
}
