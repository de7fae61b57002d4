import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  NodePlainRequest,
  type NodeRequestLike,
  nodeTargets,
  nodeUrlOf,
  readNodeBody,
} from './node-plain-request.js'
import { rejectionCodeOf } from './test-support/rejection-code.js'

/** A request whose stream emits `chunks`, then ends. */
function nodeRequest(
  headers: NodeRequestLike['headers'],
  chunks: string[] = [],
  extra: Partial<NodeRequestLike> = {},
): NodeRequestLike {
  const listeners: Record<string, ((value?: unknown) => void) | undefined> = {}
  return {
    method: 'POST',
    url: '/api/license/validate',
    headers,
    socket: { remoteAddress: '192.0.2.9' },
    on: ((event: string, listener: (value?: unknown) => void) => {
      listeners[event] = listener
      if (event === 'end') {
        queueMicrotask(() => {
          for (const chunk of chunks) listeners.data?.(chunk)
          listeners.end?.()
        })
      }
      return undefined
    }) as NodeRequestLike['on'],
    off(event: string) {
      listeners[event] = undefined
      return undefined
    },
    ...extra,
  }
}

async function plainOf(req: NodeRequestLike, limit = 1024, method = 'POST') {
  const target = nodeTargets()(req)
  return new NodePlainRequest(req, method, target, await readNodeBody(req, method, limit))
}

const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes)

describe('NodePlainRequest', () => {
  it('looks headers up by name, joining repeats, and never by pseudo-header or prototype', async () => {
    const plain = await plainOf(
      nodeRequest({ host: 'app.example', accept: ['a', 'b'], ':path': '/x' }),
    )
    expect(plain.header('host')).toBe('app.example')
    expect(plain.header('accept')).toBe('a, b')
    expect(plain.header(':path')).toBeNull()
    expect(plain.header('constructor')).toBeNull()
    expect(plain.header('__proto__')).toBeNull()
    expect(plain.clientAddress).toBe('192.0.2.9')
  })

  it('takes HTTP/2 :authority for a missing Host, and https from :scheme or TLS', async () => {
    const h2 = nodeRequest({ ':authority': 'shop.example:8443', ':scheme': 'https' })
    const plain = await plainOf(h2)
    expect(plain.header('host')).toBe('shop.example:8443')
    expect(plain.url.href).toBe('https://shop.example:8443/api/license/validate')
    expect(plain.toRequest().headers.get('host')).toBe('shop.example:8443')
    const tls = nodeRequest({ host: 'a.example' }, [], { socket: { encrypted: true } })
    expect(nodeUrlOf(tls).protocol).toBe('https:')
    expect(() => nodeUrlOf(nodeRequest({ host: 'bad host:x' }))).toThrow()
  })

  it('buffers the body and hands out the same bytes within the limit', async () => {
    const plain = await plainOf(nodeRequest({ host: 'a.example' }, ['{"key":', '"A"}']))
    expect(decode(await plain.bytes(1024))).toBe('{"key":"A"}')
    expect(await rejectionCodeOf(plain.bytes(5))).toBe('payload_too_large')
  })

  it('refuses a body cut short at the limit, or declared over it, with payload_too_large', async () => {
    const long = await plainOf(
      nodeRequest({ host: 'a.example' }, ['x'.repeat(600), 'y'.repeat(600)]),
    )
    expect(await rejectionCodeOf(long.bytes(64 * 1024))).toBe('payload_too_large')
    const declared = await plainOf(nodeRequest({ host: 'a.example', 'content-length': '5000' }))
    expect(await rejectionCodeOf(declared.bytes(1024))).toBe('payload_too_large')
  })

  it('uses raw bytes a framework kept, and reports a body it consumed without keeping any', async () => {
    const kept = await plainOf(
      nodeRequest({ host: 'a.example', 'content-length': '9999' }, [], {
        readableEnded: true,
        body: Buffer.from('{"key":"K"}'),
      }),
    )
    expect(kept.bodyConsumed).toBe(false)
    expect(decode(await kept.bytes(1024))).toBe('{"key":"K"}')
    expect(kept.toRequest().headers.get('content-length')).toBeNull()
    const consumed = await plainOf(
      nodeRequest({ host: 'a.example' }, [], { readableEnded: true, body: { key: 'K' } }),
    )
    expect(consumed.bodyConsumed).toBe(true)
    expect(decode(await consumed.bytes(1024))).toBe('')
  })

  it('builds its Request only when asked, once, with the same method, URL, headers and body', async () => {
    const plain = await plainOf(nodeRequest({ host: 'a.example', 'x-a': '1' }, ['{}']))
    const request = plain.toRequest()
    expect(plain.toRequest()).toBe(request)
    expect(request.method).toBe('POST')
    expect(request.url).toBe('http://a.example/api/license/validate')
    expect(request.headers.get('x-a')).toBe('1')
    expect(await request.text()).toBe('{}')
    const get = await plainOf(nodeRequest({ host: 'a.example' }), 1024, 'GET')
    expect(get.toRequest().body).toBeNull()
  })
})

describe('nodeTargets', () => {
  const at = (url: string, host = 'a.example') => nodeRequest({ host }, [], { url })

  it('throws for a Host that cannot make a URL, before and after a good one', () => {
    const targetOf = nodeTargets()
    expect(() => targetOf(at('/x', 'bad host:x'))).toThrow()
    expect(targetOf(at('/x')).pathname).toBe('/x')
    expect(() => targetOf(at('/x', 'bad host:x'))).toThrow()
    expect(() => targetOf(at('//bad host:x/y'))).toThrow()
  })

  it('gives the pathname and URL the URL parser gives, for any path, with the Host known', () => {
    const targetOf = nodeTargets()
    targetOf(at('/'))
    const segment = fc.constantFrom(
      'a',
      'Z9',
      '.',
      '..',
      '%2e',
      '%2E%2e',
      '',
      '\\',
      '@',
      ':',
      "'",
      ';=',
    )
    const path = fc
      .tuple(
        fc.array(segment, { maxLength: 6 }),
        fc.constantFrom('', '?', '?q=1', '?a/../b#h', '#f'),
      )
      .map(([segments, tail]) => `/${segments.join('/')}${tail}`)
    fc.assert(
      fc.property(
        fc.oneof(
          path,
          fc.string({ maxLength: 12 }).map((s) => `/${s}`),
        ),
        (raw) => {
          let expected: URL
          try {
            expected = new URL(raw, 'http://a.example')
          } catch {
            expect(() => targetOf(at(raw))).toThrow()
            return
          }
          const target = targetOf(at(raw))
          expect(target.pathname).toBe(expected.pathname)
          expect(target.url().href).toBe(expected.href)
        },
      ),
    )
  })

  it('builds the URL of a plain path only when it is read, once', () => {
    const targetOf = nodeTargets()
    targetOf(at('/first'))
    const target = targetOf(at('/api/license/validate?x=1'))
    expect(target.pathname).toBe('/api/license/validate')
    expect(target.url()).toBe(target.url())
    expect(target.url().href).toBe('http://a.example/api/license/validate?x=1')
  })
})
