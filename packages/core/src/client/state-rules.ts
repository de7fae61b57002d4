import type { CacheTrust } from './cache-trust.js'
import { graceEndsAt } from './grace.js'
import type { LicenseMode } from './options.js'
import type { LicenseRecord } from './record.js'
import type { LicenseState } from './types.js'

/** A state without `isChecking`, which the client adds from its own requests. */
export type StateContent = Omit<LicenseState, 'isChecking'>

/** What to do after publishing the state read from the cache. */
export type CacheFollowUp = 'none' | 'when_due' | 'now'

export interface RuleContext {
  mode: LicenseMode
  graceDays: number
  now: number
}

function content(
  status: LicenseState['status'],
  record: LicenseRecord | null,
  source: LicenseState['source'],
  reason: LicenseState['reason'] = null,
  graceEnd: number | null = null,
): StateContent {
  return {
    status,
    reason,
    license: status === 'unlicensed' || status === 'loading' ? null : (record?.license ?? null),
    source,
    checkedAt: record?.checkedAt ?? null,
    graceEndsAt: graceEnd === null ? null : new Date(graceEnd).toISOString(),
  }
}

/** True when there is something to ask the proxy about (a key in device mode; always in installation mode). */
export function canValidate(record: LicenseRecord | null, mode: LicenseMode): boolean {
  return mode === 'installation' || record?.key !== undefined
}

/** The state a record describes right after a definite answer from the server. */
export function definiteState(record: LicenseRecord | null): StateContent {
  if (record !== null && record.reason !== null) {
    return content('denied', record, 'server', record.reason)
  }
  if (record === null || record.license === null) return content('unlicensed', record, 'server')
  return content('active', record, 'server')
}

/** The state read from the cache at start, and whether to check with the server now or when due. */
export function cachedState(
  record: LicenseRecord | null,
  trust: CacheTrust,
  context: RuleContext,
): { state: StateContent; followUp: CacheFollowUp } {
  if (record === null) {
    return context.mode === 'device'
      ? { state: content('unlicensed', null, 'none'), followUp: 'none' }
      : { state: content('loading', null, 'none'), followUp: 'now' }
  }
  if (!canValidate(record, context.mode)) {
    return { state: content('unlicensed', record, 'cache'), followUp: 'none' }
  }
  if (record.reason !== null) {
    return { state: content('denied', record, 'cache', record.reason), followUp: 'when_due' }
  }
  if (record.license === null) {
    return { state: content('unlicensed', record, 'cache'), followUp: 'when_due' }
  }
  if (trust.kind === 'tampered') {
    return { state: content('denied', record, 'cache', 'tampered'), followUp: 'now' }
  }
  if (
    trust.kind === 'trusted' &&
    context.now < graceEndsAt(trust.activeSince, context.graceDays, record.license.expiresAt)
  ) {
    return { state: content('active', record, 'cache'), followUp: 'when_due' }
  }
  return { state: content('loading', record, 'cache'), followUp: 'now' }
}

/** The state when the proxy cannot be reached: the cached grant within grace, else denied. */
export function unreachableState(
  record: LicenseRecord | null,
  trust: CacheTrust,
  context: RuleContext,
): StateContent {
  if (record === null) {
    return context.mode === 'device'
      ? content('unlicensed', null, 'none')
      : content('denied', null, 'none', 'grace_expired')
  }
  if (!canValidate(record, context.mode)) return content('unlicensed', record, 'cache')
  if (record.reason !== null) return content('denied', record, 'cache', record.reason)
  if (record.license === null) return content('unlicensed', record, 'cache')
  if (trust.kind === 'tampered') return content('denied', record, 'cache', 'tampered')
  if (trust.kind === 'trusted') {
    const end = graceEndsAt(trust.activeSince, context.graceDays, record.license.expiresAt)
    if (context.now < end) return content('grace', record, 'cache', 'unreachable', end)
  }
  return content('denied', record, 'cache', 'grace_expired')
}
