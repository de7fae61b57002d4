// The proxy under load, in its own process so its memory can be read on its own.
// Started by bench/proxy-load.ts through IPC; answers { rss } when asked.
import { createServer } from 'node:http'
import { createLicenseProxy, toNodeHandler } from '../packages/core/dist/server/node.js'

const upstream = process.env.LOAD_UPSTREAM
const secret = process.env.LOAD_SECRET
if (!upstream || !secret || !process.send) throw new Error('start me through bench/proxy-load.ts')

const proxy = createLicenseProxy({
  secret,
  domain: 'load.example',
  upstream,
  rateLimit: false,
  log: (line) => console.error(line),
})
const server = createServer(toNodeHandler(proxy))
server.keepAliveTimeout = 30_000
server.listen(0, '127.0.0.1', () => {
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('no port')
  process.send?.({ port: address.port })
})
process.on('message', (message: { type: string }) => {
  if (message.type === 'rss') {
    globalThis.gc?.()
    process.send?.({ rss: process.memoryUsage().rss })
  }
  if (message.type === 'stop') server.close(() => process.exit(0))
})
