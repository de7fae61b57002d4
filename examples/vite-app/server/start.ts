/** Production entry: `tsx server/start.ts` serves `dist/` and the proxy on `PORT`. */
import { fileURLToPath } from 'node:url'
import { createDemoServer } from './demo-server.js'
import { DemoEnvError, demoOptionsFromEnv } from './env.js'

const distDir = fileURLToPath(new URL('../dist/', import.meta.url))

try {
  const options = demoOptionsFromEnv(process.env, distDir)
  const server = await createDemoServer({
    ...options,
    log: (line) => console.error(`[proxy] ${line}`),
    onProxyExchange: ({ method, path, status, durationMs }) =>
      console.log(`${method} ${path} ${status} ${durationMs.toFixed(0)}ms`),
  })
  console.log(`licensekit demo on ${server.url} (proxy at /api/license, domain ${options.domain})`)
  const stop = () => {
    server.close().then(() => process.exit(0))
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
} catch (error) {
  console.error(error instanceof DemoEnvError ? error.message : error)
  process.exit(1)
}
