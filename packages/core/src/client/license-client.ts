import type { LicenseKeyFormat } from '../keys/key-format.js'
import type { LicenseAction, ProxyRequestBody } from '../protocol.js'
import { type ClientInternals, clientInternals } from './client-internals.js'
import { Heartbeat } from './heartbeat.js'
import type { LicenseClientParts } from './license-client-parts.js'
import { Lifecycle } from './lifecycle.js'
import type { ResolvedOptions } from './options.js'
import { PendingDeactivations } from './pending-deactivations.js'
import type { LicenseRecord, PendingDeactivation } from './record.js'
import type { RecordCache } from './record-cache.js'
import * as transition from './record-transitions.js'
import { RequestTracker } from './request-tracker.js'
import type { SnapshotStore } from './snapshot-store.js'
import type { StateReader } from './state-reader.js'
import * as rules from './state-rules.js'
import { parseTabHint, type TabHintKind, tabHint } from './tab-sync.js'
import type { ProxyOutcome } from './transport.js'
import type { GatingClient, LicenseState } from './types.js'

/**
 * The browser license client. Every change goes through `#apply`: commit the record, tell the
 * other tabs, publish the state, schedule the next check. `start()` n times needs `stop()` n
 * times; its methods are bound, so they can be passed around on their own. The key commands
 * (`key-actions.ts`) reach it through `clientInternals`.
 */
export class DefaultLicenseClient implements GatingClient {
  readonly #options: ResolvedOptions
  readonly #parts: LicenseClientParts
  readonly #cache: RecordCache
  readonly #store: SnapshotStore
  readonly #heartbeat: Heartbeat
  readonly #tracker: RequestTracker
  readonly #pending: PendingDeactivations
  readonly #reader: StateReader
  readonly #lifecycle: Lifecycle
  #validation: Promise<LicenseState> | null = null
  /**
   * A `definite` hint that came before its record reached this tab's storage (Web Storage lags);
   * anything else (none yet, null) is not a hint and is ignored when read again.
   */
  #hintAhead: unknown
  readonly keyFormat: LicenseKeyFormat | undefined
  readonly [clientInternals]: ClientInternals

