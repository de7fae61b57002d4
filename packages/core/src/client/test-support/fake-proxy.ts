import type { LicenseErrorCode } from '../../errors/codes.js'
import type { LicenseAction, LicenseInfo, ProxyRequestBody } from '../../protocol.js'
import { json } from '../../test-support/json-response.js'

export { json }

export interface ProxyCall {
  action: LicenseAction
  body: ProxyRequestBody
  credentials: RequestCredentials
}

type Reply = Response | Promise<Response> | 'network-error'
type Handler = (call: ProxyCall) => Reply

export const LICENSE: LicenseInfo = {
  key: 'SHOP-****-****-****-G7H8',
  status: 'active',
  expiresAt: null,
  activationsCount: 1,
  activationsLimit: 3,
}

/** `200 {ok: true}` with the given license (default an active one) and `checkedAt` = now. */
export function granted(
  license: LicenseInfo | null = LICENSE,
  extra: { receipt?: string; checkedAt?: string } = {},
): Response {
  return json(200, {
    ok: true,
    license,
    checkedAt: extra.checkedAt ?? new Date().toISOString(),
    ...(extra.receipt === undefined ? {} : { token: extra.receipt }),
  })
}

export function refused(
  status: number,
  code: LicenseErrorCode,
  headers: Record<string, string> = {},
) {
  return json(status, { ok: false, error: { code, message: code } }, headers)
}

/**
 * A scripted proxy behind an injectable `fetch`: records each call and answers through the
 * current handler (default: an active license).
 */
export class FakeProxy {
  readonly calls: ProxyCall[] = []
  #handler: Handler = () => granted()

  readonly fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = input instanceof Request ? input : new Request(input, init)
    const action = new URL(request.url).pathname.split('/').pop() as LicenseAction
    const body = (await request.json()) as ProxyRequestBody
    const call: ProxyCall = { action, body, credentials: request.credentials }
    this.calls.push(call)
    const reply = this.#handler(call)
    if (reply === 'network-error') throw new TypeError('Failed to fetch')
    return reply
  }

  reply(handler: Handler): void {
    this.#handler = handler
  }

  count(action?: LicenseAction): number {
    return this.calls.filter((call) => action === undefined || call.action === action).length
  }
}

/** A promise with its resolve function, to hold an answer until the test releases it. */
export function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void
  const promise = new Promise<T>((r) => {
    resolve = r
  })
  return { promise, resolve }
}
