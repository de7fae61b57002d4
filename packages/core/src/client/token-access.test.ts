// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { licenseSubject } from '../tokens/claims.js'
import { generateSigningKeys } from '../tokens/keys.js'
import { signLicenseToken } from '../tokens/sign-license-token.js'
import { deferred, granted, LICENSE, refused } from './test-support/fake-proxy.js'
import { settle } from './test-support/fakes.js'
import {
  activeRecord,
  DOMAIN,
  freshIndexedDb,
  type Harness,
  harness,
  KEY,
  T0,
  useClock,
  writeRecord,
} from './test-support/harness.js'
import { type LicenseTokenAccess, tokenAccess } from './token-access.js'
import type { LicenseClient } from './types.js'

const keys = await generateSigningKeys()
const HOUR = 60 * 60 * 1000
const TTL_SECONDS = 24 * 60 * 60

/** A token as the proxy signs it at the current (fake) time, living one day. */
async function tokenNow(): Promise<string> {
  const iat = Math.floor(Date.now() / 1000)
  return signLicenseToken(keys.privateJwk, {
    iss: 'licensekit',
    sub: await licenseSubject(KEY),
    aud: DOMAIN,
    st: 'active',
    lexp: null,
    ent: { export: true },
    iat,
    exp: iat + TTL_SECONDS,
  })
}

interface AppCall {
  url: string
  headers: Headers
}

type TokenClient = LicenseClient & LicenseTokenAccess

let h: Harness
let client: TokenClient | undefined
let appCalls: AppCall[]

/** Calls to the proxy go to the scripted proxy; any other URL is the app's own route. */
const routedFetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
  const request = new Request(input, init)
  if (new URL(request.url).pathname.startsWith('/api/license/')) return h.proxy.fetch(request)
  appCalls.push({ url: request.url, headers: request.headers })
  return new Response('ok')
}

/** A client with `tokenAccess` over it, sending the app's requests through `routedFetch`. */
function created(): TokenClient {
  const c = h.create({ fetch: routedFetch })
  return { ...c, ...tokenAccess(c, { fetch: routedFetch }) }
}

beforeEach(() => {
  useClock()
  freshIndexedDb()
  h = harness()
  appCalls = []
  h.proxy.reply(async () => granted(LICENSE, { receipt: await tokenNow() }))
})

afterEach(() => {
  client?.stop()
  client = undefined
  vi.useRealTimers()
})

async function activated(): Promise<{ client: TokenClient; token: string }> {
  const c = created()
  client = c
  c.start()
  await settle()
  await c.activate(KEY)
  const token = await c.getToken()
  if (token === null) throw new Error('no token after activation')
  return { client: c, token }
}

