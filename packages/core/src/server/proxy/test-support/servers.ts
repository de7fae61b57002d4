import type { Server } from 'node:http'
import { afterEach } from 'vitest'

/** Stops a test's server, dropping its keep-alive connections. */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve())
    server.closeAllConnections()
  })
}

/** The servers a test file starts: push each one; all are closed after every test. */
export function serversClosedAfterEach(): Server[] {
  const servers: Server[] = []
  afterEach(async () => {
    await Promise.all(servers.splice(0).map(closeServer))
  })
  return servers
}
