/**
 * Fault suite (issue 8): network faults crossed with the client's starting state.
 *
 * The real browser client (`createLicenseClient`) talks to the real proxy (`createLicenseProxy`,
 * called in-process through the client's `fetch`), which talks to the real local license server
 * (`createLicenseServer` on `:memory:`, called in-process through the proxy's `fetch`). One clock
 * drives all three. The starting states are built through the real flows (activate, move the
 * clock, a failed check); then one leg's fetch is swapped for a fault and the client checks.
 *
 * Every fault below reaches the client as "unreachable" (upstream faults as the proxy's 503
 * `upstream_unavailable`, or 502 `upstream_misconfigured` for a signature refusal), so the
 * grace rules (docs/architecture.md, "States") give the expected result per starting state:
 * only an `active` answer younger than `graceDays` and before the license's `expiresAt` may
 * turn into `grace`; everything else is not licensed. No fault may change the stored record.
 */

import {
  createLicenseClient,
  createMemoryStorage,
  isLicensed,
  isLicenseError,
  type LicenseClient,
  type LicenseMode,
  type LicenseReason,
  type LicenseState,
  type LicenseStatus,
  type LicenseStorage,
} from '@licensekit/core'
import { verifyReceipts } from '@licensekit/core/receipts'
import {
  createLicenseProxy,
  DEFAULT_TIMEOUT_MS,
  type FetchFunction,
  generateSigningKeys,
} from '@licensekit/core/server'
import { createLicenseServer, type LicenseServer } from '@licensekit/license-server'
import { afterEach, describe, expect, it, vi } from 'vitest'
// The core package's own test helpers: a JSON response, and AbortSignal.timeout on fake timers.
import { fakeTimeoutSignals } from '../../../packages/core/src/test-support/fake-timeout-signal.js'
import { json } from '../../../packages/core/src/test-support/json-response.js'

const SECRET = 'fault-suite-secret-0123456789abcdef'
const DOMAIN = 'shop.example'
const ENDPOINT = `https://${DOMAIN}/api/license`
const MINUTE = 60_000
const DAY = 24 * 60 * MINUTE
/** 2026-03-02T09:00:00Z, whole seconds (receipts carry seconds). */
const T0 = Date.UTC(2026, 2, 2, 9)
const GRACE_DAYS = 7

/**
 * `upstream`: between the proxy and the license API (the proxy's `fetch`).
 * `browser`: between the browser and the proxy (the client's `fetch`): a CDN, a reverse proxy,
 * a captive portal, or the proxy's host being down.
 */
type Leg = 'upstream' | 'browser'

/**
 * The client's request timeout. With faults upstream it gives the proxy longer than the proxy
 * (default 5 s) gives the upstream, so the proxy's answer is what the client sees; with faults
 * in front of the proxy it is 5 s, so the 10 s answer arrives too late.
 */
const CLIENT_TIMEOUT_MS: Readonly<Record<Leg, number>> = { upstream: 30_000, browser: 5_000 }
/** How far fake time jumps while a request hangs: the deadline of whoever waits on it. */
const DEADLINE_MS: Readonly<Record<Leg, number>> = {
  upstream: DEFAULT_TIMEOUT_MS,
  browser: CLIENT_TIMEOUT_MS.browser,
}
const receiptKeys = await generateSigningKeys()

// ---------------------------------------------------------------------------------------------
// Faults: what the far side of the faulty leg does instead of answering.

interface Fault {
  name: string
  /** The client's error code when the fault is between the browser and the proxy. */
  browserCode: 'unreachable' | 'invalid_response'
  /** The far side did the work; only its answer is late (and dropped at the deadline). */
  processed: boolean
  /** What the proxy answers the browser when the fault is upstream. */
  proxyAnswer: { status: 502 | 503; code: 'upstream_unavailable' | 'upstream_misconfigured' }
  /** The proxy retries `validate` once after a network error, never after a timeout or an answer. */
  validateAttempts: 1 | 2
  /** The `Retry-After` the proxy must pass on to the browser. */
  retryAfter: string | null
  /** `hang()` tells the test the answer now waits on a timer (the proxy's deadline). */
  respond(request: Request, healthy: () => Promise<Response>, hang: () => void): Promise<Response>
}

