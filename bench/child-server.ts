// The server side of a bench child process: serves `listener` on a free 127.0.0.1 port, sends
// the port to the parent, and answers its IPC messages: `rss` (after a GC when exposed), `cpu`
// (user + system µs from the process's own accounting) and `stop`.
import { createServer, type RequestListener } from 'node:http'

export function serveToParent(listener: RequestListener): void {
  const server = createServer(listener)
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
    if (message.type === 'cpu') {
      const { user, system } = process.cpuUsage()
      process.send?.({ cpu: user + system })
    }
    if (message.type === 'stop') server.close(() => process.exit(0))
  })
}
