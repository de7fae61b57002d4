/**
 * Child process for the client integration test: the real local license server and the real
 * proxy, each on its own 127.0.0.1 port, in a plain Node realm (the test itself runs in
 * happy-dom, whose Request/Response/Headers globals are not the server's). Answers one JSON line
 * per command read from stdin. Run with `node --import tsx integration-servers.ts <config JSON>`.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createInterface } from 'node:readline'
import { createLicenseProxy, toNodeHandler } from '@licensekit/core/server'
import { createLicenseServer } from '@licensekit/license-server'

export interface ServersConfig {
  secret: string
  domain: string
  allowedOrigin: string
  signingKey: JsonWebKey
  installation: boolean
}

export type ServersCommand =
  | { op: 'issue'; limit: number }
  | { op: 'revoke'; key: string }
  | { op: 'activate'; key: string; domain: string }
  | { op: 'get'; key: string }
  | { op: 'stored' }
  | { op: 'stop-proxy' }
  | { op: 'exit' }

const config = JSON.parse(process.argv[2] ?? '{}') as ServersConfig
const licenseServer = createLicenseServer({ db: ':memory:', secret: config.secret, log: false })
const { apiBase } = await licenseServer.listen({ port: 0, host: '127.0.0.1' })

let installationKey: string | null = null
const proxy = createLicenseProxy({
  secret: config.secret,
  domain: config.domain,
  upstream: apiBase,
  allowedOrigins: [config.allowedOrigin],
  rateLimit: false,
  signingKeys: [config.signingKey],
  ...(config.installation
    ? {
        resolveKey: async () => installationKey,
        onActivate: (_request: Request, key: string) => {
          installationKey = key
        },
        onDeactivate: () => {
          installationKey = null
        },
      }
    : {}),
})
const proxyServer: Server = createServer(toNodeHandler(proxy))
await new Promise<void>((resolve) => proxyServer.listen(0, '127.0.0.1', resolve))
const { port } = proxyServer.address() as AddressInfo

function stopProxy(): Promise<void> {
  return new Promise((resolve) => {
    if (!proxyServer.listening) return resolve()
    proxyServer.close(() => resolve())
    proxyServer.closeAllConnections()
  })
}

function reply(value: unknown): void {
  process.stdout.write(`${JSON.stringify({ value })}\n`)
}

reply({ endpoint: `http://127.0.0.1:${port}/api/license` })

for await (const line of createInterface({ input: process.stdin })) {
  const command = JSON.parse(line) as ServersCommand
  try {
    switch (command.op) {
      case 'issue':
        reply(licenseServer.store.issue({ prefix: 'SHOP', limit: command.limit })[0])
        break
      case 'revoke':
        reply(licenseServer.store.revoke(command.key).status)
        break
      case 'activate':
        reply(licenseServer.store.activate(command.key, command.domain))
        break
      case 'get':
        reply(licenseServer.store.get(command.key))
        break
      case 'stored':
        reply(installationKey)
        break
      case 'stop-proxy':
        await stopProxy()
        reply(true)
        break
      case 'exit':
        await stopProxy()
        await licenseServer.close()
        reply(true)
        process.exit(0)
    }
  } catch (error) {
    process.stdout.write(`${JSON.stringify({ error: String(error) })}\n`)
  }
}

// stdin closed: the test process is gone, so nothing may outlive it.
await stopProxy()
await licenseServer.close()
process.exit(0)
