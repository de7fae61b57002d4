import type { LicenseClient, LicenseState } from '@licensekit/core'

export const loadingState: LicenseState = Object.freeze({
  status: 'loading',
  reason: null,
  license: null,
  source: 'none',
  checkedAt: null,
  graceEndsAt: null,
  pendingDeactivations: 0,
  isChecking: false,
})

export const activeState: LicenseState = Object.freeze({
  status: 'active',
  reason: null,
  license: {
    key: 'SHOP-****-****-****-G7H8',
    status: 'active',
    expiresAt: null,
    activationsCount: 1,
    activationsLimit: 3,
  },
  source: 'server',
  checkedAt: '2026-11-26T22:00:00.000Z',
  graceEndsAt: null,
  pendingDeactivations: 0,
  isChecking: false,
})

/** A `LicenseClient` whose state the test sets, counting every call. */
export interface FakeClient extends LicenseClient {
  readonly calls: {
    start: number
    stop: number
    activate: string[]
    refresh: number
    deactivate: number
    storedToken: number
  }
  readonly listenerCount: number
  /** Replaces fields of the snapshot (a new object) and notifies listeners. */
  set(patch: Partial<LicenseState>): void
  /** What `activate` does; defaults to resolving with an active state. */
  onActivate: (key: string) => Promise<LicenseState>
  /** What `storedToken` resolves; default null. */
  token: string | null
}

export function createFakeClient(initial: Partial<LicenseState> = {}): FakeClient {
  let state: LicenseState = { ...loadingState, ...initial }
  const listeners = new Set<() => void>()
  const calls: FakeClient['calls'] = {
    start: 0,
    stop: 0,
    activate: [],
    refresh: 0,
    deactivate: 0,
    storedToken: 0,
  }
  const client: FakeClient = {
    calls,
    get listenerCount() {
      return listeners.size
    },
    set(patch) {
      state = { ...state, ...patch }
      for (const listener of [...listeners]) listener()
    },
    token: null,
    onActivate: async () => {
      client.set(activeState)
      return state
    },
    getSnapshot: () => state,
    getServerSnapshot: () => loadingState,
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    start() {
      calls.start++
    },
    stop() {
      calls.stop++
    },
    activate(key) {
      calls.activate.push(key)
      return client.onActivate(key)
    },
    async refresh() {
      calls.refresh++
      return state
    },
    async deactivate() {
      calls.deactivate++
      client.set({ ...loadingState, status: 'unlicensed' })
      return { outcome: 'freed', state }
    },
    async storedToken() {
      calls.storedToken++
      return client.token
    },
  }
  return client
}
