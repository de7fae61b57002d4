// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { generateSigningKeys } from '../tokens/keys.js'
import type { ChannelFactory, ChannelLike } from './coordinator.js'
import { createLicenseClient } from './create-license-client.js'
import type { LicenseClientOptions } from './options.js'
import { verifyReceipts } from './receipt-check.js'
import { createIdbStorage, createWebStorage } from './storage.js'
import { FakeProxy, granted, refused } from './test-support/fake-proxy.js'
import { FakeLocks, FakeOnline, FakeVisibility, settle } from './test-support/fakes.js'
import {
  activeRecord,
  DAY,
  ENDPOINT,
  freshIndexedDb,
  OTHER_KEY,
  readRecord,
  recordKey,
  useClock,
  writeRecord,
} from './test-support/harness.js'
import type { LicenseClient } from './types.js'

interface Tab {
  client: LicenseClient
  proxy: FakeProxy
  visibility: FakeVisibility
  online: FakeOnline
  channels: { opened: number; closed: number }
}

let run = 0
let tabs: Tab[] = []

beforeEach(() => {
  useClock()
  freshIndexedDb()
  run++
})

afterEach(() => {
  for (const tab of tabs) tab.client.stop()
  tabs = []
  vi.useRealTimers()
})

/** Node's BroadcastChannel, one namespace per test, counting opens and closes. */
function channelFactory(counts: Tab['channels']): ChannelFactory {
  return (name) => {
    const channel = new BroadcastChannel(`${name}#${run}`) as unknown as ChannelLike
    counts.opened++
    const close = channel.close.bind(channel)
    channel.close = () => {
      counts.closed++
      close()
    }
    return channel
  }
}

function openTab(locks: FakeLocks | null, options: Partial<LicenseClientOptions> = {}): Tab {
  const proxy = new FakeProxy()
  const visibility = new FakeVisibility()
  const online = new FakeOnline()
  const channels = { opened: 0, closed: 0 }
  const client = createLicenseClient({
    endpoint: ENDPOINT,
    fetch: proxy.fetch,
    visibility,
    online,
    locks,
    channel: channelFactory(channels),
    random: () => 0.5,
    heartbeatIntervalMs: 7 * DAY,
    storage: createIdbStorage(),
    ...options,
  })
  const tab = { client, proxy, visibility, online, channels }
  tabs.push(tab)
  client.start()
  return tab
}

async function advance(ms: number): Promise<void> {
  await vi.advanceTimersByTimeAsync(ms)
  await settle()
}

const total = (...list: Tab[]) => list.reduce((sum, tab) => sum + tab.proxy.count(), 0)

/**
 * Web Storage as a browser gives it to two tabs: each tab reads its own copy, and a write
 * reaches the other tab only at `deliver()`, with a `storage` event there; until then a
 * BroadcastChannel message can arrive before the write.
 */
function laggingWebStorage() {
  const copies = [new Map<string, string>(), new Map<string, string>()]
  const undelivered: (() => void)[] = []
  const areas = copies.map((own, index) => {
    const other = 1 - index
    const sent = (key: string, value: string | null) =>
      undelivered.push(() => {
        if (value === null) copies[other]?.delete(key)
        else copies[other]?.set(key, value)
        const storageArea = areas[other]
        window.dispatchEvent(Object.assign(new Event('storage'), { key, storageArea }))
      })
    return {
      getItem: (key: string) => own.get(key) ?? null,
      setItem: (key: string, value: string) => {
        own.set(key, value)
        sent(key, value)
      },
      removeItem: (key: string) => {
        own.delete(key)
        sent(key, null)
      },
    }
  })
  const deliver = () => {
    for (const write of undelivered.splice(0)) write()
  }
  return { areas, deliver }
}

