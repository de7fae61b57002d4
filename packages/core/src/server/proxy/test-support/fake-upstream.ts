import type { LicenseAction } from '../../../protocol.js'
import { json } from '../../../test-support/json-response.js'
import type { FetchFunction, LicenseProxyOptions } from '../options.js'

export { json }

export const SECRET = 'test-secret-0123456789abcdef'
export const DOMAIN = 'shop.example'
export const KEY = 'SHOP-A1B2-C3D4-E5F6-G7H8'
export const MASKED = 'SHOP-****-****-****-G7H8'
/** 2026-01-01T00:00:00Z */
export const NOW = 1_767_225_600_000
export const ORIGIN = 'http://proxy.test'

export interface UpstreamCall {
  url: string
  action: LicenseAction
  body: Record<string, unknown>
  rawBody: string
  signature: string | null
  headers: Headers
}

type Responder = (call: UpstreamCall, index: number) => Response | Promise<Response>

export const LICENSE = {
  key: KEY,
  status: 'active',
  expiresAt: '2027-01-01T00:00:00.000Z',
  activationsCount: 1,
  activationsLimit: 3,
}

/** Answers like a healthy license API. */
export const healthy: Responder = (call) => {
  switch (call.action) {
    case 'validate':
      return json(200, { valid: true, license: LICENSE })
    case 'activate':
      return json(200, { activated: true, activationsCount: 2, activationsLimit: 3 })
    case 'deactivate':
      return json(200, { deactivated: true, activationsCount: 0 })
  }
}

/** An injectable `fetch` that records every upstream call and answers with `respond`. */
export function fakeUpstream(respond: Responder = healthy): {
  fetch: FetchFunction
  calls: UpstreamCall[]
} {
  const calls: UpstreamCall[] = []
  const fetch: FetchFunction = async (input, init) => {
    const request = new Request(input, init)
    const rawBody = await request.text()
    const url = request.url
    const call: UpstreamCall = {
      url,
      action: url.slice(url.lastIndexOf('/') + 1) as LicenseAction,
      body: JSON.parse(rawBody) as Record<string, unknown>,
      rawBody,
      signature: request.headers.get('x-ecosire-signature'),
      headers: request.headers,
    }
    calls.push(call)
    return respond(call, calls.length - 1)
  }
  return { fetch, calls }
}

/** Options for a proxy under test: fixed clock, fake upstream, no rate limit or log unless asked. */
export function testOptions(
  fetch: FetchFunction,
  overrides: Partial<LicenseProxyOptions> = {},
): LicenseProxyOptions {
  return {
    secret: SECRET,
    domain: DOMAIN,
    upstream: 'https://license.test/api',
    fetch,
    now: () => NOW,
    rateLimit: false,
    log: false,
    ...overrides,
  }
}

/** A browser-like POST to the proxy. */
export function post(
  action: string,
  body: unknown = { key: KEY },
  init: { headers?: Record<string, string>; path?: string; base?: string } = {},
): Request {
  return new Request(`${init.base ?? ORIGIN}${init.path ?? `/api/license/${action}`}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...init.headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })
}

export async function bodyOf(response: Response): Promise<Record<string, unknown>> {
  return (await response.json()) as Record<string, unknown>
}

export async function errorCodeOf(response: Response): Promise<unknown> {
  const body = (await response.json()) as { error?: { code?: unknown } }
  return body.error?.code
}
