import { LicenseError } from '../errors/license-error.js'
import { checkKeyFormat, type LicenseKeyFormat } from '../keys/key-format.js'
import type { ReceiptCheck } from './cache-trust.js'
import type { ChannelFactory, LockManagerLike } from './coordinator.js'
import type { DeviceBinding } from './device-id.js'
import type { LiveEventsFeature } from './live-events.js'
import type { OnlineSource } from './online.js'
import { frozenState, LOADING_STATE } from './snapshot-store.js'
import { defaultLicenseStorage, type LicenseStorage } from './storage.js'
import type { LicenseState } from './types.js'
import type { VisibilitySource } from './visibility.js'

/** `device`: the browser keeps the key. `installation`: the proxy resolves it; the browser never stores it. */
export type LicenseMode = 'device' | 'installation'

export interface LicenseClientOptions {
  /** Where the proxy is mounted, e.g. `/api/license`; the client posts to `${endpoint}/validate` etc. */
  endpoint: string
  /** Default `'device'`. */
  mode?: LicenseMode | undefined
  /**
   * What one activation slot is, as the proxy's own `binding` says: `'site'` (default), one slot
   * for every browser of the site; `deviceBinding()` from `@licensekit/core/device` (device mode
   * only, for a proxy with `binding: 'device'`), one slot per browser profile through a random
   * device id kept in storage and sent with the key.
   */
  binding?: 'site' | DeviceBinding | undefined
  /** The shape of your keys (prefix, group count), used when `activate` normalises input. */
  keyFormat?: LicenseKeyFormat | undefined
  /** Days a paying user stays licensed while the proxy is unreachable: 7–30, default 7. */
  graceDays?: number | undefined
  /** Time between background checks; default 1 day, at least 60 000 ms. */
  heartbeatIntervalMs?: number | undefined
  /** Per-request timeout; default 10 000 ms. */
  timeoutMs?: number | undefined
  /**
   * Cache entries only with a valid receipt (the proxy's license token): `verifyReceipts(publicJwk)`
   * from `@licensekit/core/receipts`. Default none: a cached grant is used without one.
   */
  receipts?: ReceiptCheck | undefined
  /** The audience receipts must carry; default `location.hostname`. */
  domain?: string | undefined
  /** Where the record is kept; default IndexedDB through idb-keyval, memory when IndexedDB is missing. */
  storage?: LicenseStorage | undefined
  /** Told about failures that do not change the license state (storage, malformed records). */
  onError?: ((error: unknown) => void) | undefined
  /** Millisecond clock; default `Date.now`. */
  now?: (() => number) | undefined
  fetch?: typeof globalThis.fetch | undefined
  visibility?: VisibilitySource | undefined
  online?: OnlineSource | undefined
  /** Web Locks used to elect the heartbeat tab; default `navigator.locks`; `null` turns it off. */
  locks?: LockManagerLike | null | undefined
  /** Cross-tab channel; default `new BroadcastChannel(name)`; `null` turns it off. */
  channel?: ChannelFactory | null | undefined
  /** Source of jitter in [0, 1); default `Math.random`. */
  random?: (() => number) | undefined
  /**
   * A state rendered on the server (e.g. from `getLicenseState` in installation mode): the client
   * starts from it, `getServerSnapshot()` returns it, and it stays until the client knows better
   * than `loading`. Default: the `loading` state.
   */
  initialState?: LicenseState | undefined
  /**
   * Live license events: `liveEvents()` from `@licensekit/core/live`. The leader tab then keeps
   * one `EventSource` to `{endpoint}/events` and checks with the proxy when an event arrives.
   * Default none.
   */
  events?: LiveEventsFeature | undefined
}

export interface ResolvedOptions {
  endpoint: string
  mode: LicenseMode
  /** The device binding; undefined for `'site'`. */
  binding: DeviceBinding | undefined
  keyFormat: LicenseKeyFormat | undefined
  graceDays: number
  heartbeatIntervalMs: number
  timeoutMs: number
  receipts?: ReceiptCheck | undefined
  domain: string | undefined
  storage: LicenseStorage
  onError: (error: unknown) => void
  now: () => number
  fetch?: typeof globalThis.fetch | undefined
  visibility?: VisibilitySource | undefined
  online?: OnlineSource | undefined
  locks?: LockManagerLike | null | undefined
  channel?: ChannelFactory | null | undefined
  random: () => number
  initialState: LicenseState
  events?: LiveEventsFeature | undefined
}

