import { existsSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { isLicenseKey } from '@licensekit/core'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openLicenseStore } from '../store/license-store.js'
import { fakeIo } from '../test-support/fake-io.js'
import { SECRET, signedPost } from '../test-support/signed-post.js'
import { makeTempDb, type TempDb } from '../test-support/temp-db.js'
import { main } from './main.js'

let temp: TempDb

beforeEach(() => {
  temp = makeTempDb()
})

afterEach(() => {
  temp.remove()
})

async function run(...argv: string[]) {
  const io = fakeIo()
  const code = await main(argv, io)
  return { code, out: io.out, err: io.err }
}

const db = () => ['--db', temp.path]

async function issueOne(limit = 3): Promise<string> {
  const { out } = await run('issue', ...db(), '--prefix', 'SHOP', '--limit', String(limit))
  return out.trim()
}

function expectOneErrorLine(result: { code: number; out: string; err: string }, pattern: RegExp) {
  expect(result.code).not.toBe(0)
  expect(result.out).toBe('')
  expect(result.err.split('\n').filter(Boolean)).toHaveLength(1)
  expect(result.err).toMatch(pattern)
}

describe('issue', () => {
  it('prints the new keys alone, one per line, and nothing else on stdout', async () => {
    const result = await run(
      'issue',
      ...db(),
      '--prefix',
      'SHOP',
      '--limit',
      '3',
      '--expires',
      '2027-02-16',
      '--count',
      '3',
    )
    expect(result.code).toBe(0)
    expect(result.err).toBe('')
    const keys = result.out.split('\n')
    expect(keys.pop()).toBe('')
    expect(keys).toHaveLength(3)
    expect(keys.every((key) => isLicenseKey(key) && key.startsWith('SHOP-'))).toBe(true)
    const store = openLicenseStore(temp.path)
    expect(store.get(keys[0] as string)).toMatchObject({
      activationsLimit: 3,
      expiresAt: '2027-02-16T00:00:00.000Z',
    })
    store.close()
  })

  it.each([
    [['--prefix', 'SHOP', '--expires', '2027-02-30'], /Invalid date "2027-02-30"/],
    [['--prefix', 'SHOP', '--expires', 'next week'], /Invalid date/],
    [['--limit', '3'], /Missing option --prefix/],
    [['--prefix', 'shop!'], /Invalid prefix/],
    [['--prefix', 'SHOP', '--limit', 'three'], /Invalid --limit "three"/],
    [['--prefix', 'SHOP', '--colour', 'red'], /Unknown option '--colour'/],
  ])('refuses %j with exit 2 and one line on stderr, issuing nothing', async (args, message) => {
    const result = await run('issue', ...db(), ...args)
    expectOneErrorLine(result, message)
    expect(result.code).toBe(2)
    expect((await run('list', ...db(), '--json')).out).toBe('[]\n')
  })
})

describe('issue with entitlements', () => {
  it('stores --features and --seats, and show lists them', async () => {
    const issued = await run(
      'issue',
      ...db(),
      '--prefix',
      'SHOP',
      '--features',
      'export, forecast',
      '--seats',
      '5',
    )
    expect(issued.code).toBe(0)
    const key = issued.out.trim()
    const shown = await run('show', key, ...db())
    expect(shown.out).toMatch(/^features\s+export, forecast$/m)
    expect(shown.out).toMatch(/^seats\s+5$/m)
    const json = JSON.parse((await run('show', key, '--json', ...db())).out) as object
    expect(json).toMatchObject({ features: ['export', 'forecast'], seats: 5 })
  })

  it('shows none for a license issued without them', async () => {
    const shown = await run('show', await issueOne(), ...db())
    expect(shown.out).toMatch(/^features\s+\(none\)$/m)
    expect(shown.out).toMatch(/^seats\s+\(none\)$/m)
  })

  it.each([
    [['--features', 'export,export'], /Invalid features/],
    [['--features', 'pdf export'], /Invalid features/],
    [['--seats', 'five'], /Invalid --seats "five"/],
    [['--seats', '2000000'], /Invalid seats 2000000/],
  ])('refuses %j with one line on stderr, issuing nothing', async (args, message) => {
    const result = await run('issue', ...db(), '--prefix', 'SHOP', ...args)
    expectOneErrorLine(result, message)
    expect((await run('list', ...db(), '--json')).out).toBe('[]\n')
  })
})