function networkError(code: string, message: string): TypeError {
  return new TypeError('fetch failed', { cause: Object.assign(new Error(message), { code }) })
}

function text(status: number, body: string, headers: Record<string, string>): Response {
  return new Response(body, { status, headers })
}

/** Rejects with the abort reason when the proxy gives up on the request. */
function onAbort(request: Request, reject: (reason: unknown) => void, cleanup = () => {}): void {
  request.signal.addEventListener('abort', () => {
    cleanup()
    reject(request.signal.reason)
  })
}

const UNAVAILABLE = { status: 503, code: 'upstream_unavailable' } as const

const DOWN: Fault = {
  name: 'down (connection refused)',
  browserCode: 'unreachable',
  processed: false,
  proxyAnswer: UNAVAILABLE,
  validateAttempts: 2,
  retryAfter: null,
  respond: () => Promise.reject(networkError('ECONNREFUSED', 'connect ECONNREFUSED 10.0.0.1:443')),
}

const FAULTS: readonly Fault[] = [
  DOWN,
  {
    name: 'timeout (never answers)',
    browserCode: 'unreachable',
    processed: false,
    proxyAnswer: UNAVAILABLE,
    validateAttempts: 1,
    retryAfter: null,
    respond: (request, _healthy, hang) =>
      new Promise((_, reject) => {
        onAbort(request, reject)
        hang()
      }),
  },
  {
    name: 'reset (ECONNRESET)',
    browserCode: 'unreachable',
    processed: false,
    proxyAnswer: UNAVAILABLE,
    validateAttempts: 2,
    retryAfter: null,
    respond: () => Promise.reject(networkError('ECONNRESET', 'read ECONNRESET')),
  },
  {
    name: 'reset mid-body (200 headers, then ECONNRESET)',
    browserCode: 'invalid_response',
    processed: false,
    proxyAnswer: UNAVAILABLE,
    validateAttempts: 2,
    retryAfter: null,
    respond: async () => {
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('{"valid": true, "lic'))
          controller.error(networkError('ECONNRESET', 'read ECONNRESET'))
        },
      })
      return new Response(body, { status: 200, headers: { 'content-type': 'application/json' } })
    },
  },
  {
    name: '500',
    browserCode: 'invalid_response',
    processed: false,
    proxyAnswer: UNAVAILABLE,
    validateAttempts: 1,
    retryAfter: null,
    respond: async () => json(500, { message: 'Internal Server Error' }),
  },
  {
    name: 'HTML 502',
    browserCode: 'unreachable',
    processed: false,
    proxyAnswer: UNAVAILABLE,
    validateAttempts: 1,
    retryAfter: null,
    respond: async () =>
      text(502, '<html><body><h1>502 Bad Gateway</h1><p>nginx</p></body></html>', {
        'content-type': 'text/html',
      }),
  },
  {
    name: '429 with Retry-After',
    browserCode: 'unreachable',
    processed: false,
    proxyAnswer: UNAVAILABLE,
    validateAttempts: 1,
    retryAfter: '120',
    respond: async () => json(429, { message: 'Too Many Requests' }, { 'retry-after': '120' }),
  },
  {
    name: 'invalid JSON',
    browserCode: 'invalid_response',
    processed: false,
    proxyAnswer: UNAVAILABLE,
    validateAttempts: 1,
    retryAfter: null,
    respond: async () =>
      text(200, '{"valid": true, "license": {"status": "act', {
        'content-type': 'application/json',
      }),
  },
  {
    name: 'wrong JSON shape',
    browserCode: 'invalid_response',
    processed: false,
    proxyAnswer: UNAVAILABLE,
    validateAttempts: 1,
    retryAfter: null,
    respond: async () => json(200, { valid: true, data: { status: 'active' } }),
  },
  {
    name: '10 s response',
    browserCode: 'unreachable',
    validateAttempts: 1,
    retryAfter: null,
    processed: true,
    proxyAnswer: UNAVAILABLE,
    respond: (request, healthy, hang) =>
      new Promise((resolve, reject) => {
        const answer = healthy()
        const timer = setTimeout(() => resolve(answer), 10_000)
        onAbort(request, reject, () => clearTimeout(timer))
        hang()
      }),
  },
  {
    name: '401 Invalid signature (secret or clock mismatch)',
    browserCode: 'invalid_response',
    processed: false,
    proxyAnswer: { status: 502, code: 'upstream_misconfigured' },
    validateAttempts: 1,
    retryAfter: null,
    respond: async () => json(401, { valid: false, message: 'Invalid signature' }),
  },
]

