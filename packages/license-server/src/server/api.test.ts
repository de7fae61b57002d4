import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { SECRET, signedPost, T0 } from '../test-support/signed-post.js'
import { makeTempDb, type TempDb } from '../test-support/temp-db.js'
import { createLicenseServer, type LicenseServer } from './create-license-server.js'

let temp: TempDb
let server: LicenseServer
let apiBase: string
let nowMs: number
const logs: string[] = []

beforeEach(async () => {
  temp = makeTempDb()
  nowMs = T0
  logs.length = 0
  server = createLicenseServer({
    db: temp.path,
    secret: SECRET,
    now: () => nowMs,
    log: (line) => logs.push(line),
  })
  apiBase = (await server.listen()).apiBase
})

afterEach(async () => {
  await server.close()
  temp.remove()
})

const issue = (limit = 3, expiresAt: string | null = null) =>
  server.store.issue({ prefix: 'SHOP', limit, expiresAt })[0] as string

describe('POST /api/licenses/validate', () => {
  it('reports an active license with its counts', async () => {
    const key = issue(3, '2027-02-16')
    await signedPost(apiBase, 'activate', key, 'a.example')
    const answer = await signedPost(apiBase, 'validate', key, 'other.example')
    expect(answer).toEqual({
      status: 200,
      body: {
        valid: true,
        license: {
          key,
          status: 'active',
          expiresAt: '2027-02-16T00:00:00.000Z',
          activationsCount: 1,
          activationsLimit: 3,
          features: [],
          seats: null,
        },
      },
    })
  })

  it('reports the features and seats a license was issued with', async () => {
    const [key = ''] = server.store.issue({
      prefix: 'SHOP',
      limit: 1,
      features: ['export', 'forecast'],
      seats: 5,
    })
    const answer = await signedPost(apiBase, 'validate', key, 'a.example')
    expect(answer.body).toMatchObject({
      valid: true,
      license: { key, features: ['export', 'forecast'], seats: 5 },
    })
  })

  it('answers 404 "License not found" for an unknown or non-canonical key', async () => {
    for (const key of ['SHOP-AAAA-BBBB-CCCC-DDDD', 'shop-aaaa-bbbb-cccc-dddd', 'nonsense']) {
      expect(await signedPost(apiBase, 'validate', key, 'a.example')).toEqual({
        status: 404,
        body: { valid: false, message: 'License not found' },
      })
    }
  })

  it('refuses suspended, revoked and expired licenses with 403 and the guide’s messages', async () => {
    const suspended = issue()
    server.store.suspend(suspended)
    const revoked = issue()
    server.store.revoke(revoked)
    const expired = issue()
    server.store.expire(expired)
    const cases = [
      [suspended, 'License suspended'],
      [revoked, 'License revoked'],
      [expired, 'License expired'],
    ] as const
    for (const [key, message] of cases) {
      expect(await signedPost(apiBase, 'validate', key, 'a.example')).toEqual({
        status: 403,
        body: { valid: false, message },
      })
    }
  })

  it('computes expiry at request time from expiresAt', async () => {
    const key = issue(3, '2026-01-02')
    const before = await signedPost(apiBase, 'validate', key, 'a.example')
    expect(before.status).toBe(200)
    nowMs = Date.UTC(2026, 0, 2)
    const after = await signedPost(apiBase, 'validate', key, 'a.example', {
      timestamp: nowMs / 1000,
    })
    expect(after).toEqual({ status: 403, body: { valid: false, message: 'License expired' } })
  })

  it('treats a license past its date as expired even when suspended or revoked', async () => {
    const key = issue(3, '2025-12-31')
    server.store.revoke(key)
    const answer = await signedPost(apiBase, 'validate', key, 'a.example')
    expect(answer.body).toEqual({ valid: false, message: 'License expired' })
  })
})