describe('list and show', () => {
  it('lists every license as a table or as JSON', async () => {
    const first = await issueOne(3)
    const second = await issueOne(1)
    const table = await run('list', ...db())
    expect(table.code).toBe(0)
    const lines = table.out.trim().split('\n')
    expect(lines[0]).toMatch(/^KEY\s+STATUS\s+ACTIVATIONS\s+EXPIRES\s+CREATED$/)
    expect(lines[1]).toMatch(new RegExp(`^${first}\\s+active\\s+0/3\\s+never\\s+`))
    expect(lines[2]).toMatch(new RegExp(`^${second}\\s+active\\s+0/1\\s+never\\s+`))
    const listed = JSON.parse((await run('list', '--json', ...db())).out) as { key: string }[]
    expect(listed.map((license) => license.key)).toEqual([first, second])
  })

  it('says so on stderr when there are no licenses', async () => {
    const result = await run('list', ...db())
    expect(result).toMatchObject({ code: 0, out: '' })
    expect(result.err).toMatch(/No licenses/)
  })

  it('shows status, expiry and every activated domain, accepting options after the key', async () => {
    const key = await issueOne(3)
    const store = openLicenseStore(temp.path)
    store.activate(key, 'a.example')
    store.activate(key, 'b.example')
    store.close()
    const result = await run('show', key.toLowerCase(), ...db())
    expect(result.code).toBe(0)
    expect(result.out).toMatch(new RegExp(`^key\\s+${key}$`, 'm'))
    expect(result.out).toMatch(/^status\s+active$/m)
    expect(result.out).toMatch(/^expires\s+never$/m)
    expect(result.out).toMatch(/^activations\s+2 of 3$/m)
    expect(result.out).toMatch(/^bound names\s+a\.example\s+site\n\s+b\.example\s+site\n$/m)
    const json = JSON.parse((await run('show', key, '--json', ...db())).out) as object
    expect(json).toMatchObject({ key, domains: ['a.example', 'b.example'] })
  })

  it('lists device-bound names as a device of a site, and says when no slot is taken', async () => {
    const key = await issueOne(3)
    expect((await run('show', key, ...db())).out).toMatch(
      /^bound names\s+\(none: no slot is taken\)\n$/m,
    )
    const device = 'k7q2m4x6p3r5t2v7w4y6z3a5bc'
    const store = openLicenseStore(temp.path)
    store.activate(key, `${device}.shop.example`)
    store.activate(key, 'other-shop.example')
    store.close()
    const lines = (await run('show', key, ...db())).out.trim().split('\n').slice(-2)
    expect(lines[0]).toMatch(
      new RegExp(
        `^bound names\\s+${device}\\.shop\\.example\\s+device ${device} on shop\\.example$`,
      ),
    )
    expect(lines[1]).toMatch(/^\s+other-shop\.example\s+site$/)
  })

  it('refuses an unknown or malformed key with one line on stderr', async () => {
    expectOneErrorLine(
      await run('show', 'SHOP-AAAA-BBBB-CCCC-DDDD', ...db()),
      /License not found: SHOP-AAAA-BBBB-CCCC-DDDD/,
    )
    expectOneErrorLine(await run('show', 'not-a-key', ...db()), /Invalid license key/)
    expectOneErrorLine(await run('show', ...db()), /Expected 1 argument, got 0/)
  })
})

describe('status commands', () => {
  it.each([
    ['revoke', 'revoked'],
    ['suspend', 'suspended'],
    ['expire', 'expired'],
  ])('%s KEY prints the key with its new status', async (command, status) => {
    const key = await issueOne()
    expect(await run(command, key, ...db())).toEqual({
      code: 0,
      out: `${key} ${status}\n`,
      err: '',
    })
    expect((await run('show', key, ...db())).out).toMatch(new RegExp(`^status\\s+${status}$`, 'm'))
  })

  it('reinstates a suspended license, and notes that an expired one stays expired', async () => {
    const key = await issueOne()
    await run('suspend', key, ...db())
    expect((await run('reinstate', key, ...db())).out).toBe(`${key} active\n`)
    await run('expire', key, ...db())
    const result = await run('reinstate', key, ...db())
    expect(result.out).toBe(`${key} expired\n`)
    expect(result.err).toMatch(/stays expired/)
  })

  it('refuses an unknown key with exit 1', async () => {
    const result = await run('revoke', 'SHOP-AAAA-BBBB-CCCC-DDDD', ...db())
    expectOneErrorLine(result, /License not found/)
    expect(result.code).toBe(1)
  })
})