// ---------------------------------------------------------------------------------------------
// The world: license server, proxy, storage and client, all on one clock.

interface Pass {
  name: string
  mode: LicenseMode
  receipts: boolean
}

const PASSES: readonly Pass[] = [
  { name: 'device mode', mode: 'device', receipts: false },
  { name: 'device mode, receipts on', mode: 'device', receipts: true },
  { name: 'installation mode, receipts on', mode: 'installation', receipts: true },
]

/** A `LicenseStorage` over a Map that copies values like IndexedDB does, and can be inspected. */
class InspectableStorage implements LicenseStorage {
  readonly values = new Map<string, unknown>()

  async get(key: string): Promise<unknown> {
    return structuredClone(this.values.get(key))
  }

  async set(key: string, value: unknown): Promise<void> {
    this.values.set(key, structuredClone(value))
  }

  async del(key: string): Promise<void> {
    this.values.delete(key)
  }

  /** The one record the client keeps (read back through `get`), or undefined. */
  async record(): Promise<Record<string, unknown> | undefined> {
    expect(this.values.size).toBeLessThanOrEqual(1)
    const [key] = this.values.keys()
    return key === undefined ? undefined : ((await this.get(key)) as Record<string, unknown>)
  }
}

interface WireAnswer {
  action: string
  status: number
  retryAfter: string | null
  code: unknown
}

const closers: (() => Promise<void> | void)[] = []

/** `validate`, `activate` or `deactivate`: the last segment of the path, on either leg. */
function actionOf(request: Request): string {
  return new URL(request.url).pathname.split('/').pop() ?? ''
}

afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close()
  vi.restoreAllMocks()
  vi.useRealTimers()
})