describe('signature and timestamp', () => {
  it('answers 401 "Invalid signature" for a wrong, missing or malformed signature', async () => {
    const key = issue()
    const signatures = ['0'.repeat(64), null, 'not-hex', 'A'.repeat(64)]
    for (const signature of signatures) {
      expect(await signedPost(apiBase, 'validate', key, 'a.example', { signature })).toEqual({
        status: 401,
        body: { valid: false, message: 'Invalid signature' },
      })
    }
    const otherSecret = await signedPost(apiBase, 'validate', key, 'a.example', {
      secret: 'another-secret-of-16-bytes',
    })
    expect(otherSecret.status).toBe(401)
  })

  it('checks the signature before any lookup: an unknown key with a bad signature is a 401', async () => {
    const answer = await signedPost(apiBase, 'activate', 'SHOP-AAAA-BBBB-CCCC-DDDD', 'a.example', {
      secret: 'another-secret-of-16-bytes',
    })
    expect(answer).toEqual({
      status: 401,
      body: { activated: false, message: 'Invalid signature' },
    })
  })

  it('signs every field of the body: an extra field is covered by the signature', async () => {
    const key = issue()
    const signed = await signedPost(apiBase, 'validate', key, 'a.example', {
      extra: { fingerprint: 'abc123' },
    })
    expect(signed.status).toBe(200)
  })

  it('accepts a timestamp up to 300 s off in either direction and refuses one further off', async () => {
    const key = issue()
    const t = T0 / 1000
    for (const timestamp of [t - 300, t + 300]) {
      expect((await signedPost(apiBase, 'validate', key, 'a.example', { timestamp })).status).toBe(
        200,
      )
    }
    for (const timestamp of [t - 301, t + 301]) {
      expect(await signedPost(apiBase, 'validate', key, 'a.example', { timestamp })).toEqual({
        status: 401,
        body: { valid: false, message: 'Request expired' },
      })
    }
  })
})

describe('POST /api/licenses/activate', () => {
  it('takes a slot per domain and is idempotent for a domain that holds one', async () => {
    const key = issue(2)
    const first = await signedPost(apiBase, 'activate', key, 'a.example')
    expect(first).toEqual({
      status: 200,
      body: { activated: true, activationsCount: 1, activationsLimit: 2 },
    })
    const again = await signedPost(apiBase, 'activate', key, 'a.example', {
      timestamp: T0 / 1000 + 1,
    })
    expect(again).toEqual(first)
    expect(server.store.get(key)?.domains).toEqual(['a.example'])
  })

  it('answers 409 "Activation limit reached" once every slot is taken', async () => {
    const key = issue(1)
    await signedPost(apiBase, 'activate', key, 'a.example')
    expect(await signedPost(apiBase, 'activate', key, 'b.example')).toEqual({
      status: 409,
      body: { activated: false, message: 'Activation limit reached' },
    })
    expect(server.store.get(key)?.activationsCount).toBe(1)
  })

  it('refuses a suspended license with 403', async () => {
    const key = issue()
    server.store.suspend(key)
    expect(await signedPost(apiBase, 'activate', key, 'a.example')).toEqual({
      status: 403,
      body: { activated: false, message: 'License suspended' },
    })
  })

  it('gives exactly 3 of 20 concurrent activations from 20 domains on a limit-3 license', async () => {
    const key = issue(3)
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => signedPost(apiBase, 'activate', key, `d${i}.example`)),
    )
    const statuses = answers.map((answer) => answer.status)
    expect(statuses.filter((status) => status === 200)).toHaveLength(3)
    expect(statuses.filter((status) => status === 409)).toHaveLength(17)
    const counts = answers.filter((a) => a.status === 200).map((a) => a.body.activationsCount)
    expect(counts.sort()).toEqual([1, 2, 3])
    expect(server.store.get(key)?.activationsCount).toBe(3)
  })
})

