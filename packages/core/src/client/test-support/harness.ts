import { IDBFactory } from 'fake-indexeddb'
import { createStore, del, get, set } from 'idb-keyval'
import { vi } from 'vitest'
import { createGatingClient, createLicenseClient } from '../create-license-client.js'
import type { LicenseClientOptions, LicenseMode } from '../options.js'
import type { LicenseRecord } from '../record.js'
import { createIdbStorage } from '../storage.js'
import type { GatingClient, LicenseClient } from '../types.js'
import { FakeProxy, LICENSE } from './fake-proxy.js'
import { FakeOnline, FakeVisibility } from './fakes.js'

export const ENDPOINT = 'http://localhost/api/license'
export const KEY = 'SHOP-A1B2-C3D4-E5F6-G7H8'
export const OTHER_KEY = 'SHOP-Z9Y8-X7W6-V5U4-T3S2'
export const DOMAIN = 'shop.example'
export const DAY = 24 * 60 * 60 * 1000
/** 2026-01-01T00:00:00Z */
export const T0 = Date.UTC(2026, 0, 1)

export function recordKey(mode: LicenseMode = 'device'): string {
  return `licensekit:${mode}:${ENDPOINT}`
}

/** Fake timers for `setTimeout` and `Date` only: IndexedDB keeps its real `setImmediate`. */
export function useClock(): void {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'], now: T0 })
}

/** A fresh fake IndexedDB as the global one, so each test starts empty. */
export function freshIndexedDb(): void {
  globalThis.indexedDB = new IDBFactory()
}

const store = () => createStore('licensekit', 'licenses')

export async function readRecord(mode: LicenseMode = 'device'): Promise<unknown> {
  return get(recordKey(mode), store())
}

export async function writeRecord(value: unknown, mode: LicenseMode = 'device'): Promise<void> {
  await set(recordKey(mode), value, store())
}

export async function deleteRecord(mode: LicenseMode = 'device'): Promise<void> {
  await del(recordKey(mode), store())
}

/** A record as the client writes it after an `active` answer `ageMs` ago. */
export function activeRecord(ageMs: number, overrides: Partial<LicenseRecord> = {}): LicenseRecord {
  const checkedAt = new Date(Date.now() - ageMs).toISOString()
  return {
    v: 1,
    key: KEY,
    license: LICENSE,
    checkedAt,
    lastActiveAt: checkedAt,
    reason: null,
    highWaterMark: Date.now() - ageMs,
    ...overrides,
  }
}

export interface Harness {
  proxy: FakeProxy
  visibility: FakeVisibility
  online: FakeOnline
  errors: unknown[]
  create(options?: Partial<LicenseClientOptions>): LicenseClient
  /** The same client without the key commands (`createGatingClient`). */
  gating(options?: Partial<LicenseClientOptions>): GatingClient
}

/**
 * Builds clients wired to a scripted proxy and fake sources; jitter is neutral (random = 0.5) and
 * the heartbeat is 7 days, so a day-old record is not due yet (the default, 1 day, has its own test).
 */
export function harness(): Harness {
  const proxy = new FakeProxy()
  const visibility = new FakeVisibility()
  const online = new FakeOnline()
  const errors: unknown[] = []
  const optionsWith = (options: Partial<LicenseClientOptions>): LicenseClientOptions => ({
    endpoint: ENDPOINT,
    fetch: proxy.fetch,
    visibility,
    online,
    locks: null,
    channel: null,
    random: () => 0.5,
    heartbeatIntervalMs: 7 * DAY,
    domain: DOMAIN,
    storage: createIdbStorage(),
    onError: (error) => errors.push(error),
    ...options,
  })
  return {
    proxy,
    visibility,
    online,
    errors,
    create: (options = {}) => createLicenseClient(optionsWith(options)),
    gating: (options = {}) => createGatingClient(optionsWith(options)),
  }
}
