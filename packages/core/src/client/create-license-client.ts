import { isLicenseErrorCode, type LicenseErrorCode } from '../errors/codes.js'
import { LicenseError } from '../errors/license-error.js'
import { normalizeLicenseKey } from '../keys/license-key.js'
import type { LicenseAction, ProxyRequestBody, ProxySuccess } from '../protocol.js'
import { assessCacheTrust, type CacheTrust } from './cache-trust.js'
import { defaultChannel, defaultLocks, TabCoordinator } from './coordinator.js'
import { DueTimer } from './due-timer.js'
import { FallbackStorage } from './fallback-storage.js'
import { type OnlineSource, windowOnline } from './online.js'
import { type LicenseClientOptions, type ResolvedOptions, resolveOptions } from './options.js'
import {
  type LicenseRecord,
  type PendingDeactivation,
  parseLicenseRecord,
  recordKeyFor,
} from './record.js'
import { backoffDelay, heartbeatDelay } from './schedule.js'
import { LOADING_STATE, SnapshotStore } from './snapshot-store.js'
import {
  cachedState,
  canValidate,
  definiteState,
  type RuleContext,
  type StateContent,
  unreachableState,
} from './state-rules.js'
import { createProxyTransport, type ProxyOutcome, type ProxyTransport } from './transport.js'
import { isLicensed, type LicenseClient, type LicenseState } from './types.js'
import { documentVisibility, type VisibilitySource } from './visibility.js'

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

interface Session {
  timer: DueTimer
  coordinator: TabCoordinator
  unsubscribeOnline: () => void
}

class BrowserLicenseClient implements LicenseClient {
  readonly #options: ResolvedOptions
  readonly #storage: FallbackStorage
  readonly #store = new SnapshotStore()
  readonly #send: ProxyTransport
  readonly #recordKey: string
  readonly #visibility: VisibilitySource
  readonly #online: OnlineSource
  #record: LicenseRecord | null = null
  #recordVersion = 0
  #loaded: Promise<void> | null = null
  #session: Session | null = null
  /** Bumped whenever the key or record changes under a running validation, whose answer is then dropped. */
  #epoch = 0
  #inFlight = 0
  #validation: Promise<LicenseState> | null = null
  #flush: Promise<void> | null = null
  #failures = 0
  #retryAfter: number | undefined
  #lastAttemptAt = 0

  constructor(options: ResolvedOptions) {
    this.#options = options
    this.#storage = new FallbackStorage(options.storage, options.onError)
    this.#send = createProxyTransport(options)
    this.#recordKey = recordKeyFor(options.endpoint, options.mode)
    this.#visibility = options.visibility ?? documentVisibility()
    this.#online = options.online ?? windowOnline()
  }

  readonly getSnapshot = (): LicenseState => this.#store.get()

  readonly getServerSnapshot = (): LicenseState => LOADING_STATE

  readonly subscribe = (listener: () => void): (() => void) => this.#store.subscribe(listener)

