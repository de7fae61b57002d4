// One forwarder in its own process, for bench/proxy-throughput.ts: FORWARDER names which.
// Reports its port, then answers { cpu } (µs of user + system time, process.cpuUsage()) and
// { rss } (bytes, after a gc() when --expose-gc) on request.
//   proxy      createLicenseProxy under toNodeHandler (the node export condition: node:crypto)
//   node-http  a bare forwarder on node:http: read the body, sign with node:crypto, pipe back
//   fetch      the same bare forwarder calling the upstream with globalThis.fetch
//   ky         the same bare forwarder calling the upstream with ky (timeout and one retry)
import { createHmac } from 'node:crypto'
import { Agent, type IncomingMessage, request, type ServerResponse } from 'node:http'
import ky from 'ky'
import { createLicenseProxy, toNodeHandler } from '../packages/core/dist/server/node.js'
import { serveToParent } from './child-server.js'

const upstream = process.env.FORWARDER_UPSTREAM
const secret = process.env.FORWARDER_SECRET
const kind = process.env.FORWARDER
if (!upstream || !secret || !kind || !process.send) {
  throw new Error('start me through bench/proxy-throughput.ts')
}
const domain = 'bench.example'
const upstreamUrl = `${upstream}/licenses/validate`

function readAll(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = ''
    req.setEncoding('utf8')
    req.on('data', (chunk: string) => {
      text += chunk
    })
    req.on('end', () => resolve(text))
    req.on('error', reject)
  })
}

/** What every bare forwarder sends upstream: the signed `{domain, key, timestamp}` payload. */
async function signed(req: IncomingMessage) {
  const { key } = JSON.parse(await readAll(req)) as { key: string }
  const payload = { domain, key, timestamp: String(Math.floor(Date.now() / 1000)) }
  const message = `domain=${payload.domain}&key=${payload.key}&timestamp=${payload.timestamp}`
  const signature = createHmac('sha256', secret as string)
    .update(message)
    .digest('hex')
  return { body: JSON.stringify(payload), signature }
}

function answer(res: ServerResponse, status: number, text: string) {
  res.writeHead(status, { 'content-type': 'application/json' })
  res.end(text)
}

const agent = new Agent({ keepAlive: true, maxSockets: 64 })
const nodeHttp = async (req: IncomingMessage, res: ServerResponse) => {
  const { body, signature } = await signed(req)
  const out = request(
    upstreamUrl,
    {
      method: 'POST',
      agent,
      headers: {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
        'x-ecosire-signature': signature,
      },
    },
    (upstreamAnswer) => {
      res.writeHead(upstreamAnswer.statusCode ?? 502, upstreamAnswer.headers)
      upstreamAnswer.pipe(res)
    },
  )
  out.on('error', () => answer(res, 503, '{}'))
  out.end(body)
}

const viaFetch = async (req: IncomingMessage, res: ServerResponse) => {
  const { body, signature } = await signed(req)
  try {
    const upstreamAnswer = await fetch(upstreamUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-ecosire-signature': signature },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(5000),
    })
    answer(res, upstreamAnswer.status, await upstreamAnswer.text())
  } catch {
    answer(res, 503, '{}')
  }
}

const viaKy = async (req: IncomingMessage, res: ServerResponse) => {
  const { body, signature } = await signed(req)
  try {
    const upstreamAnswer = await ky.post(upstreamUrl, {
      body,
      headers: { 'content-type': 'application/json', 'x-ecosire-signature': signature },
      timeout: 5000,
      retry: { limit: 1, methods: ['post'] },
      throwHttpErrors: false,
      redirect: 'manual',
    })
    answer(res, upstreamAnswer.status, await upstreamAnswer.text())
  } catch {
    answer(res, 503, '{}')
  }
}

const proxy = createLicenseProxy({ secret, domain, upstream, rateLimit: false })
const listeners = { proxy: toNodeHandler(proxy), 'node-http': nodeHttp, fetch: viaFetch, ky: viaKy }
const listener = listeners[kind as keyof typeof listeners]
if (!listener) throw new Error(`unknown FORWARDER ${kind}`)
serveToParent((req, res) => {
  void listener(req, res)
})
