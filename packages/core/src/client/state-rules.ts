import type { CacheTrust } from './cache-trust.js'
import { graceEndsAt } from './grace.js'
import type { LicenseMode } from './options.js'
import type { LicenseRecord } from './record.js'
import type { LicenseReason, LicenseState } from './types.js'

/** A state without `isChecking`, which the client adds from its own requests. */
export type StateContent = Omit<LicenseState, 'isChecking'>

/** What to do after publishing the state read from the cache. */
export type CacheFollowUp = 'none' | 'when_due' | 'now'

export interface RuleContext {
  mode: LicenseMode
  graceDays: number
  now: number
}

/** A state with `license` and `checkedAt` from `record` (no license while unlicensed or loading). */
export function content(
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
    pendingDeactivations: pendingCount(record),
  }
}

/** How many deactivations `record` still owes the proxy. */
export function pendingCount(record: LicenseRecord | null): number {
  return record?.pendingDeactivations?.length ?? 0
}

/** True when there is something to ask the proxy about (a key in device mode; always in installation mode). */
export function canValidate(record: LicenseRecord | null, mode: LicenseMode): boolean {
  return mode === 'installation' || record?.key !== undefined
}

/** The state a record describes right after a definite answer (`source` `cache`: not confirmed yet). */
export function definiteState(
  record: LicenseRecord | null,
  source: 'cache' | 'server' = 'server',
): StateContent {
  if (record?.reason) return content('denied', record, source, record.reason)
  return content(record?.license ? 'active' : 'unlicensed', record, source)
}

/**
 * The state after the proxy refused to activate a key (`at`: device time of the answer); the
 * deactivations `record` still owes stay counted.
 */
export function refusedActivationState(
  reason: LicenseReason,
  at: number,
  record: LicenseRecord | null,
): StateContent {
  return {
    ...content('denied', null, 'server', reason),
    checkedAt: new Date(at).toISOString(),
    pendingDeactivations: pendingCount(record),
  }
}

/**
 * The state after another tab's hint, from the record re-read from storage. A `definite` hint
 * shows what that tab's answer committed, but a grant counts only when it passes the same trust
 * check as a record read at start; an `unreachable` hint shows the record as when this tab
 * cannot reach the proxy itself.
 */
export function stateFromHint(
  record: LicenseRecord | null,
  trust: CacheTrust,
  context: RuleContext,
  kind: 'definite' | 'unreachable',
): StateContent {
  const unreachable = kind === 'unreachable'
  const { state } = stateFromCache(record, trust, context, unreachable)
  // A definite hint shows the answer that tab committed, except a grant this tab's trust check
  // does not accept: that one stays as the cache rules give it.
  const unaccepted = record?.reason === null && record.license !== null && state.status !== 'active'
  return unreachable || unaccepted ? state : definiteState(record)
}

/**
 * The state a cached record gives, and whether to check with the server now or when due. At
 * start (`unreachable` false) a grant that cannot be used yet is `loading` until the server
 * answers; when the proxy cannot be reached (`unreachable` true) the cached grant counts within
 * grace, else the state is denied (`followUp` then does not matter). A record with an old-format
 * receipt stays `loading` either way: it is neither granted nor lost before the server answers.
 */
export function stateFromCache(
  record: LicenseRecord | null,
  trust: CacheTrust,
  context: RuleContext,
  unreachable: boolean,
): { state: StateContent; followUp: CacheFollowUp } {
  // Every state here has source `cache`, or `none` when there is no record.
  const source = record === null ? 'none' : 'cache'
  const result = (
    status: LicenseState['status'],
    followUp: CacheFollowUp,
    reason: LicenseState['reason'] = null,
    graceEnd: number | null = null,
  ) => ({ state: content(status, record, source, reason, graceEnd), followUp })
  // No key to check (device mode): nothing to follow up.
  if (!canValidate(record, context.mode)) return result('unlicensed', 'none')
  if (record !== null) {
    if (record.reason !== null || record.license === null) {
      return { state: definiteState(record, 'cache'), followUp: 'when_due' }
    }
    if (trust.kind === 'tampered') return result('denied', 'now', 'tampered')
    // An old-format receipt proves nothing this client can check: no grant, no grace, ask now.
    if (trust.kind === 'legacy') return result('loading', 'now')
    if (trust.kind === 'trusted') {
      const end = graceEndsAt(trust.activeSince, context.graceDays, record.license.expiresAt)
      if (context.now < end) {
        return unreachable
          ? result('grace', 'when_due', 'unreachable', end)
          : result('active', 'when_due')
      }
    }
  }
  // No record (installation mode), or a grant that cannot be used.
  return unreachable ? result('denied', 'now', 'grace_expired') : result('loading', 'now')
}

/**
 * Whether the server-rendered `initial` state stays over the cached one at start: always over
 * `loading`, and over a cached answer older than its own (a key revoked since it was cached).
 */
export function keepsInitialState(initial: LicenseState, cached: StateContent): boolean {
  if (initial.status === 'loading') return false
  if (cached.status === 'loading') return true
  // No time of its own (NaN) never wins; a cached state with no time always loses.
  const initialAt = Date.parse(initial.checkedAt ?? '')
  return (
    initialAt >
    (cached.checkedAt === null ? Number.NEGATIVE_INFINITY : Date.parse(cached.checkedAt))
  )
}
