// @vitest-environment happy-dom

import {
  createIdbStorage,
  createLicenseClient,
  type LicenseClient,
  type LicenseClientOptions,
} from '@licensekit/core'
import { verifyReceipts } from '@licensekit/core/receipts'
import { generateSigningKeys } from '@licensekit/core/server'
import { IDBFactory } from 'fake-indexeddb'
import { createStore, get } from 'idb-keyval'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ServersProcess } from './test-support/servers-process.js'

/**
 * The client runs here in happy-dom, on happy-dom's own fetch (real HTTP, CORS preflight
 * included); the real proxy (`createLicenseProxy` + `toNodeHandler`) and the real license server
 * run in a child Node process on 127.0.0.1, since happy-dom replaces the Request/Response/Headers
 * globals the server code needs.
 */
const SECRET = 'client-integration-secret-0123456789'
const DOMAIN = 'shop.example'
const receiptKeys = await generateSigningKeys()

let servers: ServersProcess | undefined
let clients: LicenseClient[] = []

beforeEach(() => {
  globalThis.indexedDB = new IDBFactory()
})

afterEach(async () => {
  for (const client of clients) client.stop()
  clients = []
  await servers?.close()
  servers = undefined
})

async function startServers(installation = false): Promise<string> {
  const started = await ServersProcess.start({
    secret: SECRET,
    domain: DOMAIN,
    allowedOrigin: location.origin,
    signingKey: receiptKeys.privateJwk,
    installation,
  })
  servers = started.servers
  return started.endpoint
}

function control(): ServersProcess {
  if (servers === undefined) throw new Error('servers not started')
  return servers
}

/** A client on happy-dom's fetch, counting its requests. */
function client(endpoint: string, options: Partial<LicenseClientOptions> = {}) {
  const requests: string[] = []
  const instance = createLicenseClient({
    endpoint,
    domain: DOMAIN,
    receipts: verifyReceipts(receiptKeys.publicJwk),
    storage: createIdbStorage(),
    locks: null,
    channel: null,
    fetch: (input, init) => {
      requests.push(input instanceof Request ? input.url : String(input))
      return window.fetch(input, init)
    },
    ...options,
  })
  clients.push(instance)
  return { instance, requests }
}

async function settled(instance: LicenseClient): Promise<void> {
  await vi.waitFor(() => {
    const state = instance.getSnapshot()
    expect(state.status !== 'loading' && !state.isChecking).toBe(true)
  })
}

const stored = (endpoint: string, mode = 'device') =>
  get(`licensekit:${mode}:${endpoint}`, createStore('licensekit', 'licenses'))

describe('client ↔ proxy ↔ license server over 127.0.0.1 (happy-dom)', () => {
  it('activates, starts from the verified cache, sees a revocation, and never grants grace after it', async () => {
    const endpoint = await startServers()
    const key = await control().send<string>({ op: 'issue', limit: 2 })
    const first = client(endpoint)
    first.instance.start()
    await settled(first.instance)
    expect(first.instance.getSnapshot().status).toBe('unlicensed')

    const state = await first.instance.activate(key.toLowerCase().replace(/-/g, ' '))
    expect(state).toMatchObject({
      status: 'active',
      source: 'server',
      license: { key: `SHOP-****-****-****-${key.slice(-4)}`, status: 'active' },
    })
    expect(await control().send({ op: 'get', key })).toMatchObject({ domains: [DOMAIN] })
    expect(await stored(endpoint)).toMatchObject({ key, receipt: expect.any(String) })
    first.instance.stop()

    const second = client(endpoint)
    second.instance.start()
    await settled(second.instance)
    expect(second.instance.getSnapshot()).toMatchObject({ status: 'active', source: 'cache' })
    expect(second.requests).toEqual([])

    await control().send({ op: 'revoke', key })
    await second.instance.refresh()
    expect(second.instance.getSnapshot()).toMatchObject({ status: 'denied', reason: 'revoked' })

    await control().send({ op: 'stop-proxy' })
    await second.instance.refresh()
    expect(second.instance.getSnapshot()).toMatchObject({ status: 'denied', reason: 'revoked' })
  })

  it('falls back to grace when the proxy goes away', async () => {
    const endpoint = await startServers()
    const key = await control().send<string>({ op: 'issue', limit: 1 })
    const { instance } = client(endpoint)
    await instance.activate(key)
    await control().send({ op: 'stop-proxy' })
    const grace = await instance.refresh()
    expect(grace).toMatchObject({ status: 'grace', reason: 'unreachable', source: 'cache' })
    expect(Date.parse(grace.graceEndsAt ?? '')).toBeGreaterThan(Date.now() + 6 * 24 * 3600_000)
  })

  it('refuses an unknown key and a full license with their codes', async () => {
    const endpoint = await startServers()
    const { instance } = client(endpoint)
    await expect(instance.activate('SHOP-0000-0000-0000-0000')).rejects.toMatchObject({
      code: 'not_found',
    })
    expect(instance.getSnapshot()).toMatchObject({ status: 'denied', reason: 'not_found' })
    const key = await control().send<string>({ op: 'issue', limit: 1 })
    await control().send({ op: 'activate', key, domain: 'elsewhere.example' })
    await expect(instance.activate(key)).rejects.toMatchObject({ code: 'limit_reached' })
  })

  it('deactivation frees the slot upstream and clears the cache', async () => {
    const endpoint = await startServers()
    const key = await control().send<string>({ op: 'issue', limit: 1 })
    const { instance } = client(endpoint)
    await instance.activate(key)
    expect(await control().send({ op: 'get', key })).toMatchObject({ activationsCount: 1 })
    const { outcome, state } = await instance.deactivate()
    expect(outcome).toBe('freed')
    expect(state).toMatchObject({ status: 'unlicensed', license: null, pendingDeactivations: 0 })
    expect(await control().send({ op: 'get', key })).toMatchObject({ activationsCount: 0 })
    expect(await stored(endpoint)).toBeUndefined()
  })

  it('installation mode: the proxy resolves the key and the browser never stores it', async () => {
    const endpoint = await startServers(true)
    const key = await control().send<string>({ op: 'issue', limit: 1 })
    const { instance } = client(endpoint, { mode: 'installation' })
    instance.start()
    await settled(instance)
    expect(instance.getSnapshot()).toMatchObject({ status: 'unlicensed', source: 'server' })
    await instance.activate(key)
    expect(await control().send({ op: 'stored' })).toBe(key)
    expect(instance.getSnapshot().status).toBe('active')
    const record = await stored(endpoint, 'installation')
    expect(record).toMatchObject({ license: { status: 'active' }, receipt: expect.any(String) })
    expect(JSON.stringify(record)).not.toContain(key.slice(5))
    instance.stop()
    const next = client(endpoint, { mode: 'installation' })
    next.instance.start()
    await settled(next.instance)
    expect(next.instance.getSnapshot()).toMatchObject({ status: 'active', source: 'cache' })
    await next.instance.deactivate()
    expect(await control().send({ op: 'stored' })).toBeNull()
    expect(next.instance.getSnapshot().status).toBe('unlicensed')
  })
})
