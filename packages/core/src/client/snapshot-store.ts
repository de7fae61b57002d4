import { content } from './state-rules.js'
import type { LicenseState } from './types.js'

/** The state before anything is known; also the constant server snapshot for SSR. */
export const LOADING_STATE: LicenseState = Object.freeze({
  ...content('loading', null, 'none'),
  isChecking: false,
})

/** A snapshot, or its license, as its fields. */
type Fields = Readonly<Record<string, unknown>>

/** Same own fields with the same values; `license` is compared the same way, one level down. */
function same(a: Fields | null, b: Fields | null): boolean {
  return (
    a === b ||
    (a !== null &&
      b !== null &&
      [...Object.keys(a), ...Object.keys(b)].every((name) =>
        name === 'license'
          ? same((a[name] ?? null) as Fields | null, (b[name] ?? null) as Fields | null)
          : a[name] === b[name],
      ))
  )
}

/** A frozen copy of `state`, its `license` included. */
export function frozenState(state: LicenseState): LicenseState {
  const license = state.license === null ? null : Object.freeze({ ...state.license })
  return Object.freeze({ ...state, license })
}

/**
 * Holds the current snapshot. A new frozen object is published only when the content changed, so
 * `useSyncExternalStore` re-renders exactly when something a component can see is different.
 */
export class SnapshotStore {
  #state: LicenseState
  readonly #listeners = new Set<() => void>()

  /** Starts from `initial` (default: `loading`). */
  constructor(initial: LicenseState = LOADING_STATE) {
    this.#state = initial
  }

  get(): LicenseState {
    return this.#state
  }

  /** Replaces the snapshot with `next` unless it has the same content. */
  set(next: LicenseState): void {
    if (same(this.#state as object as Fields, next as object as Fields)) return
    this.#state = frozenState(next)
    for (const listener of [...this.#listeners]) listener()
  }

  update(patch: Partial<LicenseState>) {
    return this.set({ ...this.#state, ...patch })
  }

  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener)
    return () => {
      this.#listeners.delete(listener)
    }
  }
}
