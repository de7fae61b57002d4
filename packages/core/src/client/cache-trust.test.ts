// @vitest-environment happy-dom
import { createStore, set } from 'idb-keyval'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { encodeBase64Url } from '../tokens/base64url.js'
import { type LicenseTokenClaims, licenseSubject } from '../tokens/claims.js'
import { generateSigningKeys } from '../tokens/keys.js'
import { signLicenseToken } from '../tokens/sign-license-token.js'
import { DEVICE_ID_STORAGE_KEY, deviceBinding } from './device-id.js'
import { verifyReceipts } from './receipt-check.js'
import type { LicenseRecord } from './record.js'
import { createWebStorage } from './storage.js'
import { deferred, granted, LICENSE, refused } from './test-support/fake-proxy.js'
import { settle } from './test-support/fakes.js'
import {
  activeRecord,
  DAY,
  DOMAIN,
  freshIndexedDb,
  type Harness,
  harness,
  KEY,
  OTHER_KEY,
  readRecord,
  recordKey,
  T0,
  useClock,
  writeRecord,
} from './test-support/harness.js'
import type { LicenseClient } from './types.js'

const keys = await generateSigningKeys()
const otherKeys = await generateSigningKeys()
const EXPIRES = '2027-01-01T00:00:00.000Z'
const LICENSE_WITH_EXPIRY = { ...LICENSE, expiresAt: EXPIRES }

let h: Harness
let client: LicenseClient | undefined

beforeEach(() => {
  useClock()
  freshIndexedDb()
  h = harness()
})

afterEach(() => {
  client?.stop()
  client = undefined
  vi.useRealTimers()
})

/** Receipt checks run WebCrypto off the event loop: wait until the client has settled. */
async function idle(c: LicenseClient): Promise<void> {
  await vi.waitFor(() => {
    const state = c.getSnapshot()
    expect(state.status !== 'loading' && !state.isChecking).toBe(true)
  })
  await settle()
}

async function started(options: Parameters<Harness['create']>[0] = {}): Promise<LicenseClient> {
  const c = h.create({ receipts: verifyReceipts(keys.publicJwk), ...options })
  client = c
  c.start()
  await idle(c)
  return c
}

async function claimsFor(
  key: string | null,
  edit: Partial<LicenseTokenClaims> = {},
): Promise<LicenseTokenClaims> {
  const iat = edit.iat ?? Math.floor((T0 - DAY) / 1000)
  return {
    iss: 'licensekit',
    sub: await licenseSubject(key ?? 'ANY-0000-0000-0000-0000'),
    aud: DOMAIN,
    st: 'active',
    lexp: Date.parse(EXPIRES) / 1000,
    ent: {},
    iat,
    exp: iat + 86_400,
    ...edit,
  }
}

/** A record as the client writes it after an `active` answer a day ago, with a valid receipt. */
async function signedRecord(
  edit: Partial<LicenseTokenClaims> = {},
  signer = keys.privateJwk,
): Promise<LicenseRecord> {
  const receipt = await signLicenseToken(signer, await claimsFor(KEY, edit))
  return activeRecord(DAY, { license: LICENSE_WITH_EXPIRY, receipt })
}

