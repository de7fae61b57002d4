import type { LicenseInfo } from '../protocol.js'
import type { LicenseState } from './types.js'

/** The state before anything is known; also the constant server snapshot for SSR. */
export const LOADING_STATE: LicenseState = Object.freeze({
  status: 'loading',
  reason: null,
  license: null,
  source: 'none',
  checkedAt: null,
  graceEndsAt: null,
  isChecking: false,
})

function sameLicense(a: Readonly<LicenseInfo> | null, b: Readonly<LicenseInfo> | null): boolean {
  if (a === b) return true
  if (a === null || b === null) return false
  return (
    a.key === b.key &&
    a.status === b.status &&
    a.expiresAt === b.expiresAt &&
    a.activationsCount === b.activationsCount &&
    a.activationsLimit === b.activationsLimit
  )
}

function sameState(a: LicenseState, b: LicenseState): boolean {
  return (
    a.status === b.status &&
    a.reason === b.reason &&
    a.source === b.source &&
    a.checkedAt === b.checkedAt &&
    a.graceEndsAt === b.graceEndsAt &&
    a.isChecking === b.isChecking &&
    sameLicense(a.license, b.license)
  )
}

function freeze(state: LicenseState): LicenseState {
  const license = state.license === null ? null : Object.freeze({ ...state.license })
  return Object.freeze({ ...state, license })
}

/**
 * Holds the current snapshot. A new frozen object is published only when the content changed, so
 * `useSyncExternalStore` re-renders exactly when something a component can see is different.
 */
export class SnapshotStore {
  #state: LicenseState = LOADING_STATE
  readonly #listeners = new Set<() => void>()

  get(): LicenseState {
    return this.#state
  }

  /** Replaces the snapshot with `next` unless it has the same content. Returns the current snapshot. */
  set(next: LicenseState): LicenseState {
    if (sameState(this.#state, next)) return this.#state
    this.#state = freeze(next)
    for (const listener of [...this.#listeners]) listener()
    return this.#state
  }

  update(patch: Partial<LicenseState>): LicenseState {
    return this.set({ ...this.#state, ...patch })
  }

  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener)
    return () => {
      this.#listeners.delete(listener)
    }
  }
}
