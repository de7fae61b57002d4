// The proxy under load, in its own process so its memory can be read on its own.
// Started by bench/proxy-load.ts through IPC; answers { rss } when asked (bench/child-server.ts).
import { createLicenseProxy, toNodeHandler } from '../packages/core/dist/server/node.js'
import { serveToParent } from './child-server.js'

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
serveToParent(toNodeHandler(proxy))