describe('POST /api/licenses/deactivate', () => {
  it('frees the slot of an activated domain', async () => {
    const key = issue(1)
    await signedPost(apiBase, 'activate', key, 'a.example')
    const later = { timestamp: T0 / 1000 + 1 }
    expect(await signedPost(apiBase, 'deactivate', key, 'a.example', later)).toEqual({
      status: 200,
      body: { deactivated: true, activationsCount: 0 },
    })
    const next = await signedPost(apiBase, 'activate', key, 'b.example')
    expect(next.body).toEqual({ activated: true, activationsCount: 1, activationsLimit: 1 })
  })

  it('answers 409 "Activation not found" for a domain without a slot, changing no count', async () => {
    const key = issue(3)
    await signedPost(apiBase, 'activate', key, 'a.example')
    expect(await signedPost(apiBase, 'deactivate', key, 'b.example')).toEqual({
      status: 409,
      body: { deactivated: false, message: 'Activation not found' },
    })
    expect(server.store.get(key)?.domains).toEqual(['a.example'])
  })

  it.each([
    ['revoked', 'revoke'],
    ['suspended', 'suspend'],
    ['expired', 'expire'],
  ] as const)(
    'frees the slot of a %s license (200), and only that slot',
    async (_status, change) => {
      const key = issue(3)
      await signedPost(apiBase, 'activate', key, 'a.example')
      await signedPost(apiBase, 'activate', key, 'b.example')
      server.store[change](key)
      expect(
        await signedPost(apiBase, 'deactivate', key, 'a.example', { timestamp: T0 / 1000 + 1 }),
      ).toEqual({
        status: 200,
        body: { deactivated: true, activationsCount: 1 },
      })
      expect(server.store.get(key)?.domains).toEqual(['b.example'])
      const later = { timestamp: T0 / 1000 + 2 }
      expect((await signedPost(apiBase, 'activate', key, 'a.example', later)).status).toBe(403)
    },
  )

  it('answers 404 "License not found" for an unknown key', async () => {
    const answer = await signedPost(apiBase, 'deactivate', 'SHOP-AAAA-BBBB-CCCC-DDDD', 'a.example')
    expect(answer).toEqual({
      status: 404,
      body: { deactivated: false, message: 'License not found' },
    })
  })
})

describe('replays within the timestamp window', () => {
  const replayed = (flag: string) => ({
    status: 401,
    body: { [flag]: false, message: 'Request replayed' },
  })

  it('refuses a captured validate replayed to /deactivate, and the slot stays taken', async () => {
    const key = issue(1)
    await signedPost(apiBase, 'activate', key, 'a.example', { timestamp: T0 / 1000 - 1 })
    expect((await signedPost(apiBase, 'validate', key, 'a.example')).status).toBe(200)
    expect(await signedPost(apiBase, 'deactivate', key, 'a.example')).toEqual(
      replayed('deactivated'),
    )
    expect(server.store.get(key)?.domains).toEqual(['a.example'])
  })

  it('refuses a captured validate replayed to /activate, and no slot is taken', async () => {
    const key = issue(1)
    expect((await signedPost(apiBase, 'validate', key, 'a.example')).status).toBe(200)
    expect(await signedPost(apiBase, 'activate', key, 'a.example')).toEqual(replayed('activated'))
    expect(server.store.get(key)?.activationsCount).toBe(0)
  })

  it('refuses an activation replayed after the slot was freed', async () => {
    const key = issue(1)
    expect((await signedPost(apiBase, 'activate', key, 'a.example')).status).toBe(200)
    const later = { timestamp: T0 / 1000 + 1 }
    expect((await signedPost(apiBase, 'deactivate', key, 'a.example', later)).status).toBe(200)
    expect(await signedPost(apiBase, 'activate', key, 'a.example')).toEqual(replayed('activated'))
    expect(server.store.get(key)?.activationsCount).toBe(0)
  })

  it('refuses a deactivation replayed to /deactivate', async () => {
    const key = issue(2)
    await signedPost(apiBase, 'activate', key, 'a.example', { timestamp: T0 / 1000 - 1 })
    expect((await signedPost(apiBase, 'deactivate', key, 'a.example')).status).toBe(200)
    expect(await signedPost(apiBase, 'deactivate', key, 'a.example')).toEqual(
      replayed('deactivated'),
    )
  })

  it('lets the same validate through again (two checks in one second), changing nothing', async () => {
    const key = issue(1)
    expect((await signedPost(apiBase, 'activate', key, 'a.example')).status).toBe(200)
    for (let i = 0; i < 3; i++) {
      expect((await signedPost(apiBase, 'validate', key, 'a.example')).status).toBe(200)
    }
  })
})