describe('5. receipts', () => {
  it('uses a cache entry whose receipt verifies and matches', async () => {
    await writeRecord(await signedRecord())
    const c = await started()
    expect(c.getSnapshot()).toMatchObject({ status: 'active', source: 'cache' })
    expect(h.proxy.count()).toBe(0)
  })

  it('stores the receipt from activation and trusts it on the next start', async () => {
    const receipt = await signLicenseToken(
      keys.privateJwk,
      await claimsFor(KEY, { iat: Math.floor(T0 / 1000) }),
    )
    h.proxy.reply(() => granted(LICENSE_WITH_EXPIRY, { receipt }))
    const c = await started()
    await c.activate(KEY)
    c.stop()
    const next = await started()
    expect(next.getSnapshot()).toMatchObject({ status: 'active', source: 'cache' })
    expect(h.proxy.count()).toBe(1)
  })

  const tampering: [string, () => Promise<unknown>][] = [
    ['no receipt', async () => activeRecord(DAY, { license: LICENSE_WITH_EXPIRY })],
    ['a receipt signed by another key', async () => signedRecord({}, otherKeys.privateJwk)],
    ['a receipt for another key', async () => ({ ...(await signedRecord()), key: OTHER_KEY })],
    ['a receipt for another domain', async () => signedRecord({ aud: 'evil.example' })],
    [
      'a receipt issued in the future',
      async () => signedRecord({ iat: Math.floor((T0 + 10 * 60_000) / 1000) }),
    ],
    ['a receipt for another status', async () => signedRecord({ st: 'revoked' })],
    [
      'an edited expiry',
      async () => ({
        ...(await signedRecord()),
        license: { ...LICENSE_WITH_EXPIRY, expiresAt: '2099-01-01T00:00:00.000Z' },
      }),
    ],
    [
      'a removed expiry',
      async () => ({
        ...(await signedRecord()),
        license: { ...LICENSE_WITH_EXPIRY, expiresAt: null },
      }),
    ],
    [
      'an edited receipt body',
      async () => {
        const record = await signedRecord()
        const [header = '', body = '', signature = ''] = (record.receipt ?? '').split('.')
        const claims = JSON.parse(atob(body.replace(/-/g, '+').replace(/_/g, '/')))
        const forged = btoa(JSON.stringify({ ...claims, lexp: null }))
          .replace(/\+/g, '-')
          .replace(/\//g, '_')
          .replace(/=+$/, '')
        return { ...record, receipt: `${header}.${forged}.${signature}` }
      },
    ],
    ['a garbage receipt', async () => ({ ...(await signedRecord()), receipt: 'not-a-receipt' })],
  ]

  it.each(tampering)('refuses a cache entry with %s (tampered)', async (_label, build) => {
    await writeRecord(await build())
    h.proxy.reply(() => 'network-error')
    const c = await started()
    expect(h.proxy.count('validate')).toBe(1)
    expect(c.getSnapshot()).toMatchObject({ status: 'denied', reason: 'tampered' })
  })

  describe('from web storage (createWebStorage)', () => {
    const webStorage = () => ({ storage: createWebStorage() })
    const store = (record: unknown) => localStorage.setItem(recordKey(), JSON.stringify(record))

    beforeEach(() => localStorage.clear())

    it('trusts a record whose receipt verifies, without opening IndexedDB', async () => {
      const open = vi.spyOn(globalThis.indexedDB, 'open')
      store(await signedRecord())
      const c = await started(webStorage())
      expect(c.getSnapshot()).toMatchObject({ status: 'active', source: 'cache' })
      expect(h.proxy.count()).toBe(0)
      expect(open).not.toHaveBeenCalled()
    })

    it.each(tampering)('refuses a record with %s (tampered)', async (_label, build) => {
      store(await build())
      h.proxy.reply(() => 'network-error')
      const c = await started(webStorage())
      expect(h.proxy.count('validate')).toBe(1)
      expect(c.getSnapshot()).toMatchObject({ status: 'denied', reason: 'tampered' })
    })

    it('ignores a stored value that is not JSON and reports it', async () => {
      localStorage.setItem(recordKey(), '{"v":1,')
      const c = await started(webStorage())
      expect(c.getSnapshot()).toMatchObject({ status: 'unlicensed', source: 'none' })
      expect(h.errors).toEqual([expect.objectContaining({ code: 'invalid_payload' })])
    })
  })

  it('shows tampered while checking, then follows the server', async () => {
    await writeRecord({ ...(await signedRecord()), key: OTHER_KEY })
    const seen: string[] = []
    client = h.create({ receipts: verifyReceipts(keys.publicJwk) })
    client.subscribe(() => {
      const state = client?.getSnapshot()
      seen.push(`${state?.status}:${state?.reason}:${state?.source}`)
    })
    client.start()
    await vi.waitFor(() => expect(client?.getSnapshot().source).toBe('server'))
    expect(seen).toContain('denied:tampered:cache')
    expect(seen).not.toContain('active:null:cache')
    expect(seen).not.toContain('grace:unreachable:cache')
    expect(client.getSnapshot()).toMatchObject({ status: 'active', source: 'server' })
    expect(h.proxy.calls[0]?.body).toEqual({ key: OTHER_KEY })
  })

  it('does not extend grace through an edited lastActiveAt: grace counts from the signed iat', async () => {
    const record = await signedRecord({ iat: Math.floor((T0 - 6 * DAY) / 1000) })
    await writeRecord({ ...record, lastActiveAt: new Date(T0).toISOString() })
    const c = await started()
    h.proxy.reply(() => 'network-error')
    await c.refresh()
    expect(c.getSnapshot()).toMatchObject({
      status: 'grace',
      graceEndsAt: new Date(T0 + DAY).toISOString(),
    })
  })

  it('refuses a receipt key given the way it was before receipts were an opt-in, and any other value', () => {
    for (const options of [{ receiptPublicKey: keys.publicJwk }, { receipts: keys.publicJwk }]) {
      expect(() => h.create(options as object)).toThrow(
        expect.objectContaining({ name: 'LicenseError', code: 'invalid_config' }),
      )
    }
  })

  it('without receipts ignores receipts entirely', async () => {
    await writeRecord({ ...(await signedRecord()), receipt: 'garbage' })
    const c = await started({ receipts: undefined })
    expect(c.getSnapshot()).toMatchObject({ status: 'active', source: 'cache' })
  })

  it('in installation mode checks signature, domain and fields (the subject cannot be checked)', async () => {
    const { key: _key, ...record } = await signedRecord()
    await writeRecord(record, 'installation')
    const c = await started({ mode: 'installation' })
    expect(c.getSnapshot()).toMatchObject({ status: 'active', source: 'cache' })
    c.stop()
    const { key: _other, ...wrongDomain } = await signedRecord({ aud: 'evil.example' })
    await writeRecord(wrongDomain, 'installation')
    h.proxy.reply(() => 'network-error')
    const next = await started({ mode: 'installation' })
    expect(next.getSnapshot()).toMatchObject({ status: 'denied', reason: 'tampered' })
  })
})

describe('6. clock rollback', () => {
  it('does not trust the cache when the clock is more than 5 minutes behind the high-water mark', async () => {
    await writeRecord(activeRecord(DAY, { highWaterMark: T0 + 6 * 60_000 }))
    const seen: string[] = []
    h.proxy.reply(() => 'network-error')
    client = h.create()
    client.subscribe(() => seen.push(client?.getSnapshot().status ?? ''))
    client.start()
    await idle(client)
    expect(seen).not.toContain('active')
    expect(seen).not.toContain('grace')
    expect(client.getSnapshot()).toMatchObject({ status: 'denied', reason: 'grace_expired' })
  })

  it('stays loading while the check is out; a definite answer restores trust in the clock', async () => {
    await writeRecord(activeRecord(DAY, { highWaterMark: T0 + 60 * 60_000 }))
    const answer = deferred<Response>()
    h.proxy.reply(() => answer.promise)
    const c = h.create()
    client = c
    c.start()
    await settle()
    expect(c.getSnapshot()).toMatchObject({ status: 'loading', isChecking: true })
    answer.resolve(granted())
    await settle()
    expect(c.getSnapshot()).toMatchObject({ status: 'active', source: 'server' })
    expect(await readRecord()).toMatchObject({ highWaterMark: T0 })
    c.stop()
    const next = await started({ receipts: undefined })
    expect(next.getSnapshot()).toMatchObject({ status: 'active', source: 'cache' })
  })

  it('counts server time into the mark', async () => {
    await writeRecord(activeRecord(DAY))
    const c = await started({ receipts: undefined })
    h.proxy.reply(() => granted(LICENSE, { checkedAt: new Date(T0 + 10 * 60_000).toISOString() }))
    await c.refresh()
    expect(await readRecord()).toMatchObject({ highWaterMark: T0 + 10 * 60_000 })
    c.stop()
    h.proxy.reply(() => 'network-error')
    const next = await started({ receipts: undefined })
    expect(next.getSnapshot()).toMatchObject({ status: 'denied', reason: 'grace_expired' })
  })

  it('counts its own clock into the mark: setting it back after grace ran out brings no grace back', async () => {
    await writeRecord(activeRecord(8 * DAY))
    h.proxy.reply(() => 'network-error')
    const c = await started({ receipts: undefined })
    expect(c.getSnapshot()).toMatchObject({ status: 'denied', reason: 'grace_expired' })
    const stored = (await readRecord()) as LicenseRecord
    expect(stored.highWaterMark).toBeGreaterThanOrEqual(T0)
    c.stop()
    vi.setSystemTime(T0 - 5 * DAY)
    const next = await started({ receipts: undefined })
    expect(next.getSnapshot()).toMatchObject({ status: 'denied', reason: 'grace_expired' })
  })

  it('tolerates up to 5 minutes', async () => {
    await writeRecord(activeRecord(DAY, { highWaterMark: T0 + 5 * 60_000 }))
    const c = await started({ receipts: undefined })
    expect(c.getSnapshot()).toMatchObject({ status: 'active', source: 'cache' })
    expect(h.proxy.count()).toBe(0)
  })
})

describe("5b. receipts under binding: 'device'", () => {
  const DEVICE = 'abcdefghijklmnopqrstuvwxyz'

  async function withDevice(aud: string): Promise<void> {
    await set(DEVICE_ID_STORAGE_KEY, DEVICE, createStore('licensekit', 'licenses'))
    await writeRecord(await signedRecord({ aud }))
  }

  it('trusts a receipt issued to <device>.<domain>', async () => {
    await withDevice(`${DEVICE}.${DOMAIN}`)
    const c = await started({ binding: deviceBinding() })
    expect(c.getSnapshot()).toMatchObject({ status: 'active', source: 'cache' })
    expect(h.proxy.count()).toBe(0)
  })

  it.each([
    ['the bare site domain', DOMAIN],
    ['another device of the site', `${'b'.repeat(26)}.${DOMAIN}`],
  ])('refuses a receipt issued to %s', async (_label, aud) => {
    await withDevice(aud)
    h.proxy.reply(() => deferred<Response>().promise)
    const c = h.create({ receipts: verifyReceipts(keys.publicJwk), binding: deviceBinding() })
    client = c
    c.start()
    await vi.waitFor(() => expect(c.getSnapshot().status).not.toBe('loading'))
    expect(c.getSnapshot()).toMatchObject({ status: 'denied', reason: 'tampered' })
  })

  it("under binding 'site' refuses a receipt issued to a device", async () => {
    await withDevice(`${DEVICE}.${DOMAIN}`)
    h.proxy.reply(() => deferred<Response>().promise)
    const c = h.create({ receipts: verifyReceipts(keys.publicJwk) })
    client = c
    c.start()
    await vi.waitFor(() => expect(c.getSnapshot().status).not.toBe('loading'))
    expect(c.getSnapshot()).toMatchObject({ status: 'denied', reason: 'tampered' })
  })
})

/** A receipt of the format before license tokens: `base64url(claims).base64url(signature)`. */
async function legacyReceipt(): Promise<string> {
  const claims = {
    v: 1,
    sub: await licenseSubject(KEY),
    aud: DOMAIN,
    st: 'active',
    exp: Date.parse(EXPIRES) / 1000,
    iat: Math.floor((T0 - DAY) / 1000),
  }
  const body = encodeBase64Url(new TextEncoder().encode(JSON.stringify(claims)))
  return `${body}.${encodeBase64Url(new Uint8Array(64).fill(7))}`
}

describe('7. records with an old-format receipt', () => {
  const withReceiptKey = { receipts: verifyReceipts(keys.publicJwk) }
  const withoutReceiptKey = { receipts: undefined }

  async function legacyRecord(): Promise<LicenseRecord> {
    return activeRecord(DAY, { license: LICENSE_WITH_EXPIRY, receipt: await legacyReceipt() })
  }

  function startWatched(options: Parameters<Harness['create']>[0]): string[] {
    const seen: string[] = []
    const c = h.create(options)
    client = c
    c.subscribe(() => seen.push(`${c.getSnapshot().status}:${c.getSnapshot().reason}`))
    c.start()
    return seen
  }

  it.each([
    ['with', withReceiptKey],
    ['without', withoutReceiptKey],
  ])(
    '%s a receipt key: loading at start, checked at once, replaced by the answer',
    async (_label, options) => {
      await writeRecord(await legacyRecord())
      const token = await signLicenseToken(
        keys.privateJwk,
        await claimsFor(KEY, { iat: Math.floor(T0 / 1000) }),
      )
      const answer = deferred<Response>()
      h.proxy.reply(() => answer.promise)
      const seen = startWatched(options)
      await vi.waitFor(() => expect(h.proxy.count('validate')).toBe(1))
      expect(client?.getSnapshot()).toMatchObject({ status: 'loading', isChecking: true })
      answer.resolve(granted(LICENSE_WITH_EXPIRY, { receipt: token }))
      await vi.waitFor(() => expect(client?.getSnapshot().source).toBe('server'))
      expect(client?.getSnapshot().status).toBe('active')
      expect(seen.filter((entry) => !entry.startsWith('loading'))).toEqual(['active:null'])
      expect(await readRecord()).toMatchObject({ receipt: token })
    },
  )

  it.each([
    ['with', withReceiptKey],
    ['without', withoutReceiptKey],
  ])(
    '%s a receipt key: an unreachable proxy grants no grace and leaves the record for the next check',
    async (_label, options) => {
      const written = await legacyRecord()
      await writeRecord(written)
      h.proxy.reply(() => 'network-error')
      const seen = startWatched(options)
      await vi.waitFor(() => expect(h.proxy.count('validate')).toBe(1))
      await vi.waitFor(() => expect(client?.getSnapshot().isChecking).toBe(false))
      await settle()
      expect(client?.getSnapshot()).toMatchObject({ status: 'loading', license: null })
      expect(seen.every((entry) => entry.startsWith('loading'))).toBe(true)
      expect(await readRecord()).toEqual({ ...written, highWaterMark: expect.any(Number) })
      h.proxy.reply(() => granted(LICENSE_WITH_EXPIRY))
      await client?.refresh()
      expect(client?.getSnapshot()).toMatchObject({ status: 'active', source: 'server' })
      expect(await readRecord()).not.toHaveProperty('receipt')
    },
  )

  it('a definite refusal replaces the record', async () => {
    await writeRecord(await legacyRecord())
    h.proxy.reply(() => refused(403, 'revoked'))
    startWatched(withReceiptKey)
    await vi.waitFor(() => expect(client?.getSnapshot().status).toBe('denied'))
    expect(client?.getSnapshot().reason).toBe('revoked')
    const stored = (await readRecord()) as LicenseRecord
    expect(stored).toMatchObject({ key: KEY, lastActiveAt: null, reason: 'revoked' })
    expect(stored).not.toHaveProperty('receipt')
  })
})