class World {
  /** Server time: the license server's and the proxy's clock. */
  clock = T0
  /** How far the device's clock is off server time (the client's clock is `clock + deviceSkew`). */
  deviceSkew = 0
  readonly pass: Pass
  readonly leg: Leg
  readonly server: LicenseServer
  readonly storage = new InspectableStorage()
  readonly key: string
  readonly upstreamCalls: string[] = []
  readonly wire: WireAnswer[] = []
  readonly errors: unknown[] = []
  #fault: Fault | null = null
  #faultAction: string | null = null
  /** Requests hanging on a deadline that `settle` has not moved fake time for yet. */
  #hangs = 0
  #onHang: (() => void) | null = null
  readonly #hang = () => {
    this.#hangs++
    this.#onHang?.()
  }
  #installationKey: string | null = null
  readonly #proxy: ReturnType<typeof createLicenseProxy>

  constructor(pass: Pass, leg: Leg, license: { expiresAt?: string } = {}) {
    this.pass = pass
    this.leg = leg
    const now = () => this.clock
    this.server = createLicenseServer({ db: ':memory:', secret: SECRET, now, log: false })
    closers.push(() => this.server.close())
    const [key] = this.server.store.issue({ prefix: 'SHOP', limit: 3, ...license })
    if (key === undefined) throw new Error('no key issued')
    this.key = key
    const upstream: FetchFunction = async (input, init) => {
      const request = new Request(input, init)
      const action = actionOf(request)
      this.upstreamCalls.push(action)
      const healthy = () => this.server.handler(request)
      const fault = this.leg === 'upstream' && this.#faulty(action) ? this.#fault : null
      return fault === null ? healthy() : fault.respond(request, healthy, this.#hang)
    }
    this.#proxy = createLicenseProxy({
      secret: SECRET,
      domain: DOMAIN,
      upstream: 'https://license.test/api',
      fetch: upstream,
      now,
      ...(pass.receipts ? { signingKeys: [receiptKeys.privateJwk] } : {}),
      ...(pass.mode === 'installation'
        ? {
            resolveKey: async () => this.#installationKey,
            onActivate: (_request: Request, stored: string) => {
              this.#installationKey = stored
            },
            onDeactivate: () => {
              this.#installationKey = null
            },
          }
        : {}),
    })
  }

  /** The browser's `fetch`: into the proxy handler (unless the browser leg is faulty). */
  readonly #browserFetch: FetchFunction = async (input, init) => {
    const request = new Request(input, init)
    const action = actionOf(request)
    const fault = this.leg === 'browser' && this.#faulty(action) ? this.#fault : null
    const proxy = () => this.#callProxy(request)
    return fault === null ? proxy() : fault.respond(request, proxy, this.#hang)
  }

  /** Calls the proxy in-process, noting each answer. */
  async #callProxy(request: Request): Promise<Response> {
    const response = await this.#proxy(request)
    const body = (await response.clone().json()) as { error?: { code?: unknown } }
    this.wire.push({
      action: actionOf(request),
      status: response.status,
      retryAfter: response.headers.get('retry-after'),
      code: body.error?.code ?? null,
    })
    return response
  }

  /** A new client (a page load) on this world's storage; started. */
  async startClient(storage: LicenseStorage = this.storage): Promise<LicenseClient> {
    const client = createLicenseClient({
      endpoint: ENDPOINT,
      mode: this.pass.mode,
      graceDays: GRACE_DAYS,
      timeoutMs: CLIENT_TIMEOUT_MS[this.leg],
      domain: DOMAIN,
      ...(this.pass.receipts ? { receipts: verifyReceipts(receiptKeys.publicJwk) } : {}),
      storage,
      now: () => this.clock + this.deviceSkew,
      fetch: this.#browserFetch,
      visibility: { isVisible: () => true, subscribe: () => () => {} },
      online: { subscribe: () => () => {} },
      locks: null,
      channel: null,
      random: () => 0.5,
      onError: (error) => this.errors.push(error),
    })
    closers.push(() => client.stop())
    client.start()
    await this.settle(whenState(client, (state) => state.status !== 'loading'))
    return client
  }

  /**
   * Waits for `promise`. Timers are fake (the proxy's deadline, the 10 s answer, the client's request timeout, the
   * heartbeat) and only move when a faulty request hangs: then by the deadline of whoever waits
   * on it, so real work (WebCrypto, SQLite, promise chains) never races fake time.
   */
  async settle<T>(promise: Promise<T>): Promise<T> {
    const done = promise.then(
      () => 'done' as const,
      () => 'done' as const,
    )
    for (let hops = 0; hops < 4; hops++) {
      const hung = new Promise<'hung'>((resolve) => {
        this.#onHang = () => resolve('hung')
        if (this.#hangs > 0) resolve('hung')
      })
      if ((await Promise.race([done, hung])) === 'done') return promise
      this.#hangs = 0
      await vi.advanceTimersByTimeAsync(DEADLINE_MS[this.leg])
    }
    throw new Error('the request still hangs after four deadlines')
  }

  /** From now on `fault` answers instead of the leg's far side: for every action, or only `action`. */
  fail(fault: Fault, action?: string): void {
    this.#fault = fault
    this.#faultAction = action ?? null
    this.upstreamCalls.length = 0
    this.wire.length = 0
  }

  heal(): void {
    this.#fault = null
  }

  #faulty(action: string): boolean {
    return this.#faultAction === null || this.#faultAction === action
  }
}

/** Resolves once the client is not checking and its state passes `test`. */
function whenState(client: LicenseClient, test: (state: LicenseState) => boolean): Promise<void> {
  return new Promise((resolve) => {
    const check = () => {
      const state = client.getSnapshot()
      if (!state.isChecking && test(state)) resolve()
    }
    closers.push(client.subscribe(check))
    check()
  })
}

// ---------------------------------------------------------------------------------------------
// Starting states, built through the real flows against the healthy upstream.

interface Expected {
  status: LicenseStatus
  reason: LicenseReason | null
  /** ms, for `grace` */
  graceEndsAt?: number
}

interface StartingState {
  name: string
  license?: { expiresAt: string }
  /** Whether a record with a usable key/license exists before the fault. */
  cached: boolean
  /** Builds the state; returns the running client in it, or null when none has started yet. */
  build(world: World): Promise<LicenseClient | null>
  /** What a check under any unreachable fault must give. */
  underFault: Expected | ((pass: Pass) => Expected)
  /** What a check gives once the upstream is healthy again. */
  recovered: Expected
}