describe('seed-demo', () => {
  it('issues one key per state and prints them as a table', async () => {
    const result = await run('seed-demo', ...db())
    expect(result.code).toBe(0)
    const lines = result.out.trim().split('\n')
    expect(lines[0]).toMatch(/^LABEL\s+KEY\s+STATUS\s+LIMIT\s+FEATURES\s+SEATS\s+ACTIVATED ON$/)
    expect(lines[2]).toMatch(
      /^active-limit-1\s+DEMO-\S+\s+active\s+1\s+export,forecast\s+-\s+other-shop\.example$/,
    )
    expect(lines.slice(1).map((line) => line.split(/\s+/)[2])).toEqual([
      'active',
      'active',
      'active',
      'suspended',
      'revoked',
      'expired',
    ])
  })

  it('prints [{label, key, status, limit, features, seats, activatedOn}] with --json, matching the database', async () => {
    const result = await run('seed-demo', '--json', ...db())
    const seeded = JSON.parse(result.out) as {
      label: string
      key: string
      status: string
      limit: number
      features: string[]
      seats: number | null
      activatedOn: string[]
    }[]
    expect(
      seeded.map(({ label, status, limit, activatedOn }) => [label, status, limit, activatedOn]),
    ).toEqual([
      ['active', 'active', 3, []],
      ['active-limit-1', 'active', 1, ['other-shop.example']],
      ['pro-without-export', 'active', 3, []],
      ['suspended', 'suspended', 3, []],
      ['revoked', 'revoked', 3, []],
      ['expired', 'expired', 3, []],
    ])
    expect(seeded[0]).toMatchObject({ features: ['export', 'forecast'], seats: 5 })
    expect(seeded[2]).toMatchObject({ features: ['forecast'], seats: 1 })
    const store = openLicenseStore(temp.path)
    for (const license of seeded) {
      expect(store.get(license.key)).toMatchObject({
        status: license.status,
        features: license.features,
        seats: license.seats,
        domains: license.activatedOn,
      })
    }
    expect(() => store.activate(seeded[1]?.key ?? '', 'localhost')).toThrow(
      expect.objectContaining({ code: 'limit_reached' }),
    )
    store.close()
  })
})

describe('usage', () => {
  it('refuses an unknown command with exit 2 and one line on stderr', async () => {
    const result = await run('frobnicate')
    expectOneErrorLine(result, /unknown command "frobnicate"/)
    expect(result.code).toBe(2)
  })

  it('prints the usage for help, and on stderr with exit 2 when no command is given', async () => {
    const help = await run('help')
    expect(help.code).toBe(0)
    expect(help.out).toMatch(/^Usage: licensekit-server/)
    for (const command of ['start', 'issue', 'list', 'show', 'revoke', 'seed-demo']) {
      expect(help.out).toContain(`  ${command}`)
    }
    const none = await run()
    expect(none.code).toBe(2)
    expect(none.err).toMatch(/^Usage/)
  })
})

describe('start (in process)', () => {
  it('refuses to start without a secret, saying how to set one', async () => {
    const result = await run('start', ...db(), '--port', '0')
    expectOneErrorLine(result, /ECOSIRE_LICENSE_SECRET is not set.*export ECOSIRE_LICENSE_SECRET=/)
  })

  it('refuses a secret shorter than 16 bytes', async () => {
    const io = fakeIo({ ECOSIRE_LICENSE_SECRET: 'short' })
    expect(await main(['start', ...db(), '--port', '0'], io)).toBe(1)
    expect(io.err).toMatch(/at least 16 bytes/)
  })

  it('exits 1 with one line when the port is taken, leaving the database closed', async () => {
    const blocker = createServer()
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve))
    const { port } = blocker.address() as AddressInfo
    const io = fakeIo({ ECOSIRE_LICENSE_SECRET: SECRET })
    expect(await main(['start', ...db(), '--port', String(port)], io)).toBe(1)
    expect(io.err).toMatch(/^licensekit-server start: .*EADDRINUSE.*\n$/)
    expect(existsSync(`${temp.path}-wal`)).toBe(false)
    await new Promise((resolve) => blocker.close(resolve))
  })

  it('serves the API, sees CLI changes while running, and stops on a signal', async () => {
    const key = await issueOne(1)
    const io = fakeIo({ ECOSIRE_LICENSE_SECRET: SECRET })
    const running = main(['start', ...db(), '--port', '0', '--host', '127.0.0.1'], io)
    const apiBase = await io.waitForStdout(/\(API (\S+),/)
    const timestamp = Math.floor(Date.now() / 1000)
    const before = await signedPost(apiBase, 'activate', key, 'a.example', { timestamp })
    expect(before.status).toBe(200)
    expect((await run('suspend', key, ...db())).code).toBe(0)
    const after = await signedPost(apiBase, 'validate', key, 'a.example', { timestamp })
    expect(after.body).toEqual({ valid: false, message: 'License suspended' })

    io.signal('SIGTERM')
    expect(await running).toBe(0)
    expect(io.err).toMatch(/^POST \/api\/licenses\/activate 200 \d+ms$/m)
    expect(io.err).toMatch(/^SIGTERM: finishing in-flight requests/m)
    expect(io.err).not.toContain(SECRET)
  })
})
