import { createReadStream, type Stats } from 'node:fs'
import { stat } from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { extname, join, resolve, sep } from 'node:path'

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
}

/** No inline script runs: the injected configuration is `application/json`, which is data. */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ')

/**
 * The file under `root` that a URL path names, or `null` when the path must be refused: it does
 * not decode, holds a NUL or a backslash, or has a `..` segment (even percent-encoded), so no
 * request reads outside `root`.
 */
export function resolveStaticPath(root: string, pathname: string): string | null {
  let decoded: string
  try {
    decoded = decodeURIComponent(pathname)
  } catch {
    return null
  }
  if (!decoded.startsWith('/') || decoded.includes('\0') || decoded.includes('\\')) return null
  if (decoded.split('/').some((segment) => segment === '..')) return null
  const base = resolve(root)
  const file = resolve(join(base, decoded))
  if (file !== base && !file.startsWith(base + sep)) return null
  return file
}

async function fileStats(path: string): Promise<Stats | null> {
  try {
    return await stat(path)
  } catch {
    return null
  }
}

function send(res: ServerResponse, status: number, body: string, head: boolean): void {
  res.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    'X-Content-Type-Options': 'nosniff',
  })
  res.end(head ? undefined : body)
}

export interface StaticSiteOptions {
  /** The built app (`vite build` output). */
  root: string
  /** The page served for `/`, `/index.html` and every client-side route. */
  indexHtml: string
}

/**
 * Serves a built single-page app: files from `root`, and `indexHtml` for any path without a
 * file extension that names no file (client-side routes such as `/settings`).
 */
export function createStaticSite(options: StaticSiteOptions) {
  const index = Buffer.from(options.indexHtml, 'utf8')

  function sendIndex(res: ServerResponse, head: boolean): void {
    res.writeHead(200, {
      'Content-Type': CONTENT_TYPES['.html'],
      'Content-Length': index.byteLength,
      'Cache-Control': 'no-cache',
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'Referrer-Policy': 'no-referrer',
      'X-Content-Type-Options': 'nosniff',
    })
    res.end(head ? undefined : index)
  }

  return async function serveStatic(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const head = req.method === 'HEAD'
    if (req.method !== 'GET' && !head) {
      res.setHeader('Allow', 'GET, HEAD')
      send(res, 405, 'Method not allowed', false)
      return
    }
    const rawPath = (req.url ?? '/').split('?')[0] ?? '/'
    const file = resolveStaticPath(options.root, rawPath)
    if (file === null) {
      send(res, 400, 'Bad request', head)
      return
    }
    const stats = await fileStats(file)
    const isIndex = file === resolve(options.root, 'index.html')
    if (stats?.isFile() && !isIndex) {
      const immutable = rawPath.startsWith('/assets/')
      res.writeHead(200, {
        'Content-Type': CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
        'Content-Length': stats.size,
        'Cache-Control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
        'X-Content-Type-Options': 'nosniff',
      })
      if (head) res.end()
      else createReadStream(file).pipe(res)
      return
    }
    if (isIndex || !extname(file)) {
      sendIndex(res, head)
      return
    }
    send(res, 404, 'Not found', head)
  }
}
