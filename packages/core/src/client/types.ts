import type { LicenseErrorCode } from '../errors/codes.js'
import type { LicenseKeyFormat } from '../keys/key-format.js'
import type { LicenseInfo } from '../protocol.js'

/** `active` and `grace` are licensed; `loading` is neither licensed nor denied. */
export type LicenseStatus = 'loading' | 'unlicensed' | 'active' | 'grace' | 'denied'

/** Why the state is `denied` (or `grace`: `unreachable`). */
export type LicenseReason = LicenseErrorCode | 'grace_expired' | 'tampered'

/** An immutable snapshot; a new object only when something changed. */
export interface LicenseState {
  readonly status: LicenseStatus
  readonly reason: LicenseReason | null
  readonly license: Readonly<LicenseInfo> | null
  readonly source: 'none' | 'cache' | 'server'
  /** ISO-8601 time of the last definite server answer. */
  readonly checkedAt: string | null
  /** ISO-8601 end of the grace period, set while `status` is `grace`. */
  readonly graceEndsAt: string | null
  /**
   * Deactivations the proxy has not confirmed yet (it could not be reached): their slots are
   * still taken and are released when the proxy answers. Kept across reloads.
   */
  readonly pendingDeactivations: number
  readonly isChecking: boolean
}

/**
 * What `deactivate()` did with the slot: `freed` (the proxy released it), `queued` (the proxy
 * could not be reached: it is released once it answers; the state counts it in
 * `pendingDeactivations`), or `not_held` (there was no slot to release: no key, or the license
 * API had no activation for it).
 */
export type DeactivationOutcome = 'freed' | 'queued' | 'not_held'

export interface DeactivationResult {
  readonly outcome: DeactivationOutcome
  readonly state: LicenseState
}

/**
 * What gating needs, shaped for `useSyncExternalStore`: the store returned by
 * `createGatingClient`, and the part of every {@link LicenseClient} that reads and checks the
 * license. `refresh` resolves with the resulting state. `start()` and `stop()` are counted: the
 * client runs from the first start until as many stops. `storedToken` resolves the license token
 * of the stored record (read first when needed), whatever its age, or null; `tokenAccess` from
 * `@licensekit/core/token` builds `getToken()` and `fetch()` on it. The methods do not depend on
 * `this`: pass them around on their own (an implementation of your own must keep that, and keep
 * their identities stable).
 */
export interface GatingClient {
  getSnapshot(): LicenseState
  getServerSnapshot(): LicenseState
  subscribe(listener: () => void): () => void
  start(): void
  stop(): void
  refresh(): Promise<LicenseState>
  storedToken(): Promise<string | null>
  /**
   * The key format the client was created with (`keyFormat`), so a key field can follow it
   * without being told again; `undefined` for the default format.
   */
  readonly keyFormat?: LicenseKeyFormat | undefined
}

/**
 * The key commands. `activate` resolves with the new state on success and rejects with a
 * `LicenseError` otherwise (activating a key while another one is held releases the other one's
 * slot once the new key succeeded, never before); `deactivate` resolves with a
 * {@link DeactivationResult} (also when the proxy is unreachable: the deactivation is then
 * queued) and rejects with a `LicenseError` only when the proxy refuses and the license stays in
 * place (e.g. `forbidden`).
 */
export interface LicenseKeyActions {
  activate(key: string): Promise<LicenseState>
  deactivate(): Promise<DeactivationResult>
}

/** The store returned by `createLicenseClient`: a {@link GatingClient} with the key commands. */
export interface LicenseClient extends GatingClient, LicenseKeyActions {}

/** True when the state unlocks licensed features. */
export function isLicensed(state: Pick<LicenseState, 'status'>): boolean {
  return state.status === 'active' || state.status === 'grace'
}