  constructor(parts: LicenseClientParts) {
    const { options } = parts
    this.#options = options
    this.keyFormat = options.keyFormat
    this.#parts = parts
    this.#cache = parts.cache
    this.#store = parts.store
    this.#tracker = new RequestTracker((isChecking) => this.#store.update({ isChecking }))
    this.#heartbeat = new Heartbeat(options, parts, () => void this.refresh())
    this.#pending = new PendingDeactivations({
      entries: () => this.#cache.current?.pendingDeactivations ?? [],
      send: (entry) => this.#request('deactivate', entry),
      onSettled: (settled) => this.#settlePending(settled),
      onAnswer: (outcome) => this.#heartbeat.answered(outcome),
      onError: options.onError,
    })
    this.#reader = parts.reader
    this.#lifecycle = new Lifecycle({
      heartbeat: this.#heartbeat,
      tabs: () =>
        parts.tabs({
          onLead: () => void this.#onLead(),
          onMessage: (data) => void this.#onHint(data),
        }),
      begin: () => {
        void this.#publishCache()
        return [
          parts.online.subscribe(() => this.#onOnline()),
          // A write of another tab reached this tab's storage: take in a hint that came before it.
          this.#cache.watch(() => void this.#onHint(this.#hintAhead)),
        ]
      },
    })
    this[clientInternals] = {
      options,
      cache: this.#cache,
      heartbeat: this.#heartbeat,
      pending: this.#pending,
      reader: this.#reader,
      request: (action, body) => this.#request(action, body),
      apply: (state, next) => this.#apply(state, next),
    }
  }

  readonly getSnapshot = (): LicenseState => this.#store.get()
  readonly getServerSnapshot = (): LicenseState => this.#options.initialState
  readonly subscribe = (listener: () => void): (() => void) => this.#store.subscribe(listener)
  readonly start = (): void => this.#lifecycle.start()
  readonly stop = (): void => this.#lifecycle.stop()
  readonly storedToken = async (): Promise<string | null> => {
    await this.#cache.load()
    return this.#cache.current?.receipt ?? null
  }

  readonly refresh = (): Promise<LicenseState> => {
    this.#validation ??= this.#validate().finally(() => {
      this.#validation = null
    })
    return this.#validation
  }

  /**
   * Commits `next` when given (undefined: the record stays), tells the other tabs (`hint`),
   * publishes `state` and schedules the next check; returns the new snapshot.
   */
  async #apply(
    state: rules.StateContent,
    next?: LicenseRecord | null,
    hint: TabHintKind | null = next === undefined ? null : 'definite',
  ): Promise<LicenseState> {
    if (next !== undefined) await this.#cache.commit(next)
    if (hint) this.#lifecycle.broadcast(tabHint(hint))
    this.#store.set({ ...state, isChecking: this.#tracker.checking })
    this.#reschedule()
    return this.getSnapshot()
  }

  async #validate(): Promise<LicenseState> {
    const { mode, now } = this.#options
    await this.#cache.load()
    if (transition.hasPending(this.#cache.current)) {
      await this.#pending.flush()
      const record = this.#cache.current
      if (mode === 'installation' && transition.hasPending(record)) {
        return this.#apply(rules.definiteState(record, 'cache'))
      }
    }
    const previous = this.#cache.current
    if (!rules.canValidate(previous, mode))
      return this.#apply(this.#reader.withoutKey(previous, now()))
    const generation = this.#cache.generation
    const key = mode === 'device' ? previous?.key : undefined
    const outcome = await this.#request('validate', key === undefined ? {} : { key })
    if (generation !== this.#cache.generation) return this.getSnapshot()
    const at = now()
    this.#heartbeat.answered(outcome)
    if (outcome.kind === 'unreachable') {
      const { state } = await this.#reader.fromCache(previous, at, true)
      void this.#cache.raiseMark(at, generation)
      return this.#apply(state, undefined, 'unreachable')
    }
    const next = transition.afterAnswer(outcome, previous, { at, mode, key })
    return this.#apply(rules.definiteState(next), next)
  }

  /** Re-reads the stored record at start, publishes its state and starts the check it calls for. */
  async #publishCache(): Promise<void> {
    const period = this.#lifecycle.period
    await this.#cache.reload()
    const generation = this.#cache.generation
    const record = this.#cache.current
    const at = this.#options.now()
    const { state, followUp } = await this.#reader.fromCache(record, at, false)
    if (period !== this.#lifecycle.period || generation !== this.#cache.generation) return
    // A server-rendered state stays until the server answers, unless the cache is newer.
    const keep = rules.keepsInitialState(this.#options.initialState, state)
    const visible = this.#parts.visibility.isVisible()
    if (!keep) this.#store.set({ ...state, isChecking: this.#tracker.checking })
    void this.#cache.raiseMark(at, generation)
    if (transition.hasPending(record) && this.#heartbeat.leader) {
      void this.refresh()
    } else if (followUp === 'now') {
      // A hidden tab (ten restored background tabs) waits until it is shown.
      if (visible) void this.refresh()
      else this.#heartbeat.dueBy(at)
    } else {
      this.#reschedule()
      const dueAt = this.#heartbeat.dueAt
      if (followUp === 'when_due' && dueAt !== null && dueAt <= at && visible) void this.refresh()
    }
  }

  /** Another tab changed the record or met an unreachable proxy: re-read it and trust it as at start. */
  async #onHint(data: unknown): Promise<void> {
    const kind = parseTabHint(data)
    if (kind === null) return
    const held = JSON.stringify(this.#cache.current)
    const period = this.#lifecycle.period
    await this.#cache.reload()
    const generation = this.#cache.generation
    const record = this.#cache.current
    const at = this.#options.now()
    const state = await this.#reader.fromHint(record, at, kind)
    if (period !== this.#lifecycle.period || generation !== this.#cache.generation) return
    // Unchanged after a definite answer elsewhere: read again when the storage reports a change.
    this.#hintAhead = kind === 'definite' && JSON.stringify(record) === held ? data : null
    this.#heartbeat.peerAnswered(kind)
    await this.#apply(state)
  }

  /** This tab now runs the heartbeat: it sends the deactivations owed, or schedules the next check. */
  async #onLead(): Promise<void> {
    this.#heartbeat.lead()
    const period = this.#lifecycle.period
    await this.#cache.load()
    if (period !== this.#lifecycle.period) return
    const record = this.#cache.current
    if (transition.hasPending(record)) void this.refresh()
    else this.#reschedule()
  }

  #onOnline(): void {
    if (!this.#heartbeat.leader) return
    const owed = this.#heartbeat.failing || transition.hasPending(this.#cache.current)
    if (this.getSnapshot().status === 'grace' || owed) void this.refresh()
  }

  async #settlePending(settled: readonly PendingDeactivation[]): Promise<void> {
    const record = this.#cache.current
    if (record === null) return
    const { isChecking: _, ...unchanged } = this.getSnapshot()
    const next = transition.afterSettled(record, settled)
    await this.#apply({ ...unchanged, pendingDeactivations: rules.pendingCount(next) }, next)
  }

  #request(action: LicenseAction, body: ProxyRequestBody): Promise<ProxyOutcome> {
    return this.#tracker.track(() => {
      this.#heartbeat.attempted(this.#options.now())
      return this.#parts.send(action, body)
    })
  }

  #reschedule(): void {
    this.#heartbeat.reschedule(this.#cache.current, this.getSnapshot())
  }
}