  readonly start = (): void => {
    if (this.#session !== null) return
    const options = this.#options
    const timer = new DueTimer({
      now: options.now,
      visibility: this.#visibility,
      throttleMs: VISIBILITY_THROTTLE_MS,
      onDue: () => {
        void this.refresh()
      },
    })
    const coordinator = new TabCoordinator({
      name: this.#recordKey,
      locks: options.locks === undefined ? defaultLocks() : options.locks,
      channel: options.channel === undefined ? defaultChannel() : options.channel,
      onLeadershipChange: (leader) => this.#onLeadershipChange(session, leader),
      onMessage: (data) => {
        void this.#adopt(data)
      },
      onError: options.onError,
    })
    const unsubscribeOnline = this.#online.subscribe(() => this.#onOnline())
    const session: Session = { timer, coordinator, unsubscribeOnline }
    this.#session = session
    timer.start()
    this.#loaded = this.#load()
    void this.#loaded.then(() => this.#publishCache(session))
    coordinator.start()
  }

  readonly stop = (): void => {
    const session = this.#session
    if (session === null) return
    this.#session = null
    session.timer.stop()
    session.coordinator.stop()
    session.unsubscribeOnline()
  }

  readonly refresh = (): Promise<LicenseState> => {
    this.#validation ??= this.#validate().finally(() => {
      this.#validation = null
    })
    return this.#validation
  }

  readonly activate = async (input: string): Promise<LicenseState> => {
    const key = normalizeLicenseKey(input)
    await this.#ensureLoaded()
    const outcome = await this.#request('activate', { key })
    const now = this.#options.now()
    if (outcome.kind === 'success' && outcome.answer.license?.status === 'active') {
      this.#epoch++
      this.#failures = 0
      const current = this.#record
      const pending =
        this.#options.mode === 'device'
          ? (current?.pendingDeactivations ?? []).filter((entry) => entry.key !== key)
          : []
      const record = this.#successRecord(outcome.answer, now, key, pending)
      await this.#commit(record, 'definite')
      this.#publish(definiteState(record))
      this.#scheduleNext()
      return this.getSnapshot()
    }
    const error =
      outcome.kind === 'success'
        ? new LicenseError(
            statusReason(outcome.answer.license?.status ?? 'invalid_response'),
            'The proxy did not activate the license',
          )
        : outcome.error
    if (outcome.kind !== 'unreachable' && !isLicensed(this.getSnapshot())) {
      this.#publish({
        status: 'denied',
        reason: error.code,
        license: null,
        source: 'server',
        checkedAt: new Date(now).toISOString(),
        graceEndsAt: null,
      })
    } else {
      this.#syncChecking()
    }
    throw error
  }

  readonly deactivate = async (): Promise<LicenseState> => {
    await this.#ensureLoaded()
    const previous = this.#record
    const device = this.#options.mode === 'device'
    if (!canValidate(previous, this.#options.mode)) {
      if (previous?.pendingDeactivations !== undefined) await this.#flushPending()
      this.#publish(this.#stateWithoutKey())
      return this.getSnapshot()
    }
    const key = device ? previous?.key : undefined
    const entry: PendingDeactivation = key === undefined ? {} : { key }
    const outcome = await this.#request('deactivate', entry)
    if (outcome.kind === 'failure' && !SLOT_NOT_HELD.has(outcome.error.code)) {
      this.#syncChecking()
      throw outcome.error
    }
    this.#epoch++
    const now = this.#options.now()
    const pending = [...(this.#record?.pendingDeactivations ?? [])]
    if (outcome.kind === 'unreachable') {
      this.#noteUnreachable(outcome.error)
      if (!pending.some((other) => other.key === entry.key)) pending.push(entry)
    } else {
      this.#failures = 0
    }
    const record: LicenseRecord | null =
      pending.length === 0
        ? null
        : {
            v: 1,
            license: null,
            checkedAt: previous?.checkedAt ?? null,
            lastActiveAt: null,
            reason: null,
            pendingDeactivations: pending,
            highWaterMark: Math.max(previous?.highWaterMark ?? 0, now),
          }
    await this.#commit(record, 'definite')
    this.#publish({
      ...definiteState(record),
      source: outcome.kind === 'unreachable' ? 'cache' : 'server',
    })
    this.#scheduleNext()
    return this.getSnapshot()
  }

  #ensureLoaded(): Promise<void> {
    this.#loaded ??= this.#load()
    return this.#loaded
  }

  async #load(): Promise<void> {
    const version = this.#recordVersion
    const raw = await this.#storage.get(this.#recordKey)
    if (version !== this.#recordVersion) return
    const record =
      raw === undefined || raw === null ? null : parseLicenseRecord(raw, this.#options.mode)
    if (record === null && raw !== undefined && raw !== null) {
      this.#options.onError(
        new LicenseError('invalid_payload', 'Ignored a stored license record that is not valid'),
      )
    }
    this.#setRecord(record)
  }

  #setRecord(record: LicenseRecord | null): void {
    this.#record = record
    this.#recordVersion++
  }

  /** The state while there is no key to check (device mode): `unlicensed`. */
  #stateWithoutKey(): StateContent {
    const now = this.#options.now()
    return cachedState(this.#record, { kind: 'none' }, this.#ruleContext(now)).state
  }

  #ruleContext(now: number): RuleContext {
    return { mode: this.#options.mode, graceDays: this.#options.graceDays, now }
  }

  #trust(record: LicenseRecord | null, now: number): Promise<CacheTrust> {
    return assessCacheTrust(record, {
      mode: this.#options.mode,
      receiptPublicKey: this.#options.receiptPublicKey,
      domain: this.#options.domain,
      now,
    })
  }

  async #publishCache(session: Session): Promise<void> {
    const record = this.#record
    const now = this.#options.now()
    const trust = await this.#trust(record, now)
    if (this.#session !== session || this.#record !== record) return
    const { state, followUp } = cachedState(record, trust, this.#ruleContext(now))
    this.#publish(state)
    const hasPending = record?.pendingDeactivations !== undefined
    if (hasPending && session.coordinator.isLeader) {
      void this.refresh()
      return
    }
    if (followUp === 'now') {
      // A hidden tab (ten restored background tabs) waits until it is shown.
      if (this.#visibility.isVisible()) void this.refresh()
      else session.timer.schedule(now)
      return
    }
    this.#scheduleNext()
    const dueAt = session.timer.dueAt
    if (followUp === 'when_due' && dueAt !== null && dueAt <= now && this.#visibility.isVisible()) {
      void this.refresh()
    }
  }

  #onLeadershipChange(session: Session, leader: boolean): void {
    session.timer.setArmed(leader)
    if (!leader) return
    void this.#ensureLoaded().then(() => {
      if (this.#session !== session) return
      if (this.#record?.pendingDeactivations !== undefined) void this.refresh()
      else this.#scheduleNext()
    })
  }

  #onOnline(): void {
    const session = this.#session
    if (session === null || !session.coordinator.isLeader) return
    const inGrace = this.getSnapshot().status === 'grace'
    if (inGrace || this.#failures > 0 || this.#record?.pendingDeactivations !== undefined) {
      void this.refresh()
    }
  }

  async #validate(): Promise<LicenseState> {
    await this.#ensureLoaded()
    if (this.#record?.pendingDeactivations !== undefined) {
      await this.#flushPending()
      if (this.#options.mode === 'installation' && this.#record?.pendingDeactivations) {
        this.#publish({ ...definiteState(this.#record), source: 'cache' })
        this.#scheduleNext()
        return this.getSnapshot()
      }
    }
    const record = this.#record
    if (!canValidate(record, this.#options.mode)) {
      this.#publish(this.#stateWithoutKey())
      this.#scheduleNext()
      return this.getSnapshot()
    }
    const epoch = this.#epoch
    const outcome = await this.#request('validate', this.#bodyFor(record))
    if (epoch !== this.#epoch) {
      this.#syncChecking()
      return this.getSnapshot()
    }
    await this.#applyValidation(record, outcome)
    this.#scheduleNext()
    return this.getSnapshot()
  }

  async #applyValidation(previous: LicenseRecord | null, outcome: ProxyOutcome): Promise<void> {
    const now = this.#options.now()
    if (outcome.kind === 'unreachable') {
      this.#noteUnreachable(outcome.error)
      const trust = await this.#trust(previous, now)
      this.#publish(unreachableState(previous, trust, this.#ruleContext(now)))
      this.#session?.coordinator.broadcast({
        licensekit: 1,
        kind: 'unreachable',
        record: previous,
      } satisfies TabMessage)
      return
    }
    this.#failures = 0
    const record =
      outcome.kind === 'success'
        ? this.#successRecord(
            outcome.answer,
            now,
            previous?.key,
            previous?.pendingDeactivations ?? [],
          )
        : this.#failureRecord(previous, outcome.error.code, now)
    await this.#commit(record, 'definite')
    this.#publish(definiteState(record))
  }

  /** The record after a success; the high-water mark restarts from server time, now confirmed. */
  #successRecord(
    answer: ProxySuccess,
    now: number,
    key: string | undefined,
    pending: readonly PendingDeactivation[],
  ): LicenseRecord {
    const { license, checkedAt, receipt } = answer
    const active = license !== null && license.status === 'active'
    return {
      v: 1,
      ...(this.#options.mode === 'device' && key !== undefined ? { key } : {}),
      license,
      checkedAt,
      lastActiveAt: active ? checkedAt : null,
      reason: license === null || active ? null : statusReason(license.status),
      ...(active && receipt !== undefined ? { receipt } : {}),
      ...(pending.length > 0 ? { pendingDeactivations: pending } : {}),
      highWaterMark: Math.max(now, Date.parse(checkedAt)),
    }
  }

  /** The record after a definite refusal: the grant (and its receipt) is gone. */
  #failureRecord(
    previous: LicenseRecord | null,
    code: LicenseErrorCode,
    now: number,
  ): LicenseRecord {
    return {
      v: 1,
      ...(previous?.key === undefined ? {} : { key: previous.key }),
      license: previous?.license ?? null,
      checkedAt: new Date(now).toISOString(),
      lastActiveAt: null,
      reason: code,
      ...(previous?.pendingDeactivations === undefined
        ? {}
        : { pendingDeactivations: previous.pendingDeactivations }),
      highWaterMark: now,
    }
  }

  #bodyFor(record: LicenseRecord | null): ProxyRequestBody {
    return this.#options.mode === 'device' && record?.key !== undefined ? { key: record.key } : {}
  }

  #flushPending(): Promise<void> {
    this.#flush ??= this.#sendPending().finally(() => {
      this.#flush = null
    })
    return this.#flush
  }

  async #sendPending(): Promise<void> {
    const pending = this.#record?.pendingDeactivations ?? []
    const settled: PendingDeactivation[] = []
    for (const entry of pending) {
      const outcome = await this.#request('deactivate', entry)
      if (outcome.kind === 'unreachable') {
        this.#noteUnreachable(outcome.error)
        break
      }
      this.#failures = 0
      if (outcome.kind === 'failure' && !SLOT_NOT_HELD.has(outcome.error.code)) {
        this.#options.onError(outcome.error)
      }
      settled.push(entry)
    }
    this.#syncChecking()
    if (settled.length === 0) return
    const current = this.#record
    if (current === null) return
    const remaining = (current.pendingDeactivations ?? []).filter(
      (entry) => !settled.some((done) => done.key === entry.key),
    )
    const { pendingDeactivations: _settled, ...rest } = current
    const next: LicenseRecord =
      remaining.length > 0 ? { ...rest, pendingDeactivations: remaining } : rest
    const empty = next.license === null && next.key === undefined && remaining.length === 0
    await this.#commit(empty ? null : next, 'definite')
  }

  async #request(action: LicenseAction, body: ProxyRequestBody): Promise<ProxyOutcome> {
    this.#inFlight++
    this.#lastAttemptAt = this.#options.now()
    this.#syncChecking()
    try {
      return await this.#send(action, body)
    } finally {
      this.#inFlight--
    }
  }

  #noteUnreachable(error: LicenseError): void {
    this.#failures++
    this.#retryAfter = error.retryAfter
  }

  async #commit(record: LicenseRecord | null, kind: TabMessage['kind']): Promise<void> {
    this.#setRecord(record)
    if (record === null) await this.#storage.del(this.#recordKey)
    else await this.#storage.set(this.#recordKey, record)
    this.#session?.coordinator.broadcast({ licensekit: 1, kind, record } satisfies TabMessage)
  }

  async #adopt(data: unknown): Promise<void> {
    if (!isTabMessage(data)) return
    const record = data.record === null ? null : parseLicenseRecord(data.record, this.#options.mode)
    if (data.record !== null && record === null) return
    this.#epoch++
    this.#setRecord(record)
    if (data.kind === 'definite') {
      this.#failures = 0
      this.#publish(definiteState(record))
    } else {
      this.#failures = Math.max(this.#failures, 1)
      const now = this.#options.now()
      const trust = await this.#trust(record, now)
      if (this.#record !== record) return
      this.#publish(unreachableState(record, trust, this.#ruleContext(now)))
    }
    this.#scheduleNext()
  }

  #scheduleNext(): void {
    const session = this.#session
    if (session === null) return
    const record = this.#record
    const hasPending = record?.pendingDeactivations !== undefined
    if (!canValidate(record, this.#options.mode) && !hasPending) {
      session.timer.schedule(null)
      return
    }
    const { now, random, heartbeatIntervalMs } = this.#options
    const at = now()
    let dueAt: number
    if (this.#failures > 0) {
      dueAt = this.#lastAttemptAt + backoffDelay(this.#failures, this.#retryAfter, random)
    } else if (hasPending || record?.checkedAt == null) {
      dueAt = at
    } else {
      const age = Math.max(0, at - Date.parse(record.checkedAt))
      dueAt = at + heartbeatDelay(heartbeatIntervalMs, age, random)
    }
    const graceEndsAt = this.getSnapshot().graceEndsAt
    if (graceEndsAt !== null) dueAt = Math.min(dueAt, Date.parse(graceEndsAt))
    session.timer.schedule(dueAt)
  }

  #publish(content: StateContent): void {
    this.#store.set({ ...content, isChecking: this.#inFlight > 0 })
  }

  #syncChecking(): void {
    this.#store.update({ isChecking: this.#inFlight > 0 })
  }
}

/**
 * Creates the browser license client for one proxy endpoint. Throws `LicenseError('invalid_config')`
 * for an option out of range. Call `start()` to read the cache and begin the heartbeat.
 */
export function createLicenseClient(options: LicenseClientOptions): LicenseClient {
  return new BrowserLicenseClient(resolveOptions(options))
}