async function activated(world: World): Promise<LicenseClient> {
  const client = await world.startClient()
  const state = await world.settle(client.activate(world.key))
  expect(state.status).toBe('active')
  return client
}

const GRACE: StartingState = {
  name: 'grace cache',
  cached: true,
  build: async (world) => {
    const client = await activated(world)
    world.clock = T0 + 3 * DAY
    world.fail(DOWN)
    const state = await world.settle(client.refresh())
    expect(state).toMatchObject({ status: 'grace', reason: 'unreachable' })
    world.heal()
    return client
  },
  underFault: { status: 'grace', reason: 'unreachable', graceEndsAt: T0 + GRACE_DAYS * DAY },
  recovered: { status: 'active', reason: null },
}

const STATES: readonly StartingState[] = [
  {
    name: 'no cache',
    cached: false,
    build: async (world) => {
      if (world.pass.mode === 'installation') {
        // An admin activated the installation from another browser; this one has never checked.
        const admin = await world.startClient(new InspectableStorage())
        await world.settle(admin.activate(world.key))
        admin.stop()
      }
      world.clock += MINUTE
      return null
    },
    // In installation mode there is no key to lack: a page that cannot check is denied.
    underFault: (pass) =>
      pass.mode === 'installation'
        ? { status: 'denied', reason: 'grace_expired' }
        : { status: 'unlicensed', reason: null },
    recovered: { status: 'active', reason: null },
  },
  {
    name: 'active cache',
    cached: true,
    build: async (world) => {
      const client = await activated(world)
      world.clock += MINUTE
      return client
    },
    underFault: { status: 'grace', reason: 'unreachable', graceEndsAt: T0 + GRACE_DAYS * DAY },
    recovered: { status: 'active', reason: null },
  },
  GRACE,
  {
    name: 'expired cache (older than graceDays)',
    cached: true,
    build: async (world) => {
      const client = await activated(world)
      world.clock = T0 + (GRACE_DAYS + 1) * DAY
      return client
    },
    underFault: { status: 'denied', reason: 'grace_expired' },
    recovered: { status: 'active', reason: null },
  },
  {
    name: "expired cache (past the license's expiresAt)",
    license: { expiresAt: new Date(T0 + 2 * DAY).toISOString() },
    cached: true,
    build: async (world) => {
      const client = await activated(world)
      world.clock = T0 + 2 * DAY + 60 * MINUTE
      return client
    },
    underFault: { status: 'denied', reason: 'grace_expired' },
    recovered: { status: 'denied', reason: 'expired' },
  },
  {
    name: 'active cache, device clock set back an hour',
    cached: true,
    build: async (world) => {
      const client = await activated(world)
      world.clock += MINUTE
      world.deviceSkew = -60 * MINUTE
      return client
    },
    // The cache is not trusted; with receipts on, the receipt's `iat` is ahead of this clock.
    underFault: (pass) => ({
      status: 'denied',
      reason: pass.receipts ? 'tampered' : 'grace_expired',
    }),
    recovered: { status: 'active', reason: null },
  },
]

/** The result a check under any of the faults must give, starting from `state`. */
function underFault(state: StartingState, pass: Pass): Expected {
  return typeof state.underFault === 'function' ? state.underFault(pass) : state.underFault
}

function expectState(actual: LicenseState, expected: Expected): void {
  expect({ status: actual.status, reason: actual.reason }).toEqual({
    status: expected.status,
    reason: expected.reason,
  })
  expect(isLicensed(actual)).toBe(expected.status === 'active' || expected.status === 'grace')
  if (expected.graceEndsAt !== undefined) {
    expect(actual.graceEndsAt).toBe(new Date(expected.graceEndsAt).toISOString())
  }
}

/** The fields that make a cache entry valid: the key (device mode), license, grant and receipt. */
function entryOf(record: Record<string, unknown> | undefined) {
  if (record === undefined) return undefined
  const { key, license, lastActiveAt, receipt } = record
  return { key, license, lastActiveAt, receipt }
}

/** The code the client reports for a fault: the proxy's, or the browser leg's own. */
function clientCode(world: World, fault: Fault): string {
  return world.leg === 'upstream' ? fault.proxyAnswer.code : fault.browserCode
}