const STATUSES: readonly string[] = ['loading', 'unlicensed', 'active', 'grace', 'denied']

function checkInitialState(state: LicenseState | undefined): LicenseState {
  if (state === undefined) return LOADING_STATE
  if (typeof state !== 'object' || state === null || !STATUSES.includes(state.status)) {
    throw invalid('`initialState` must be a license state (from the server)')
  }
  return frozenState({ ...state, isChecking: false })
}

export const DEFAULT_GRACE_DAYS = 7
export const MIN_GRACE_DAYS = 7
export const MAX_GRACE_DAYS = 30
export const DEFAULT_HEARTBEAT_INTERVAL_MS = 24 * 60 * 60 * 1000
export const MIN_HEARTBEAT_INTERVAL_MS = 60_000
export const DEFAULT_TIMEOUT_MS = 10_000

function invalid(message: string): LicenseError {
  return new LicenseError('invalid_config', message)
}

/** `value` (or `fallback` when unset) when it is a finite number that passes `valid`; else throws `message`. */
function checkNumber(
  value: number | undefined,
  fallback: number,
  valid: (value: number) => boolean,
  message: string,
): number {
  const result = value ?? fallback
  if (!Number.isFinite(result) || !valid(result)) throw invalid(message)
  return result
}

/** Checks and completes the options; throws `LicenseError('invalid_config')` for a bad value. */
export function resolveOptions(options: LicenseClientOptions): ResolvedOptions {
  if (typeof options !== 'object' || options === null) throw invalid('Options are required')
  const { endpoint } = options
  if (typeof endpoint !== 'string' || endpoint.trim() === '') {
    throw invalid('`endpoint` must be a non-empty string')
  }
  const mode = options.mode ?? 'device'
  if (mode !== 'device' && mode !== 'installation') {
    throw invalid("`mode` must be 'device' or 'installation'")
  }
  const { binding, events } = options
  if (binding !== undefined && binding !== 'site' && typeof binding !== 'function') {
    throw invalid("`binding` must be 'site' or deviceBinding()")
  }
  if (events !== undefined && typeof events !== 'function') {
    throw invalid('`events` must be liveEvents()')
  }
  const { receipts } = options
  // The option before receipts were an opt-in: refused, so no app silently loses the check.
  const legacyKey = (options as { receiptPublicKey?: unknown }).receiptPublicKey
  if ((receipts !== undefined && typeof receipts !== 'function') || legacyKey !== undefined) {
    throw invalid('`receipts` must be verifyReceipts(publicKey)')
  }
  return {
    ...options,
    endpoint: endpoint.trim().replace(/\/+$/, ''),
    mode,
    binding: binding === 'site' ? undefined : binding,
    keyFormat: checkKeyFormat(options.keyFormat),
    graceDays: checkNumber(
      options.graceDays,
      DEFAULT_GRACE_DAYS,
      (days) => days >= MIN_GRACE_DAYS && days <= MAX_GRACE_DAYS,
      `\`graceDays\` must be between ${MIN_GRACE_DAYS} and ${MAX_GRACE_DAYS}`,
    ),
    heartbeatIntervalMs: checkNumber(
      options.heartbeatIntervalMs,
      DEFAULT_HEARTBEAT_INTERVAL_MS,
      (ms) => ms >= MIN_HEARTBEAT_INTERVAL_MS,
      `\`heartbeatIntervalMs\` must be at least ${MIN_HEARTBEAT_INTERVAL_MS}`,
    ),
    timeoutMs: checkNumber(
      options.timeoutMs,
      DEFAULT_TIMEOUT_MS,
      (ms) => ms > 0 && ms <= 2 ** 31 - 1,
      '`timeoutMs` must be a positive number of milliseconds',
    ),
    domain: options.domain ?? globalThis.location?.hostname,
    storage: options.storage ?? defaultLicenseStorage(),
    onError: options.onError ?? (() => {}),
    now: options.now ?? Date.now,
    random: options.random ?? Math.random,
    initialState: checkInitialState(options.initialState),
  }
}
