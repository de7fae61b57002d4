import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import {
  createLicenseProxy,
  type FetchFunction,
  type LicenseProxyOptions,
} from '@licensekit/core/server'
import { expect } from 'vitest'

export const KEY = 'SHOP-A1B2-C3D4-E5F6-G7H8'
export const MASKED = 'SHOP-****-****-****-G7H8'
export const FOREIGN = 'https://evil.example'

/** A license API stand-in: every validate is an active license; records the calls. */
export function recipeProxy(overrides: Partial<LicenseProxyOptions> = {}) {
  const calls: string[] = []
  const logs: string[] = []
  const fetch: FetchFunction = async (input) => {
    calls.push(String(input instanceof Request ? input.url : input))
    const license = { key: KEY, status: 'active', expiresAt: null }
    return Response.json({ valid: true, license })
  }
  const proxy = createLicenseProxy({
    secret: 'framework-recipe-secret-0123456789',
    domain: 'shop.example.com',
    upstream: 'https://license.test/api',
    fetch,
    log: (line) => logs.push(line),
    ...overrides,
  })
  return { proxy, calls, logs }
}

/** `http://127.0.0.1:PORT` of a listening node:http server. */
export function originOf(server: Server): string {
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

export function listen(server: Server): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve(originOf(server)))
  })
}

export function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve())
    server.closeAllConnections()
  })
}

/** A browser's POST from a page at `pageOrigin`. */
export function validate(origin: string, pageOrigin: string, path = '/api/license/validate') {
  return fetch(`${origin}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: pageOrigin },
    body: JSON.stringify({ key: KEY }),
  })
}

async function errorCode(response: Response): Promise<unknown> {
  return ((await response.json()) as { error?: { code?: unknown } }).error?.code
}

/**
 * What every recipe must do: serve the page's own POST, refuse a foreign Origin before any
 * upstream call, and leave other paths to the framework (which answers `GET /health` "ok").
 */
export async function expectRecipeWorks(origin: string, calls: string[]): Promise<void> {
  const own = await validate(origin, origin)
  expect(own.status).toBe(200)
  expect(((await own.json()) as { license: { key: string } }).license.key).toBe(MASKED)
  expect(calls).toHaveLength(1)

  const foreign = await validate(origin, FOREIGN)
  expect(foreign.status).toBe(403)
  expect(await errorCode(foreign)).toBe('forbidden_origin')
  expect(calls).toHaveLength(1)

  const preflight = await fetch(`${origin}/api/license/validate`, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'POST' },
  })
  expect(preflight.status).toBe(204)

  const other = await fetch(`${origin}/health`)
  expect(await other.text()).toBe('ok')
}

/** A body the framework read first: 500 body_consumed, a log line naming the fix, no upstream call. */
export async function expectBodyConsumed(
  response: Response,
  calls: string[],
  logs: string[],
): Promise<void> {
  expect(response.status).toBe(500)
  expect(await errorCode(response)).toBe('body_consumed')
  expect(logs.join('\n')).toContain('mount the proxy before body parsers')
  expect(calls).toHaveLength(0)
}
