import { Agent, createServer, request, type Server } from 'node:http'
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https'
import { type AddressInfo, createServer as createTcpServer, type Socket } from 'node:net'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { SIGNATURE_HEADER } from '../upstream-protocol.js'
import { SWEEP_MS } from './idle-sockets.js'
import { agents, hostHeaderOf, nodeExchange } from './upstream-exchange-node.js'

const servers: Server[] = []
afterEach(async () => {
  agents['http:'].destroy()
  for (const server of servers.splice(0)) {
    await new Promise<void>((resolve) => {
      server.close(() => resolve())
      server.closeAllConnections()
    })
  }
})

/**
 * An upstream on 127.0.0.1 (`keepAliveMs` its keep-alive timeout) that notes the timeout of the
 * agent's sockets in use while it answers.
 */
async function upstream(seen: number[], keepAliveMs = 5000): Promise<string> {
  const server = createServer((req, res) => {
    for (const list of Object.values(agents['http:'].sockets)) {
      for (const socket of list ?? []) seen.push((socket as Socket).timeout ?? 0)
    }
    req.resume()
    req.on('end', () => res.end('{"valid":true}'))
  })
  server.keepAliveTimeout = keepAliveMs
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/licenses/validate`
}

const freeSockets = () =>
  Object.values(agents['http:'].freeSockets).flatMap((list) => (list ?? []) as Socket[])

const payload = { key: 'K', domain: 'd.example', timestamp: '1' }

describe('nodeExchange keep-alive sockets', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] })
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('arm no timer while in use, are reused, and are closed 3–4 s after their last answer', async () => {
    const seen: number[] = []
    const url = await upstream(seen)
    expect((await nodeExchange(url, payload, 'sig', 5000)).text).toBe('{"valid":true}')
    const [socket] = freeSockets()
    vi.advanceTimersByTime(2 * SWEEP_MS)
    await nodeExchange(url, payload, 'sig', 5000)
    expect(freeSockets()).toEqual([socket])
    expect(seen).toEqual([0, 0])
    vi.advanceTimersByTime(3 * SWEEP_MS)
    expect(socket?.destroyed).toBe(false)
    vi.advanceTimersByTime(SWEEP_MS)
    expect(socket?.destroyed).toBe(true)
  })

  it("are closed sooner when the server's Keep-Alive timeout is shorter", async () => {
    const url = await upstream([], 2000)
    await nodeExchange(url, payload, 'sig', 5000)
    const [socket] = freeSockets()
    expect(socket?.destroyed).toBe(false)
    vi.advanceTimersByTime(SWEEP_MS)
    expect(socket?.destroyed).toBe(true)
  })
})

/** A TCP server that keeps the first request's bytes (up to its body) and answers 200. */
async function rawUpstream(): Promise<{ url: string; received: Promise<string> }> {
  let received: (bytes: string) => void = () => {}
  const done = new Promise<string>((resolve) => {
    received = resolve
  })
  const server = createTcpServer((socket) => {
    let bytes = ''
    socket.on('data', (chunk) => {
      bytes += chunk.toString('latin1')
      if (!bytes.endsWith('}')) return
      received(bytes)
      socket.end('HTTP/1.1 200 OK\r\ncontent-length: 14\r\nconnection: close\r\n\r\n{"valid":true}')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  done.finally(() => server.close())
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/licenses/validate`,
    received: done,
  }
}

describe('nodeExchange request head', () => {
  it('is byte for byte what node:http sends for the same headers given as an object', async () => {
    const payload = { key: 'SHOP-A1B2-C3D4-E5F6-G7H8', domain: 'd.example', timestamp: '1' }
    const signature = 'a'.repeat(64)
    const ours = await rawUpstream()
    await nodeExchange(ours.url, payload, signature, 5000)
    const reference = await rawUpstream()
    const body = JSON.stringify(payload)
    const agent = new Agent({ keepAlive: true })
    const sent = request(reference.url, {
      method: 'POST',
      agent,
      headers: {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
        accept: 'application/json',
        [SIGNATURE_HEADER]: signature,
      },
    })
    const answered = new Promise<number>((resolve, reject) => {
      sent.on('response', (response) => {
        response.resume()
        response.on('end', () => resolve(response.statusCode ?? 0))
      })
      sent.on('error', reject)
    })
    sent.end(body)
    expect(await answered).toBe(200)
    const port = (url: string) => new URL(url).port
    expect((await ours.received).replace(port(ours.url), 'PORT')).toBe(
      (await reference.received).replace(port(reference.url), 'PORT'),
    )
    agent.destroy()
  })

  it.each<[string, number | undefined, boolean]>([
    ['127.0.0.1', 8080, false],
    ['localhost', undefined, false],
    ['api.example', 80, false],
    ['api.example', 443, false],
    ['api.example', 443, true],
    ['api.example', 80, true],
    ['api.example', 8443, true],
    ['::1', 8080, false],
    ['::1', undefined, true],
    ['fe80::1', 443, true],
  ])('gives %s port %s (https %s) the Host header node:http gives it', (hostname, port, https) => {
    const send = https ? httpsRequest : request
    const agent = https ? new HttpsAgent() : new Agent()
    const sent = send({ hostname, port, method: 'POST', agent })
    sent.on('error', () => {})
    const expected = sent.getHeader('host')
    sent.destroy()
    agent.destroy()
    expect(hostHeaderOf(hostname, port, https)).toBe(expected)
  })
})