/**
 * The check under the fault: `refresh()` on the running client. With no cache the page loads
 * under the fault: in installation mode `start()` checks by itself; in device mode there is no
 * key to check, so the user types one (`activate`), which must reject and unlock nothing.
 */
async function checkUnderFault(
  world: World,
  fault: Fault,
  running: LicenseClient | null,
): Promise<{ client: LicenseClient; state: LicenseState }> {
  if (running !== null) return { client: running, state: await world.settle(running.refresh()) }
  const client = await world.startClient()
  if (world.pass.mode === 'device') {
    expect(client.getSnapshot()).toMatchObject({ status: 'unlicensed', source: 'none' })
    const error = await world.settle(client.activate(world.key)).then(
      () => null,
      (reason: unknown) => reason,
    )
    expect(isLicenseError(error) && error.code).toBe(clientCode(world, fault))
  }
  return { client, state: client.getSnapshot() }
}

async function recover(world: World, client: LicenseClient): Promise<LicenseState> {
  if (world.pass.mode === 'device' && (await world.storage.record()) === undefined) {
    return world.settle(client.activate(world.key))
  }
  return world.settle(client.refresh())
}

const LEGS: readonly { leg: Leg; title: string }[] = [
  { leg: 'upstream', title: 'upstream faults (proxy → license API)' },
  { leg: 'browser', title: 'browser-leg faults (client → proxy)' },
]

for (const { leg, title } of LEGS) {
  for (const pass of PASSES) {
    describe(`${title}, ${pass.name}`, () => {
      for (const state of STATES) {
        describe(`starting from ${state.name}`, () => {
          it.each(FAULTS.map((fault) => [fault.name, fault] as const))(
            '%s',
            async (_name, fault) => {
              vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
              fakeTimeoutSignals()
              fakeTimeoutSignals()
              const world = new World(pass, leg, state.license)
              const running = await state.build(world)
              const before = entryOf(await world.storage.record())
              if (state.cached) {
                expect(before?.license).toMatchObject({ status: 'active' })
                expect(before?.key).toBe(pass.mode === 'device' ? world.key : undefined)
                expect(typeof before?.receipt).toBe(pass.receipts ? 'string' : 'undefined')
              } else {
                expect(before).toBeUndefined()
              }
              const expected = underFault(state, pass)

              // The fault, seen by the running client.
              world.fail(fault)
              const checked = await checkUnderFault(world, fault, running)
              expectState(checked.state, expected)
              if (leg === 'upstream') {
                expect(world.upstreamCalls).toEqual(Array(fault.validateAttempts).fill('validate'))
                expect(world.wire).toEqual([
                  expect.objectContaining({
                    ...fault.proxyAnswer,
                    retryAfter: fault.retryAfter,
                  }),
                ])
              } else if (!fault.processed) {
                // Nothing reached the proxy (the late 10 s answer did, and was dropped).
                expect(world.upstreamCalls).toEqual([])
                expect(world.wire).toEqual([])
              }
              expect(entryOf(await world.storage.record())).toEqual(before)

              // The same fault across a page load: the stored record decides, and survives.
              checked.client.stop()
              const reloaded = await world.startClient()
              expectState(await world.settle(reloaded.refresh()), expected)
              expect(entryOf(await world.storage.record())).toEqual(before)

              // The network heals: the kept entry still works (or is definitely refused).
              world.heal()
              expectState(await recover(world, reloaded), state.recovered)
              expect(world.errors).toEqual([])
            },
          )
        })
      }
    })
  }
}

describe('upstream faults on activate only (validate answers)', () => {
  for (const pass of PASSES) {
    it.each(FAULTS.map((fault) => [fault.name, fault] as const))(
      `${pass.name}: %s unlocks nothing, stores nothing and leaks no slot`,
      async (_name, fault) => {
        vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
        fakeTimeoutSignals()
        const world = new World(pass, 'upstream')
        const client = await world.startClient()
        expect(client.getSnapshot()).toMatchObject({ status: 'unlicensed' })

        world.fail(fault, 'activate')
        const error = await world.settle(client.activate(world.key)).then(
          () => null,
          (reason: unknown) => reason,
        )
        expect(isLicenseError(error) && error.code).toBe(fault.proxyAnswer.code)
        expect(isLicensed(client.getSnapshot())).toBe(false)
        expect(client.getSnapshot().status).toBe('unlicensed')
        expect(world.upstreamCalls).toEqual(['validate', 'activate'])
        expect((await world.storage.record())?.license ?? null).toBeNull()

        // Trying again once the upstream is back reuses the slot a late answer may have taken.
        world.heal()
        expect((await world.settle(client.activate(world.key))).status).toBe('active')
        expect(world.server.store.get(world.key)).toMatchObject({
          activationsCount: 1,
          domains: [DOMAIN],
        })
        expect(world.errors).toEqual([])
      },
    )
  }
})

