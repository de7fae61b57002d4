import { createServer, type Server } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { agents, nodeExchange } from './upstream-exchange-node.js'

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

/** Socket timeouts of the agent's sockets in use, seen from the upstream while it answers. */
async function upstream(seen: number[]): Promise<string> {
  const server = createServer((req, res) => {
    for (const list of Object.values(agents['http:'].sockets)) {
      for (const socket of list ?? []) seen.push((socket as Socket).timeout ?? 0)
    }
    req.resume()
    req.on('end', () => res.end('{"valid":true}'))
  })
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/licenses/validate`
}

const freeTimeouts = () =>
  Object.values(agents['http:'].freeSockets).flatMap((list) =>
    (list ?? []).map((socket) => (socket as Socket).timeout),
  )

describe('nodeExchange keep-alive sockets', () => {
  it('time out only while idle: armed when freed, disarmed while a reused socket is in use', async () => {
    const seen: number[] = []
    const url = await upstream(seen)
    const payload = { key: 'K', domain: 'd.example', timestamp: '1' }
    expect((await nodeExchange(url, payload, 'sig', 5000)).text).toBe('{"valid":true}')
    expect(freeTimeouts()).toEqual([4000])
    await nodeExchange(url, payload, 'sig', 5000)
    expect(seen).toEqual([4000, 0])
    expect(freeTimeouts()).toEqual([4000])
  })
})