describe('9. across tabs', () => {
  it('tabs sharing web storage adopt the leader answer from it, without a request', async () => {
    localStorage.clear()
    localStorage.setItem(recordKey(), JSON.stringify(activeRecord(DAY)))
    const locks = new FakeLocks()
    const a = openTab(locks, { storage: createWebStorage() })
    await settle()
    const b = openTab(locks, { storage: createWebStorage() })
    await settle()
    expect(b.client.getSnapshot()).toMatchObject({ status: 'active', source: 'cache' })
    a.proxy.reply(() => refused(403, 'revoked'))
    await a.client.refresh()
    await vi.waitFor(() =>
      expect(b.client.getSnapshot()).toMatchObject({ status: 'denied', reason: 'revoked' }),
    )
    expect(b.proxy.count()).toBe(0)
    expect(JSON.parse(localStorage.getItem(recordKey()) ?? 'null')).toMatchObject({
      reason: 'revoked',
    })
  })

  it('a tab whose web storage gets the leader answer after its message reads it again then', async () => {
    const storage = laggingWebStorage()
    const [first, second] = storage.areas
    if (first === undefined || second === undefined) throw new Error('two areas')
    first.setItem(recordKey(), JSON.stringify(activeRecord(DAY)))
    storage.deliver()
    const locks = new FakeLocks()
    const a = openTab(locks, { storage: createWebStorage(first) })
    await settle()
    const b = openTab(locks, { storage: createWebStorage(second) })
    await settle()
    expect(b.client.getSnapshot()).toMatchObject({ status: 'active', source: 'cache' })
    a.proxy.reply(() => refused(403, 'revoked'))
    await a.client.refresh()
    await settle()
    expect(b.client.getSnapshot()).toMatchObject({ status: 'active' })
    storage.deliver()
    await vi.waitFor(() =>
      expect(b.client.getSnapshot()).toMatchObject({ status: 'denied', reason: 'revoked' }),
    )
    expect(b.proxy.count()).toBe(0)
    b.client.stop()
    first.setItem(recordKey(), JSON.stringify(activeRecord(DAY)))
    storage.deliver()
    await settle()
    expect(b.client.getSnapshot()).toMatchObject({ status: 'denied', reason: 'revoked' })
  })

  it('only the lock holder runs the heartbeat; the others adopt its answer without a request', async () => {
    await writeRecord(activeRecord(DAY))
    const locks = new FakeLocks()
    const a = openTab(locks)
    await settle()
    const b = openTab(locks)
    const c = openTab(locks)
    await settle()
    expect(locks.holder(recordKey())).toBe(true)
    expect(vi.getTimerCount()).toBe(1)
    for (let interval = 1; interval <= 3; interval++) {
      await advance(interval === 1 ? 6 * DAY : 7 * DAY)
      expect(a.proxy.count('validate')).toBe(interval)
      expect(total(b, c)).toBe(0)
    }
    for (const tab of [b, c]) {
      expect(tab.client.getSnapshot()).toMatchObject({ status: 'active', source: 'server' })
      expect(tab.client.getSnapshot().checkedAt).toBe(a.client.getSnapshot().checkedAt)
    }
  })

  it('hands the heartbeat over when the leader stops', async () => {
    await writeRecord(activeRecord(DAY))
    const locks = new FakeLocks()
    const a = openTab(locks)
    await settle()
    const b = openTab(locks)
    await settle()
    a.client.stop()
    await settle()
    expect(a.channels.closed).toBe(a.channels.opened)
    expect(locks.holder(recordKey())).toBe(true)
    await advance(6 * DAY)
    expect(a.proxy.count()).toBe(0)
    expect(b.proxy.count('validate')).toBe(1)
    expect(b.client.getSnapshot()).toMatchObject({ status: 'active', source: 'server' })
  })

  it('a follower still serves its own activate and the others follow', async () => {
    const locks = new FakeLocks()
    const a = openTab(locks)
    await settle()
    const b = openTab(locks)
    await settle()
    await b.client.activate(OTHER_KEY)
    await settle()
    expect(b.proxy.calls.map((call) => call.action)).toEqual(['activate'])
    expect(a.proxy.count()).toBe(0)
    expect(a.client.getSnapshot()).toMatchObject({ status: 'active', source: 'server' })
    expect(await readRecord()).toMatchObject({ key: OTHER_KEY })
    await advance(7 * DAY)
    expect(a.proxy.calls).toMatchObject([{ action: 'validate', body: { key: OTHER_KEY } }])
    expect(b.proxy.count('validate')).toBe(0)
  })

  it('a deactivation in one tab shows unlicensed in the others', async () => {
    await writeRecord(activeRecord(DAY))
    const locks = new FakeLocks()
    const a = openTab(locks)
    const b = openTab(locks)
    await settle()
    b.proxy.reply(() => granted(null))
    await b.client.deactivate()
    await settle()
    expect(a.client.getSnapshot().status).toBe('unlicensed')
    await advance(30 * DAY)
    expect(total(a, b)).toBe(1)
  })

  it('followers show grace when the leader finds the proxy unreachable', async () => {
    await writeRecord(activeRecord(DAY))
    const locks = new FakeLocks()
    const a = openTab(locks)
    await settle()
    const b = openTab(locks)
    await settle()
    a.proxy.reply(() => 'network-error')
    await a.client.refresh()
    await settle()
    expect(a.client.getSnapshot().status).toBe('grace')
    expect(b.client.getSnapshot()).toMatchObject({
      status: 'grace',
      graceEndsAt: a.client.getSnapshot().graceEndsAt,
    })
    expect(b.proxy.count()).toBe(0)
  })

  it('a visible follower checks when due while the leader is hidden', async () => {
    await writeRecord(activeRecord(DAY))
    const locks = new FakeLocks()
    const a = openTab(locks)
    await settle()
    const b = openTab(locks)
    await settle()
    a.visibility.set(false)
    b.visibility.set(false)
    await advance(7 * DAY)
    expect(total(a, b)).toBe(0)
    b.visibility.set(true)
    await settle()
    expect(b.proxy.count('validate')).toBe(1)
    expect(a.client.getSnapshot().source).toBe('server')
    a.visibility.set(true)
    await settle()
    expect(a.proxy.count()).toBe(0)
  })

  it('ignores malformed messages on the channel', async () => {
    await writeRecord(activeRecord(DAY))
    const locks = new FakeLocks()
    const a = openTab(locks)
    await settle()
    const intruder = new BroadcastChannel(`${recordKey()}#${run}`)
    intruder.postMessage({ licensekit: 1, kind: 'definite', record: { v: 1, license: 'all' } })
    intruder.postMessage('hello')
    await settle()
    intruder.close()
    expect(a.client.getSnapshot()).toMatchObject({ status: 'active', source: 'cache' })
  })

  it('a forged definite message from same-origin script does not turn a revoked tab active', async () => {
    const checkedAt = new Date(Date.now() - DAY).toISOString()
    await writeRecord(activeRecord(DAY, { lastActiveAt: null, reason: 'revoked', checkedAt }))
    const a = openTab(new FakeLocks())
    await settle()
    expect(a.client.getSnapshot()).toMatchObject({ status: 'denied', reason: 'revoked' })
    const intruder = new BroadcastChannel(`${recordKey()}#${run}`)
    intruder.postMessage({ licensekit: 1, kind: 'definite', record: activeRecord(0) })
    intruder.postMessage({ licensekit: 1, kind: 'definite' })
    await settle()
    intruder.close()
    expect(a.client.getSnapshot()).toMatchObject({ status: 'denied', reason: 'revoked' })
    expect(await readRecord()).toMatchObject({ reason: 'revoked', lastActiveAt: null })
  })

  it('a hint re-reads storage, and a record written there by script must pass the receipt check', async () => {
    const keys = await generateSigningKeys()
    const a = openTab(new FakeLocks(), {
      receipts: verifyReceipts(keys.publicJwk),
      domain: 'shop.example',
    })
    await settle()
    expect(a.client.getSnapshot()).toMatchObject({ status: 'unlicensed' })
    await writeRecord(activeRecord(DAY))
    const intruder = new BroadcastChannel(`${recordKey()}#${run}`)
    intruder.postMessage({ licensekit: 1, kind: 'definite' })
    await settle()
    intruder.close()
    expect(a.client.getSnapshot()).toMatchObject({ status: 'denied', reason: 'tampered' })
    expect(a.proxy.count()).toBe(0)
  })

  it('without Web Locks or BroadcastChannel each client works alone', async () => {
    await writeRecord(activeRecord(DAY))
    const a = openTab(null, { channel: null })
    const b = openTab(null, { channel: null })
    await settle()
    expect(a.channels.opened + b.channels.opened).toBe(0)
    await advance(6 * DAY)
    expect(a.proxy.count('validate')).toBe(1)
    expect(b.proxy.count('validate')).toBe(1)
    expect(a.client.getSnapshot()).toMatchObject({ status: 'active', source: 'server' })
    expect(b.client.getSnapshot()).toMatchObject({ status: 'active', source: 'server' })
  })

  it('stop releases the lock, closes the channel and clears every timer', async () => {
    await writeRecord(activeRecord(DAY))
    const locks = new FakeLocks()
    const a = openTab(locks)
    await settle()
    a.client.stop()
    await settle()
    expect(locks.holder(recordKey())).toBe(false)
    expect(a.channels).toEqual({ opened: 1, closed: 1 })
    expect(vi.getTimerCount()).toBe(0)
    expect(a.visibility.added).toBe(a.visibility.removed)
    expect(a.online.added).toBe(a.online.removed)
  })
})