describe('grace running out while the upstream stays faulty', () => {
  for (const pass of PASSES) {
    it.each(FAULTS.map((fault) => [fault.name, fault] as const))(
      `${pass.name}: %s`,
      async (_name, fault) => {
        vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
        fakeTimeoutSignals()
        const world = new World(pass, 'upstream')
        const client = await GRACE.build(world)
        if (client === null) throw new Error('the grace state starts a client')
        world.fail(fault)
        expectState(await world.settle(client.refresh()), underFault(GRACE, pass))
        const before = entryOf(await world.storage.record())

        // Nobody calls refresh(): the client's own timer checks again (at the latest when grace
        // ends), meets the same fault, and grace is over.
        world.clock = T0 + GRACE_DAYS * DAY
        await vi.advanceTimersByTimeAsync(2 * MINUTE)
        await world.settle(whenState(client, (state) => state.status !== 'grace'))
        expectState(client.getSnapshot(), { status: 'denied', reason: 'grace_expired' })
        expect(entryOf(await world.storage.record())).toEqual(before)

        world.heal()
        expectState(await world.settle(client.refresh()), { status: 'active', reason: null })
        expect(world.errors).toEqual([])
      },
    )
  }
})

it('runs the README "Failure behaviour" example', async () => {
  const proxy = createLicenseProxy({
    secret: 'test-secret-0123456789abcdef',
    domain: 'shop.example',
    rateLimit: false,
    fetch: async () => {
      throw new TypeError('fetch failed')
    },
  })
  const client = createLicenseClient({
    endpoint: 'https://shop.example/api/license',
    storage: createMemoryStorage(),
    fetch: (input, init) => proxy(new Request(input, init)),
    locks: null,
    channel: null,
  })
  closers.push(() => client.stop())
  client.start()
  const error = await client.activate('SHOP-A1B2-C3D4-E5F6-G7H8').then(
    () => null,
    (reason: unknown) => reason,
  )
  expect(isLicenseError(error) && error.code).toBe('upstream_unavailable')
  expect(client.getSnapshot().status).toBe('unlicensed')
})

describe('deactivate under upstream faults', () => {
  for (const pass of PASSES) {
    it.each(FAULTS.map((fault) => [fault.name, fault] as const))(
      `${pass.name}: %s keeps the deactivation pending until the upstream frees the slot`,
      async (_name, fault) => {
        vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
        fakeTimeoutSignals()
        const world = new World(pass, 'upstream')
        const client = await activated(world)
        expect(world.server.store.get(world.key)?.activationsCount).toBe(1)

        world.fail(fault, 'deactivate')
        const { outcome, state } = await world.settle(client.deactivate())
        expect(outcome).toBe('queued')
        expect(state).toMatchObject({ status: 'unlicensed', pendingDeactivations: 1 })
        expect(isLicensed(state)).toBe(false)
        expect(world.upstreamCalls).toEqual(['deactivate'])
        expect((await world.storage.record())?.pendingDeactivations).toEqual([
          pass.mode === 'device' ? { key: world.key } : {},
        ])

        // A page load under the same fault stays unlicensed and keeps the pending deactivation.
        client.stop()
        const reloaded = await world.startClient()
        expect(reloaded.getSnapshot().status).toBe('unlicensed')
        expect((await world.storage.record())?.pendingDeactivations).toHaveLength(1)

        world.heal()
        expect((await world.settle(reloaded.refresh())).status).toBe('unlicensed')
        expect(world.server.store.get(world.key)).toMatchObject({
          activationsCount: 0,
          domains: [],
        })
        expect((await world.storage.record())?.pendingDeactivations).toBeUndefined()
        expect(world.errors).toEqual([])
      },
    )
  }
})
