import {
  MAX_UPSTREAM_BODY_BYTES,
  SIGNATURE_HEADER,
  type UpstreamPayload,
} from '../upstream-protocol.js'
import type { FetchFunction } from './options.js'

/** What the upstream answered: its status, `Retry-After` and at most 64 KiB of body text. */
export interface UpstreamAnswer {
  status: number
  retryAfter: string | null
  text: string
}

/** The deadline passed before the answer's headers and body were in. */
export class UpstreamTimeout extends Error {
  override readonly name = 'UpstreamTimeout'
}

/** The answer was longer than {@link MAX_UPSTREAM_BODY_BYTES}; the rest was not read. */
export class UpstreamOversized extends Error {
  override readonly name = 'UpstreamOversized'
}

const decoder = new TextDecoder()

function isRedirect(response: Response): boolean {
  return response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400)
}

/** The body as text, refusing (without reading further) one over the cap. */
async function cappedText(response: Response): Promise<string> {
  const declared = response.headers.get('content-length')
  if (declared !== null && Number(declared) > MAX_UPSTREAM_BODY_BYTES) throw new UpstreamOversized()
  if (!response.body) return ''
  const reader = response.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > MAX_UPSTREAM_BODY_BYTES) {
      reader.cancel().catch(() => {})
      throw new UpstreamOversized()
    }
    chunks.push(value)
  }
  if (chunks.length === 1) return decoder.decode(chunks[0])
  const bytes = new Uint8Array(size)
  let offset = 0
  for (const chunk of chunks) {
    bytes.set(chunk, offset)
    offset += chunk.byteLength
  }
  return decoder.decode(bytes)
}

async function post(
  fetch: FetchFunction,
  url: string,
  payload: UpstreamPayload,
  signature: string,
  signal: AbortSignal,
): Promise<UpstreamAnswer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json',
      [SIGNATURE_HEADER]: signature,
    },
    body: JSON.stringify(payload),
    redirect: 'manual',
    signal,
  })
  const retryAfter = response.headers.get('retry-after')
  if (isRedirect(response)) {
    response.body?.cancel().catch(() => {})
    return { status: response.status, retryAfter, text: '' }
  }
  return { status: response.status, retryAfter, text: await cappedText(response) }
}

/** Settles with `work`, or rejects with the signal's reason as soon as it aborts. */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason)
    signal.addEventListener('abort', onAbort, { once: true })
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort))
  })
}

/**
 * One signed POST to `url`, never following a redirect (the signature would go with it: a 3xx
 * is an answer the proxy cannot use), with one deadline for the headers and the body, and at
 * most 64 KiB of body read; rejects with {@link UpstreamTimeout}, {@link UpstreamOversized}
 * or the network error.
 */
export type UpstreamExchange = (
  url: string,
  payload: UpstreamPayload,
  signature: string,
  timeoutMs: number,
) => Promise<UpstreamAnswer>

/** The exchange on a WHATWG `fetch`; the request is aborted at the deadline or past the cap. */
export function fetchExchange(fetch: FetchFunction): UpstreamExchange {
  return async (url, payload, signature, timeoutMs) => {
    const controller = new AbortController()
    const timer = setTimeout(() => controller.abort(new UpstreamTimeout()), timeoutMs)
    try {
      return await untilAborted(
        post(fetch, url, payload, signature, controller.signal),
        controller.signal,
      )
    } catch (error) {
      controller.abort(error)
      throw error
    } finally {
      clearTimeout(timer)
    }
  }
}

let defaultExchange: UpstreamExchange = fetchExchange((input, init) =>
  globalThis.fetch(input, init),
)

/** The exchange of a proxy without a `fetch` option (the `node` entry picks `node:http`). */
export function useDefaultExchange(exchange: UpstreamExchange): void {
  defaultExchange = exchange
}

export function exchangeFor(fetch: FetchFunction | undefined): UpstreamExchange {
  return fetch ? fetchExchange(fetch) : defaultExchange
}
