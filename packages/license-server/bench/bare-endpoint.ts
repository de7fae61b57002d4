/**
 * The yardstick for validate.bench.ts: `POST /api/licenses/validate` on bare node:http and
 * better-sqlite3, with the same checks as the license server (body cap, JSON shape, HMAC
 * signature in constant time, timestamp window, key format) and the same two queries. Reports
 * its port on stdout; BARE_DB and BARE_SECRET come from the environment.
 */
import { createHmac, timingSafeEqual } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import Database from 'better-sqlite3'

const db = new Database(process.env.BARE_DB ?? '', { timeout: 5000 })
db.pragma('journal_mode = WAL')
const secret = process.env.BARE_SECRET ?? ''
const byKey = db.prepare<
  [string],
  { id: number; key: string; status: string; expires_at: string | null; activations_limit: number }
>('SELECT * FROM licenses WHERE key = ?')
const domainsOf = db.prepare<[number], { domain: string }>(
  'SELECT domain FROM activations WHERE license_id = ? ORDER BY activated_at, rowid',
)
const KEY = /^[A-Z0-9]{2,10}(-[A-Z0-9]{4}){4}$/
const VALUE = /^[\x20-\x25\x27-\x3c\x3e-\x7e]*$/

function send(res: ServerResponse, status: number, body: unknown) {
  const text = JSON.stringify(body)
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  })
  res.end(text)
}

function validate(req: IncomingMessage, res: ServerResponse, raw: Buffer) {
  let body: Record<string, unknown>
  try {
    body = JSON.parse(raw.toString('utf8')) as Record<string, unknown>
  } catch {
    return send(res, 400, { valid: false, message: 'Malformed JSON body' })
  }
  const { key, domain, timestamp } = body
  if (typeof key !== 'string' || typeof domain !== 'string' || typeof timestamp !== 'string') {
    return send(res, 400, { valid: false, message: 'Missing or invalid field' })
  }
  if (!/^\d{1,12}$/.test(timestamp) || ![key, domain].every((v) => VALUE.test(v))) {
    return send(res, 400, { valid: false, message: 'Invalid field' })
  }
  const message = `domain=${domain}&key=${key}&timestamp=${timestamp}`
  const expected = Buffer.from(createHmac('sha256', secret).update(message).digest('hex'))
  const given = Buffer.from(String(req.headers['x-ecosire-signature'] ?? ''))
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return send(res, 401, { valid: false, message: 'Invalid signature' })
  }
  if (Math.abs(Math.floor(Date.now() / 1000) - Number(timestamp)) > 300) {
    return send(res, 401, { valid: false, message: 'Request expired' })
  }
  const row = KEY.test(key) ? byKey.get(key) : undefined
  if (!row) return send(res, 404, { valid: false, message: 'License not found' })
  const expired = row.expires_at !== null && Date.parse(row.expires_at) <= Date.now()
  const status = expired ? 'expired' : row.status
  if (status !== 'active') return send(res, 403, { valid: false, message: `License ${status}` })
  const domains = domainsOf.all(row.id)
  send(res, 200, {
    valid: true,
    license: {
      key: row.key,
      status,
      expiresAt: row.expires_at,
      activationsCount: domains.length,
      activationsLimit: row.activations_limit,
    },
  })
}

const server = createServer((req, res) => {
  if (req.method !== 'POST' || req.url !== '/api/licenses/validate') {
    return send(res, 404, { message: 'Not found' })
  }
  const chunks: Buffer[] = []
  let size = 0
  req.on('data', (chunk: Buffer) => {
    size += chunk.length
    if (size <= 4096) chunks.push(chunk)
  })
  req.on('end', () => {
    if (size > 4096) return send(res, 413, { valid: false, message: 'Payload too large' })
    validate(req, res, Buffer.concat(chunks))
  })
})
server.keepAliveTimeout = 30_000
server.listen(0, '127.0.0.1', () => {
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('no port')
  console.log(`bare endpoint (API http://127.0.0.1:${address.port}/api, pid ${process.pid})`)
})
process.on('SIGTERM', () => server.close(() => process.exit(0)))
