import { isLicenseErrorCode, type LicenseErrorCode } from '../errors/codes.js'
import { LicenseError } from '../errors/license-error.js'
import type { ProxySuccess } from '../protocol.js'
import type { LicenseMode } from './options.js'
import { createRecord, type LicenseRecord, type PendingDeactivation } from './record.js'
import type { ProxyOutcome } from './transport.js'
import type { DeactivationOutcome } from './types.js'

/** The reason a license status that is not `active` denies: its code, or `invalid_response`. */
export function statusReason(status: string): LicenseErrorCode {
  return isLicenseErrorCode(status) ? status : 'invalid_response'
}

export function hasPending(record: LicenseRecord | null): boolean {
  return record?.pendingDeactivations !== undefined
}

export interface SuccessContext {
  /** Device time (ms) the answer arrived. */
  at: number
  mode: LicenseMode
  /** The key that was checked (device mode). */
  key: string | undefined
  pending: readonly PendingDeactivation[] | undefined
}

/** The record after a success; the high-water mark restarts from server time, now confirmed. */
export function afterSuccess(answer: ProxySuccess, context: SuccessContext): LicenseRecord {
  const { license, checkedAt, token: receipt } = answer
  const active = license?.status === 'active'
  return createRecord({
    key: context.mode === 'device' ? context.key : undefined,
    license,
    checkedAt,
    receivedAt: context.at,
    lastActiveAt: active ? checkedAt : null,
    reason: license === null || active ? null : statusReason(license.status),
    receipt: active ? receipt : undefined,
    pendingDeactivations: context.pending,
    highWaterMark: Math.max(context.at, Date.parse(checkedAt)),
  })
}

/** The record after a definite answer to `validate` (a success or a refusal) about `previous`. */
export function afterAnswer(
  outcome: Exclude<ProxyOutcome, { kind: 'unreachable' }>,
  previous: LicenseRecord | null,
  context: Omit<SuccessContext, 'pending'>,
): LicenseRecord {
  if (outcome.kind === 'failure') return afterRefusal(previous, outcome.error.code, context.at)
  return afterSuccess(outcome.answer, { ...context, pending: previous?.pendingDeactivations })
}

/** Why an `activate` that did not end `active` failed: the proxy's error, or the status it gave. */
export function activationError(outcome: ProxyOutcome): LicenseError {
  if (outcome.kind !== 'success') return outcome.error
  const status = outcome.answer.license?.status ?? 'invalid_response'
  return new LicenseError(statusReason(status), 'The proxy did not activate the license')
}

/**
 * The record after a definite refusal: the grant (and its receipt) is gone; the key, the license
 * and the deactivations still owed stay.
 */
export function afterRefusal(
  previous: LicenseRecord | null,
  code: LicenseErrorCode,
  at: number,
): LicenseRecord {
  return createRecord({
    ...previous,
    license: previous?.license ?? null,
    checkedAt: new Date(at).toISOString(),
    receivedAt: at,
    lastActiveAt: null,
    reason: code,
    receipt: undefined,
    highWaterMark: at,
  })
}

/**
 * The deactivations owed once `key` is activated: its own entry is void (it is held again),
 * and a different key the record held before is owed (switching keys releases its slot).
 */
export function pendingAfterActivation(
  record: LicenseRecord | null,
  key: string,
  mode: LicenseMode,
): readonly PendingDeactivation[] {
  if (mode === 'installation') return []
  const owed = (record?.pendingDeactivations ?? []).filter((entry) => entry.key !== key)
  const previous = record?.key
  if (previous === undefined || previous === key || owed.some((entry) => entry.key === previous)) {
    return owed
  }
  return [...owed, { key: previous }]
}

/**
 * The record after deactivating: no license, only the deactivations still owed, `unsent` added
 * when the proxy could not be reached. Null when nothing is owed.
 */
export function afterDeactivation(
  current: LicenseRecord | null,
  previous: LicenseRecord | null,
  unsent: PendingDeactivation | null,
  at: number,
): LicenseRecord | null {
  const pending = [...(current?.pendingDeactivations ?? [])]
  if (unsent !== null && !pending.some((entry) => entry.key === unsent.key)) pending.push(unsent)
  if (pending.length === 0) return null
  return createRecord({
    license: null,
    checkedAt: previous?.checkedAt ?? null,
    lastActiveAt: null,
    reason: null,
    pendingDeactivations: pending,
    highWaterMark: Math.max(previous?.highWaterMark ?? 0, at),
  })
}

/** What a deactivation of the record's slot sends: its key in device mode, nothing in installation mode. */
export function deactivationEntry(
  record: LicenseRecord | null,
  mode: LicenseMode,
): PendingDeactivation {
  return mode === 'device' && record?.key !== undefined ? { key: record.key } : {}
}

/**
 * What a deactivation answer (one that did not reject) did with the slot: unreachable queues
 * it, a refusal means the license API held none, a success freed it.
 */
export function deactivationOutcome(outcome: ProxyOutcome): DeactivationOutcome {
  if (outcome.kind === 'unreachable') return 'queued'
  return outcome.kind === 'failure' ? 'not_held' : 'freed'
}

/** The record once `settled` deactivations went through; null when nothing is left in it. */
export function afterSettled(
  record: LicenseRecord,
  settled: readonly PendingDeactivation[],
): LicenseRecord | null {
  const remaining = record.pendingDeactivations?.filter(
    (entry) => !settled.some((done) => done.key === entry.key),
  )
  const next = createRecord({ ...record, pendingDeactivations: remaining })
  return next.license === null && next.key === undefined && !hasPending(next) ? null : next
}