describe('malformed requests and other paths', () => {
  const post = (path: string, body: string, headers: Record<string, string> = {}) =>
    fetch(`${apiBase}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    })

  it('answers 400 with a message for malformed JSON, a non-object or missing fields', async () => {
    const bodies = [
      '{"key":',
      '[]',
      '"text"',
      '{}',
      JSON.stringify({ key: 'SHOP-AAAA-BBBB-CCCC-DDDD', domain: 'a.example' }),
      JSON.stringify({ key: 'SHOP-AAAA-BBBB-CCCC-DDDD', domain: '', timestamp: '1' }),
      JSON.stringify({ key: 'SHOP-AAAA-BBBB-CCCC-DDDD', domain: 'a.example', timestamp: 1 }),
      JSON.stringify({ key: 'SHOP-AAAA-BBBB-CCCC-DDDD', domain: 'a.example', timestamp: 'soon' }),
      JSON.stringify({ key: 'K', domain: 'a.example', timestamp: '1', extra: 2 }),
      JSON.stringify({ key: 'K', domain: 'a&key=B', timestamp: '1' }),
    ]
    for (const body of bodies) {
      const response = await post('/licenses/validate', body, {
        'x-ecosire-signature': 'f'.repeat(64),
      })
      expect(response.status).toBe(400)
      const answer = (await response.json()) as { valid: boolean; message: string }
      expect(answer.valid).toBe(false)
      expect(answer.message.length).toBeGreaterThan(0)
    }
  })

  it('answers 413 for a body over 4 KiB', async () => {
    const response = await post('/licenses/activate', JSON.stringify({ key: 'x'.repeat(5000) }))
    expect(response.status).toBe(413)
    expect(await response.json()).toEqual({ activated: false, message: 'Payload too large' })
  })

  it('answers 405 with Allow: POST for another method on an API path', async () => {
    const response = await fetch(`${apiBase}/licenses/validate`)
    expect(response.status).toBe(405)
    expect(response.headers.get('allow')).toBe('POST')
    expect(await response.json()).toEqual({ valid: false, message: 'Method not allowed' })
  })

  it('answers 404 JSON for every other path', async () => {
    for (const path of ['/licenses', '/licenses/validate/', '/licenses/renew', '/../x']) {
      const response = await post(path, '{}')
      expect(response.status).toBe(404)
      expect(response.headers.get('content-type')).toMatch(/^application\/json/)
      expect(await response.json()).toEqual({ message: 'Not found' })
    }
    const root = await fetch(apiBase.replace(/\/api$/, '/'))
    expect(root.status).toBe(404)
  })
})

describe('request log', () => {
  it('writes one line per request with method, path, status and milliseconds, no secrets', async () => {
    const key = issue()
    await signedPost(apiBase, 'validate', key, 'a.example')
    await fetch(`${apiBase}/nowhere?token=abc`)
    expect(logs).toHaveLength(2)
    expect(logs[0]).toMatch(/^POST \/api\/licenses\/validate 200 \d+ms$/)
    expect(logs[1]).toMatch(/^GET \/api\/nowhere 404 \d+ms$/)
    expect(logs.join('\n')).not.toContain(SECRET)
    expect(logs.join('\n')).not.toContain(key)
  })
})