describe('getToken', () => {
  it('resolves the stored token as is while it is younger than half its lifetime', async () => {
    const { client, token } = await activated()
    vi.setSystemTime(T0 + 11 * HOUR)
    expect(await client.getToken()).toBe(token)
    expect(h.proxy.count('validate')).toBe(0)
  })

  it('validates first once the token is older than half its lifetime, and resolves the new one', async () => {
    const { client, token } = await activated()
    vi.setSystemTime(T0 + 13 * HOUR)
    const renewed = await client.getToken()
    expect(h.proxy.count('validate')).toBe(1)
    expect(renewed).not.toBe(token)
    expect(renewed).toBe(await client.getToken())
    expect(h.proxy.count('validate')).toBe(1)
  })

  it('shares one validation among concurrent calls', async () => {
    const { client } = await activated()
    vi.setSystemTime(T0 + 13 * HOUR)
    const answer = deferred<Response>()
    h.proxy.reply(() => answer.promise)
    const calls = [client.getToken(), client.getToken(), client.fetch('http://localhost/api/x')]
    await settle()
    expect(h.proxy.count('validate')).toBe(1)
    const renewed = await tokenNow()
    answer.resolve(granted(LICENSE, { receipt: renewed }))
    const [first, second] = await Promise.all(calls)
    expect([first, second]).toEqual([renewed, renewed])
    expect(appCalls[0]?.headers.get('authorization')).toBe(`License ${renewed}`)
    expect(h.proxy.count('validate')).toBe(1)
  })

  it('while loading, waits for the check under way rather than use a stored token', async () => {
    // A clock behind the record's high-water mark: the start stays loading until the proxy answers.
    const record = activeRecord(0, { receipt: await tokenNow(), highWaterMark: T0 + HOUR })
    await writeRecord(record)
    const answer = deferred<Response>()
    h.proxy.reply(() => answer.promise)
    client = created()
    client.start()
    await settle()
    expect(client.getSnapshot()).toMatchObject({ status: 'loading', isChecking: true })
    const pending = client.getToken()
    await settle()
    expect(h.proxy.count('validate')).toBe(1)
    const renewed = await tokenNow()
    answer.resolve(granted(LICENSE, { receipt: renewed }))
    expect(await pending).toBe(renewed)
    expect(h.proxy.count('validate')).toBe(1)
  })

  it('resolves null without a request when there is no key', async () => {
    client = created()
    client.start()
    await settle()
    expect(await client.getToken()).toBeNull()
    expect(h.proxy.count()).toBe(0)
  })

  it('resolves null once the proxy refuses the license', async () => {
    const { client } = await activated()
    vi.setSystemTime(T0 + 13 * HOUR)
    h.proxy.reply(() => refused(403, 'revoked'))
    expect(await client.getToken()).toBeNull()
    expect(client.getSnapshot()).toMatchObject({ status: 'denied', reason: 'revoked' })
  })

  it('resolves null when the proxy gives no token', async () => {
    h.proxy.reply(() => granted(LICENSE))
    client = created()
    client.start()
    await settle()
    await client.activate(KEY)
    expect(await client.getToken()).toBeNull()
    expect(h.proxy.count('validate')).toBe(1)
  })

  it('keeps the last token while the proxy is unreachable, until that token expires', async () => {
    const { client, token } = await activated()
    h.proxy.reply(() => 'network-error')
    vi.setSystemTime(T0 + 13 * HOUR)
    expect(await client.getToken()).toBe(token)
    expect(client.getSnapshot().status).toBe('grace')
    vi.setSystemTime(T0 + 25 * HOUR)
    expect(await client.getToken()).toBeNull()
    expect(client.getSnapshot().status).toBe('grace')
    expect(h.proxy.count('validate')).toBe(2)
  })
})

describe('fetch', () => {
  it('adds Authorization: License <token>', async () => {
    const { client, token } = await activated()
    const response = await client.fetch('http://localhost/api/premium/export.csv', {
      headers: { accept: 'text/csv' },
    })
    expect(await response.text()).toBe('ok')
    expect(appCalls[0]?.headers.get('authorization')).toBe(`License ${token}`)
    expect(appCalls[0]?.headers.get('accept')).toBe('text/csv')
  })

  it('adds the header to the headers of a Request input', async () => {
    const { client, token } = await activated()
    const request = new Request('http://localhost/api/x', { headers: { 'x-app': '1' } })
    await client.fetch(request)
    expect(appCalls[0]?.headers.get('authorization')).toBe(`License ${token}`)
    expect(appCalls[0]?.headers.get('x-app')).toBe('1')
  })

  it('never replaces an Authorization header already set', async () => {
    await activated()
    await client?.fetch('http://localhost/api/x', { headers: { Authorization: 'Bearer app' } })
    const request = new Request('http://localhost/api/y', {
      headers: { authorization: 'Bearer request' },
    })
    await client?.fetch(request)
    expect(appCalls.map((call) => call.headers.get('authorization'))).toEqual([
      'Bearer app',
      'Bearer request',
    ])
  })

  it('sends no Authorization header when there is no token', async () => {
    client = created()
    client.start()
    await settle()
    await client.fetch('http://localhost/api/x')
    expect(appCalls).toHaveLength(1)
    expect(appCalls[0]?.headers.has('authorization')).toBe(false)
  })
})
