import { isLicenseErrorCode, type LicenseErrorCode } from '../errors/codes.js'
import { LicenseError } from '../errors/license-error.js'
import { normalizeLicenseKey } from '../keys/license-key.js'
import type { LicenseAction, ProxyRequestBody, ProxySuccess } from '../protocol.js'
import { assessCacheTrust } from './cache-trust.js'
import { defaultChannel, defaultLocks, TabCoordinator } from './coordinator.js'
import { DueTimer } from './due-timer.js'
import { FallbackStorage } from './fallback-storage.js'
import { windowOnline } from './online.js'
import { type LicenseClientOptions, resolveOptions } from './options.js'
import {
  createRecord,
  type LicenseRecord,
  type PendingDeactivation,
  parseLicenseRecord,
  recordKeyFor,
} from './record.js'
import { backoffDelay, heartbeatDelay } from './schedule.js'
import { LOADING_STATE, SnapshotStore } from './snapshot-store.js'
import {
  canValidate,
  content,
  definiteState,
  type RuleContext,
  type StateContent,
  stateFromCache,
} from './state-rules.js'
import { createProxyTransport, type ProxyOutcome } from './transport.js'
import { isLicensed, type LicenseClient, type LicenseState } from './types.js'
import { documentVisibility } from './visibility.js'

/** Least time between two checks started because the page became visible. */
export const VISIBILITY_THROTTLE_MS = 60_000

/** Deactivation refusals that mean the slot is not held (any more): the cache is cleared anyway. */
const SLOT_NOT_HELD: ReadonlySet<LicenseErrorCode> = new Set([
  'not_found',
  'not_activated',
  'expired',
  'suspended',
  'revoked',
])

/** What one tab tells the others after it changed the shared record or met an unreachable proxy. */
interface TabMessage {
  licensekit: 1
  kind: 'definite' | 'unreachable'
  record: LicenseRecord | null
}

function isTabMessage(value: unknown): value is TabMessage {
  if (typeof value !== 'object' || value === null) return false
  const message = value as Record<string, unknown>
  return (
    message.licensekit === 1 &&
    (message.kind === 'definite' || message.kind === 'unreachable') &&
    'record' in message
  )
}

function statusReason(status: string): LicenseErrorCode {
  return isLicenseErrorCode(status) ? status : 'invalid_response'
}

function hasPending(record: LicenseRecord | null): boolean {
  return record?.pendingDeactivations !== undefined
}

interface Session {
  timer: DueTimer
  coordinator: TabCoordinator
  unsubscribeOnline: () => void
}

/**
 * Creates the browser license client for one proxy endpoint. Throws `LicenseError('invalid_config')`
 * for an option out of range. Call `start()` to read the cache and begin the heartbeat.
 */
