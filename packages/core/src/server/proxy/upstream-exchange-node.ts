/// <reference types="node" />
/**
 * The upstream exchange on `node:http`/`node:https`, which the `node` entry makes the default:
 * several times cheaper per request than `fetch` on Node. Same contract as `fetchExchange`:
 * never follows a redirect (node:http never does), one deadline for headers and body, at most
 * 64 KiB read (the socket is destroyed past that).
 */
import { Agent, request as httpRequest, type IncomingMessage, type RequestOptions } from 'node:http'
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https'
import { urlToHttpOptions } from 'node:url'
import { MAX_UPSTREAM_BODY_BYTES, SIGNATURE_HEADER } from '../upstream-protocol.js'
import { IdleSockets } from './idle-sockets.js'
import {
  type UpstreamAnswer,
  type UpstreamExchange,
  UpstreamOversized,
  UpstreamTimeout,
} from './upstream-exchange.js'

/**
 * Idle sockets are closed after 3–4 s, before a server's usual 5 s keep-alive timeout (Node's
 * default), so a request is not sent on a socket the server is closing at that moment.
 */
const IDLE_MS = 4000

/**
 * The keep-alive agents of the exchange (exported for its tests), without a socket `timeout`:
 * {@link idleSockets} closes their idle sockets. The agents unref a socket they keep: idle
 * sockets do not keep the process alive.
 */
export const agents = {
  'http:': new Agent({ keepAlive: true }),
  'https:': new HttpsAgent({ keepAlive: true }),
}

/** What closes the agents' idle sockets (exported for its tests). */
export const idleSockets = new IdleSockets([agents['http:'], agents['https:']], IDLE_MS)

/** Where one upstream URL goes: parsed once, not per request. */
interface Target {
  send: typeof httpRequest
  options: Pick<RequestOptions, 'protocol' | 'hostname' | 'port' | 'path' | 'agent'>
  /** The `Host` header `node:http` would send for this URL. */
  host: string
}

/**
 * The `Host` header `node:http` sends for `hostname` and `port` when the request's headers are
 * an object: an IPv6 address in brackets, the port unless it is the scheme's default.
 */
export function hostHeaderOf(hostname: string, port: number | undefined, https: boolean): string {
  const colon = hostname.indexOf(':')
  const ipv6 = colon !== -1 && hostname.includes(':', colon + 1) && !hostname.startsWith('[')
  const host = ipv6 ? `[${hostname}]` : hostname
  return port && port !== (https ? 443 : 80) ? `${host}:${port}` : host
}

/** A proxy posts to three URLs; the bound only keeps an odd caller from growing this forever. */
const MAX_TARGETS = 64
const targets = new Map<string, Target>()

function targetOf(url: string): Target {
  let target = targets.get(url)
  if (target === undefined) {
    const { protocol, hostname, port, path } = urlToHttpOptions(new URL(url))
    const https = protocol === 'https:'
    const portNumber = port === undefined ? undefined : Number(port)
    target = {
      send: https ? httpsRequest : httpRequest,
      options: {
        protocol,
        hostname,
        port,
        path,
        agent: https ? agents['https:'] : agents['http:'],
      },
      host: hostHeaderOf(hostname ?? 'localhost', portNumber, https),
    }
    if (targets.size >= MAX_TARGETS) targets.clear()
    targets.set(url, target)
  }
  return target
}

function read(response: IncomingMessage, callback: (error: Error | null, text?: string) => void) {
  let finished = false
  const done = (error: Error | null, text?: string) => {
    if (finished) return
    finished = true
    callback(error, text)
  }
  const status = response.statusCode ?? 0
  if (status >= 300 && status < 400) {
    done(null, '')
    response.destroy()
    return
  }
  if (Number(response.headers['content-length'] ?? 0) > MAX_UPSTREAM_BODY_BYTES) {
    done(new UpstreamOversized())
    response.destroy()
    return
  }
  const chunks: Buffer[] = []
  let size = 0
  response.on('data', (chunk: Buffer) => {
    size += chunk.byteLength
    if (size > MAX_UPSTREAM_BODY_BYTES) {
      done(new UpstreamOversized())
      response.destroy()
      return
    }
    chunks.push(chunk)
  })
  response.on('end', () => {
    const [first] = chunks
    done(
      null,
      chunks.length === 1 && first
        ? first.toString('utf8')
        : Buffer.concat(chunks).toString('utf8'),
    )
  })
  response.on('error', (error) => done(error))
  response.on('aborted', () => done(new Error('The upstream answer was cut off')))
}

export const nodeExchange: UpstreamExchange = (url, payload, signature, timeoutMs) =>
  new Promise<UpstreamAnswer>((resolve, reject) => {
    const { send, options, host } = targetOf(url)
    const { protocol, hostname, port, path, agent } = options
    const body = JSON.stringify(payload)
    let settled = false
    const settle = (error: Error | null, answer?: UpstreamAnswer) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      if (error) reject(error)
      else resolve(answer as UpstreamAnswer)
    }
    const req = send({
      protocol,
      hostname,
      port,
      path,
      agent,
      method: 'POST',
      // A flat array, with the Host header node:http would add: node:http then writes the head
      // in one pass instead of storing, looking up and re-reading every header (same bytes).
      headers: [
        'content-type',
        'application/json',
        'content-length',
        String(Buffer.byteLength(body)),
        'accept',
        'application/json',
        SIGNATURE_HEADER,
        signature,
        'Host',
        host,
      ],
    })
    const timer = setTimeout(() => {
      settle(new UpstreamTimeout())
      req.destroy()
    }, timeoutMs)
    req.on('response', (response) => {
      const keepAlive = response.headers['keep-alive']
      idleSockets.answered(response.socket, typeof keepAlive === 'string' ? keepAlive : undefined)
      const retryAfter = response.headers['retry-after'] ?? null
      const status = response.statusCode ?? 0
      read(response, (error, text) => {
        if (error) {
          settle(error)
          req.destroy()
        } else settle(null, { status, retryAfter, text: text ?? '' })
      })
    })
    req.on('error', (error) => settle(error))
    req.end(body)
  })
