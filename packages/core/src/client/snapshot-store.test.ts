import { describe, expect, it, vi } from 'vitest'
import { LOADING_STATE, SnapshotStore } from './snapshot-store.js'
import { LICENSE } from './test-support/fake-proxy.js'

describe('SnapshotStore', () => {
  it('starts at the frozen loading state', () => {
    const store = new SnapshotStore()
    expect(store.get()).toBe(LOADING_STATE)
    expect(Object.isFrozen(LOADING_STATE)).toBe(true)
  })

  it('keeps the same object and notifies nobody when the content is equal', () => {
    const store = new SnapshotStore()
    const listener = vi.fn()
    store.subscribe(listener)
    store.set({ ...LOADING_STATE, status: 'active', license: { ...LICENSE } })
    const first = store.get()
    expect(listener).toHaveBeenCalledTimes(1)
    store.set({ ...LOADING_STATE, status: 'active', license: { ...LICENSE } })
    expect(store.get()).toBe(first)
    store.update({ isChecking: false })
    expect(store.get()).toBe(first)
    expect(listener).toHaveBeenCalledTimes(1)
  })

  it.each([
    ['status', { status: 'denied' as const }],
    ['reason', { reason: 'revoked' as const }],
    ['source', { source: 'server' as const }],
    ['checkedAt', { checkedAt: '2026-01-01T00:00:00.000Z' }],
    ['graceEndsAt', { graceEndsAt: '2026-01-01T00:00:00.000Z' }],
    ['isChecking', { isChecking: true }],
    ['license key', { license: { ...LICENSE, key: 'SHOP-****-****-****-XXXX' } }],
    ['license status', { license: { ...LICENSE, status: 'expired' } }],
    ['license expiry', { license: { ...LICENSE, expiresAt: '2027-01-01T00:00:00.000Z' } }],
    ['activation count', { license: { ...LICENSE, activationsCount: 2 } }],
    ['activation limit', { license: { ...LICENSE, activationsLimit: 9 } }],
    ['license removed', { license: null }],
  ])('publishes a new frozen object when %s changes', (_label, patch) => {
    const store = new SnapshotStore()
    store.set({ ...LOADING_STATE, status: 'active', license: LICENSE })
    const first = store.get()
    store.update(patch)
    const next = store.get()
    expect(next).not.toBe(first)
    expect(Object.isFrozen(next)).toBe(true)
    if (next.license !== null) expect(Object.isFrozen(next.license)).toBe(true)
  })

  it('does not let a caller mutate the published license through its own object', () => {
    const store = new SnapshotStore()
    const license = { ...LICENSE }
    store.set({ ...LOADING_STATE, status: 'active', license })
    const state = store.get()
    license.status = 'revoked'
    expect(state.license?.status).toBe('active')
  })
})