export function createLicenseClient(input: LicenseClientOptions): LicenseClient {
  const options = resolveOptions(input)
  const { mode, now, onError } = options
  const device = mode === 'device'
  const storage = new FallbackStorage(options.storage, onError)
  const store = new SnapshotStore()
  const send = createProxyTransport(options)
  const recordKey = recordKeyFor(options.endpoint, mode)
  const visibility = options.visibility ?? documentVisibility()
  const online = options.online ?? windowOnline()
  let record: LicenseRecord | null = null
  let recordVersion = 0
  let loaded: Promise<void> | null = null
  let session: Session | null = null
  /** Bumped whenever the key or record changes under a running validation, whose answer is then dropped. */
  let epoch = 0
  let inFlight = 0
  let validation: Promise<LicenseState> | null = null
  let flush: Promise<void> | null = null
  let failures = 0
  let retryAfter: number | undefined
  let lastAttemptAt = 0

  const getSnapshot = (): LicenseState => store.get()

  const ensureLoaded = (): Promise<void> => (loaded ??= load())

  const setRecord = (next: LicenseRecord | null): void => {
    record = next
    recordVersion++
  }

  const load = async (): Promise<void> => {
    const version = recordVersion
    const raw = await storage.get(recordKey)
    if (version !== recordVersion) return
    const parsed = raw == null ? null : parseLicenseRecord(raw, mode)
    if (parsed === null && raw != null) {
      onError(
        new LicenseError('invalid_payload', 'Ignored a stored license record that is not valid'),
      )
    }
    setRecord(parsed)
  }

  const publish = (state: StateContent): void => {
    store.set({ ...state, isChecking: inFlight > 0 })
  }

  const syncChecking = (): void => {
    store.update({ isChecking: inFlight > 0 })
  }

  /** Publishes `state`, schedules the next check and returns the new snapshot. */
  const settle = (state: StateContent): LicenseState => {
    publish(state)
    scheduleNext()
    return getSnapshot()
  }

  /** The state of `from` read from the cache (at start, or when the proxy cannot be reached). */
  const fromCache = async (from: LicenseRecord | null, unreachable: boolean, at: number) => {
    const trust = await assessCacheTrust(from, {
      mode,
      receiptPublicKey: options.receiptPublicKey,
      domain: options.domain,
      now: at,
    })
    return stateFromCache(from, trust, context(at), unreachable)
  }

  const context = (at: number): RuleContext => ({ mode, graceDays: options.graceDays, now: at })

  /**
   * Raises the stored clock high-water mark to the device's own time `at`, so setting the clock
   * back later (past the 5-minute tolerance) cannot make an old grant look young again.
   */
  const raiseMark = async (from: LicenseRecord | null, at: number): Promise<void> => {
    if (from === null || record !== from || at <= from.highWaterMark) return
    const next = createRecord({ ...from, highWaterMark: at })
    setRecord(next)
    await storage.set(recordKey, next)
  }

  const publishCache = async (current: Session): Promise<void> => {
    const cached = record
    const at = now()
    const { state, followUp } = await fromCache(cached, false, at)
    if (session !== current || record !== cached) return
    publish(state)
    void raiseMark(cached, at)
    if (hasPending(cached) && current.coordinator.isLeader) {
      void refresh()
      return
    }
    if (followUp === 'now') {
      // A hidden tab (ten restored background tabs) waits until it is shown.
      if (visibility.isVisible()) void refresh()
      else current.timer.schedule(at)
      return
    }
    scheduleNext()
    const dueAt = current.timer.dueAt
    if (followUp === 'when_due' && dueAt !== null && dueAt <= at && visibility.isVisible()) {
      void refresh()
    }
  }

  const onLeadershipChange = (current: Session, leader: boolean): void => {
    current.timer.setArmed(leader)
    if (!leader) return
    void ensureLoaded().then(() => {
      if (session !== current) return
      if (hasPending(record)) void refresh()
      else scheduleNext()
    })
  }

  const onOnline = (): void => {
    if (session === null || !session.coordinator.isLeader) return
    if (getSnapshot().status === 'grace' || failures > 0 || hasPending(record)) void refresh()
  }

  const validate = async (): Promise<LicenseState> => {
    await ensureLoaded()
    if (hasPending(record)) {
      await flushPending()
      if (!device && record?.pendingDeactivations) {
        return settle({ ...definiteState(record), source: 'cache' })
      }
    }
    const previous = record
    if (!canValidate(previous, mode)) return settle(stateWithoutKey())
    const started = epoch
    const outcome = await request(
      'validate',
      device && previous?.key !== undefined ? { key: previous.key } : {},
    )
    if (started !== epoch) {
      syncChecking()
      return getSnapshot()
    }
    const at = now()
    if (outcome.kind === 'unreachable') {
      noteUnreachable(outcome.error)
      publish((await fromCache(previous, true, at)).state)
      void raiseMark(previous, at)
      session?.coordinator.broadcast({
        licensekit: 1,
        kind: 'unreachable',
        record: previous,
      } satisfies TabMessage)
    } else {
      failures = 0
      const next =
        outcome.kind === 'success'
          ? successRecord(outcome.answer, at, previous?.key, previous?.pendingDeactivations ?? [])
          : failureRecord(previous, outcome.error.code, at)
      await commit(next, 'definite')
      publish(definiteState(next))
    }
    scheduleNext()
    return getSnapshot()
  }

  /** The state while there is no key to check (device mode): `unlicensed`. */
  const stateWithoutKey = (): StateContent =>
    stateFromCache(record, { kind: 'none' }, context(now()), false).state

  /** The record after a success; the high-water mark restarts from server time, now confirmed. */
  const successRecord = (
    answer: ProxySuccess,
    at: number,
    key: string | undefined,
    pending: readonly PendingDeactivation[],
  ): LicenseRecord => {
    const { license, checkedAt, token: receipt } = answer
    const active = license !== null && license.status === 'active'
    return createRecord({
      key: device ? key : undefined,
      license,
      checkedAt,
      receivedAt: at,
      lastActiveAt: active ? checkedAt : null,
      reason: license === null || active ? null : statusReason(license.status),
      receipt: active ? receipt : undefined,
      pendingDeactivations: pending,
      highWaterMark: Math.max(at, Date.parse(checkedAt)),
    })
  }

  /** The record after a definite refusal: the grant (and its receipt) is gone. */
  const failureRecord = (
    previous: LicenseRecord | null,
    code: LicenseErrorCode,
    at: number,
  ): LicenseRecord =>
    createRecord({
      key: previous?.key,
      license: previous?.license ?? null,
      checkedAt: new Date(at).toISOString(),
      receivedAt: at,
      lastActiveAt: null,
      reason: code,
      pendingDeactivations: previous?.pendingDeactivations,
      highWaterMark: at,
    })

  const flushPending = (): Promise<void> =>
    (flush ??= sendPending().finally(() => {
      flush = null
    }))

  const sendPending = async (): Promise<void> => {
    const settled: PendingDeactivation[] = []
    for (const entry of record?.pendingDeactivations ?? []) {
      const outcome = await request('deactivate', entry)
      if (outcome.kind === 'unreachable') {
        noteUnreachable(outcome.error)
        break
      }
      failures = 0
      if (outcome.kind === 'failure' && !SLOT_NOT_HELD.has(outcome.error.code)) {
        onError(outcome.error)
      }
      settled.push(entry)
    }
    syncChecking()
    const current = record
    if (settled.length === 0 || current === null) return
    const remaining = (current.pendingDeactivations ?? []).filter(
      (entry) => !settled.some((done) => done.key === entry.key),
    )
    const next = createRecord({ ...current, pendingDeactivations: remaining })
    const empty = next.license === null && next.key === undefined && remaining.length === 0
    await commit(empty ? null : next, 'definite')
  }

  const request = async (action: LicenseAction, body: ProxyRequestBody): Promise<ProxyOutcome> => {
    inFlight++
    lastAttemptAt = now()
    syncChecking()
    try {
      return await send(action, body)
    } finally {
      inFlight--
    }
  }

  const noteUnreachable = (error: LicenseError): void => {
    failures++
    retryAfter = error.retryAfter
  }

  const commit = async (next: LicenseRecord | null, kind: TabMessage['kind']): Promise<void> => {
    setRecord(next)
    if (next === null) await storage.del(recordKey)
    else await storage.set(recordKey, next)
    session?.coordinator.broadcast({ licensekit: 1, kind, record: next } satisfies TabMessage)
  }

  const adopt = async (data: unknown): Promise<void> => {
    if (!isTabMessage(data)) return
    const next = data.record === null ? null : parseLicenseRecord(data.record, mode)
    if (data.record !== null && next === null) return
    epoch++
    setRecord(next)
    if (data.kind === 'definite') {
      failures = 0
      publish(definiteState(next))
    } else {
      failures = Math.max(failures, 1)
      const { state } = await fromCache(next, true, now())
      if (record !== next) return
      publish(state)
    }
    scheduleNext()
  }

  const scheduleNext = (): void => {
    if (session === null) return
    const current = record
    const pending = hasPending(current)
    if (!canValidate(current, mode) && !pending) {
      session.timer.schedule(null)
      return
    }
    const { random } = options
    const at = now()
    let dueAt: number
    if (failures > 0) {
      dueAt = lastAttemptAt + backoffDelay(failures, retryAfter, random)
    } else if (pending || current?.checkedAt == null) {
      dueAt = at
    } else {
      const age = Math.max(0, at - (current.receivedAt ?? Date.parse(current.checkedAt)))
      dueAt = at + heartbeatDelay(options.heartbeatIntervalMs, age, random)
    }
    const graceEndsAt = getSnapshot().graceEndsAt
    if (graceEndsAt !== null) dueAt = Math.min(dueAt, Date.parse(graceEndsAt))
    session.timer.schedule(dueAt)
  }

  const refresh = (): Promise<LicenseState> =>
    (validation ??= validate().finally(() => {
      validation = null
    }))

  return {
    getSnapshot,
    getServerSnapshot: () => LOADING_STATE,
    subscribe: (listener) => store.subscribe(listener),
    start() {
      if (session !== null) return
      const timer = new DueTimer({
        now,
        visibility,
        throttleMs: VISIBILITY_THROTTLE_MS,
        onDue: () => {
          void refresh()
        },
      })
      const coordinator = new TabCoordinator({
        name: recordKey,
        locks: options.locks === undefined ? defaultLocks() : options.locks,
        channel: options.channel === undefined ? defaultChannel() : options.channel,
        onLeadershipChange: (leader) => onLeadershipChange(current, leader),
        onMessage: (data) => {
          void adopt(data)
        },
        onError,
      })
      const unsubscribeOnline = online.subscribe(onOnline)
      const current: Session = { timer, coordinator, unsubscribeOnline }
      session = current
      timer.start()
      loaded = load()
      void loaded.then(() => publishCache(current))
      coordinator.start()
    },
    stop() {
      const current = session
      if (current === null) return
      session = null
      current.timer.stop()
      current.coordinator.stop()
      current.unsubscribeOnline()
    },
    refresh,
    async activate(keyInput) {
      const key = normalizeLicenseKey(keyInput)
      await ensureLoaded()
      const outcome = await request('activate', { key })
      const at = now()
      if (outcome.kind === 'success' && outcome.answer.license?.status === 'active') {
        epoch++
        failures = 0
        const pending = device
          ? (record?.pendingDeactivations ?? []).filter((entry) => entry.key !== key)
          : []
        const next = successRecord(outcome.answer, at, key, pending)
        await commit(next, 'definite')
        return settle(definiteState(next))
      }
      const error =
        outcome.kind === 'success'
          ? new LicenseError(
              statusReason(outcome.answer.license?.status ?? 'invalid_response'),
              'The proxy did not activate the license',
            )
          : outcome.error
      if (outcome.kind !== 'unreachable' && !isLicensed(getSnapshot())) {
        publish({
          ...content('denied', null, 'server', error.code),
          checkedAt: new Date(at).toISOString(),
        })
      } else {
        syncChecking()
      }
      throw error
    },
    async deactivate() {
      await ensureLoaded()
      const previous = record
      if (!canValidate(previous, mode)) {
        if (hasPending(previous)) await flushPending()
        publish(stateWithoutKey())
        return getSnapshot()
      }
      const key = device ? previous?.key : undefined
      const entry: PendingDeactivation = key === undefined ? {} : { key }
      const outcome = await request('deactivate', entry)
      if (outcome.kind === 'failure' && !SLOT_NOT_HELD.has(outcome.error.code)) {
        syncChecking()
        throw outcome.error
      }
      epoch++
      const at = now()
      const pending = [...(record?.pendingDeactivations ?? [])]
      const unreachable = outcome.kind === 'unreachable'
      if (unreachable) {
        noteUnreachable(outcome.error)
        if (!pending.some((other) => other.key === entry.key)) pending.push(entry)
      } else {
        failures = 0
      }
      const next: LicenseRecord | null =
        pending.length === 0
          ? null
          : createRecord({
              license: null,
              checkedAt: previous?.checkedAt ?? null,
              lastActiveAt: null,
              reason: null,
              pendingDeactivations: pending,
              highWaterMark: Math.max(previous?.highWaterMark ?? 0, at),
            })
      await commit(next, 'definite')
      return settle({ ...definiteState(next), source: unreachable ? 'cache' : 'server' })
    },
  }
}
