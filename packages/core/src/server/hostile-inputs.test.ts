import { describe, expect, it, vi } from 'vitest'
import { LICENSE_ERROR_CODES } from '../errors/codes.js'
import { createLicenseProxy } from './index.js'

const KEY = 'SHOP-A1B2-C3D4-E5F6-G7H8'
const ORIGIN = 'https://app.example'
const endpoint = `${ORIGIN}/api/license`

interface HostileCase {
  name: string
  body?: string
  method?: string
  path?: string
  headers?: Record<string, string>
}

const JSON_HEADERS = { 'content-type': 'application/json' }
const body = (name: string, text: string): HostileCase => ({
  name,
  body: text,
  headers: JSON_HEADERS,
})

const cases: HostileCase[] = [
  body('an empty body', ''),
  body('whitespace only', '   \n\t '),
  body('JSON null', 'null'),
  body('JSON true', 'true'),
  body('a number', '42'),
  body('a bare string', JSON.stringify(KEY)),
  body('an empty array', '[]'),
  body('an array holding the payload', JSON.stringify([{ key: KEY }])),
  body('an object without key', '{}'),
  body('key null', '{"key":null}'),
  body('key as a number', '{"key":42}'),
  body('key as a boolean', '{"key":true}'),
  body('key as a nested object', '{"key":{"$ne":""}}'),
  body('key as an array', JSON.stringify({ key: [KEY] })),
  body('an empty key', '{"key":""}'),
  body('a blank key', '{"key":"   "}'),
  body('a domain from the browser', JSON.stringify({ key: KEY, domain: 'evil.example' })),
  body('a timestamp from the browser', JSON.stringify({ key: KEY, timestamp: '1' })),
  body('a signature from the browser', JSON.stringify({ key: KEY, signature: 'ab' })),
  body('__proto__ beside the key', `{"key":"${KEY}","__proto__":{"admin":true}}`),
  body('__proto__ holding the key', `{"__proto__":{"key":"${KEY}"}}`),
  body('constructor.prototype pollution', `{"key":"${KEY}","constructor":{"prototype":{"x":1}}}`),
  body('a duplicate key, the last one valid', `{"key":"NOPE","key":"${KEY}"}`),
  body('a duplicate key, both valid', `{"key":"${KEY}","key":"${KEY}"}`),
  body('an escaped duplicate key', `{"key":"${KEY}","\\u006bey":"OTHER-0000-0000-0000-0000"}`),
  body('a field named "key "', `{"key":"${KEY}","key ":"x"}`),
  body('CR/LF header injection in the key', JSON.stringify({ key: `${KEY}\r\nX-Injected: 1` })),
  body('a trailing newline in the key', JSON.stringify({ key: `${KEY}\n` })),
  body('a NUL byte in the key', JSON.stringify({ key: `${KEY}\u0000` })),
  body('a Cyrillic look-alike letter', JSON.stringify({ key: 'SHOP-A1B2-C3D4-E5F6-G7Н8' })),
  body('full-width letters', JSON.stringify({ key: 'ＳＨＯＰ-A1B2-C3D4-E5F6-G7H8' })),
  body('a right-to-left override', JSON.stringify({ key: `\u202e${KEY}` })),
  body('a zero-width space', JSON.stringify({ key: `SHOP-A1B2\u200b-C3D4-E5F6-G7H8` })),
  body('an emoji', JSON.stringify({ key: 'SHOP-A1B2-C3D4-E5F6-G7🔑' })),
  body('a lone surrogate', '{"key":"\\ud800SHOP-A1B2-C3D4-E5F6-G7H8"}'),
  body('a signing-delimiter injection', JSON.stringify({ key: `${KEY}&domain=evil.example` })),
  body('an equals sign', JSON.stringify({ key: `${KEY}=1` })),
  body('an injection-looking domain in the key', JSON.stringify({ key: 'evil.com/?x=SHOP' })),
  body('markup', JSON.stringify({ key: '<script>alert(1)</script>' })),
  body('SQL', JSON.stringify({ key: "' OR 1=1 --" })),
  body('a path traversal', JSON.stringify({ key: '../../etc/passwd' })),
  body('five groups', JSON.stringify({ key: `${KEY}-ZZZZ` })),
  body('a long key under the size limit', JSON.stringify({ key: 'A'.repeat(900) })),
  body('truncated JSON', '{"key":'),
  body('a JavaScript object literal', `{key: '${KEY}'}`),
  body('NaN', '{"key":NaN}'),
  body('a byte-order mark', `\ufeff{"key":"${KEY}"}`),
  body('trailing garbage', `{"key":"${KEY}"} x`),
  body('two concatenated objects', `{"key":"${KEY}"}{"key":"${KEY}"}`),
  body('deep nesting', `${'['.repeat(400)}${']'.repeat(400)}`),
  body('a 2 KiB body', JSON.stringify({ key: KEY, pad: 'x'.repeat(2048) })),
  body('a 1 MiB body', JSON.stringify({ key: 'x'.repeat(1024 * 1024) })),
  { name: 'GET', method: 'GET' },
  { name: 'PUT', method: 'PUT', body: JSON.stringify({ key: KEY }), headers: JSON_HEADERS },
  { name: 'DELETE', method: 'DELETE' },
  { name: 'PATCH', method: 'PATCH', body: JSON.stringify({ key: KEY }), headers: JSON_HEADERS },
  { name: 'no content type', body: JSON.stringify({ key: KEY }), headers: {} },
  {
    name: 'text/plain',
    body: JSON.stringify({ key: KEY }),
    headers: { 'content-type': 'text/plain' },
  },
  {
    name: 'a form post',
    body: `key=${KEY}`,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  },
  {
    name: 'multipart',
    body: `--b\r\ncontent-disposition: form-data; name="key"\r\n\r\n${KEY}\r\n--b--`,
    headers: { 'content-type': 'multipart/form-data; boundary=b' },
  },
  {
    name: 'a JSON look-alike media type',
    body: JSON.stringify({ key: KEY }),
    headers: { 'content-type': 'application/jsonp' },
  },
  {
    name: 'a foreign Origin',
    body: JSON.stringify({ key: KEY }),
    headers: { 'content-type': 'application/json', origin: 'https://evil.example' },
  },
  {
    name: 'Origin null',
    body: JSON.stringify({ key: KEY }),
    headers: { 'content-type': 'application/json', origin: 'null' },
  },
  {
    name: 'an Origin differing only by scheme',
    body: JSON.stringify({ key: KEY }),
    headers: { 'content-type': 'application/json', origin: 'http://app.example' },
  },
  {
    name: 'an Origin with the allowed host as a prefix',
    body: JSON.stringify({ key: KEY }),
    headers: { 'content-type': 'application/json', origin: 'https://app.example.evil.example' },
  },
  {
    name: 'an unknown action',
    path: '/admin',
    body: JSON.stringify({ key: KEY }),
    headers: JSON_HEADERS,
  },
  { name: 'an action named __proto__', path: '/__proto__', body: '{}', headers: JSON_HEADERS },
  { name: 'an action named constructor', path: '/constructor', body: '{}', headers: JSON_HEADERS },
  { name: 'a nested action path', path: '/validate/extra', body: '{}', headers: JSON_HEADERS },
]

describe('the proxy refuses hostile input with a 4xx and a code, before any upstream call', () => {
  it(`has at least 50 cases (${cases.length})`, () => {
    expect(cases.length).toBeGreaterThanOrEqual(50)
  })

  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, hostile) => {
    const upstream = vi.fn<typeof fetch>(async () => Response.json({ valid: true }))
    const proxy = createLicenseProxy({
      secret: 'a-secret-that-is-long-enough',
      domain: 'app.example',
      upstream: 'https://licenses.invalid/api',
      fetch: upstream,
      rateLimit: false,
    })
    const method = hostile.method ?? 'POST'
    const response = await proxy(
      new Request(`${endpoint}${hostile.path ?? '/validate'}`, {
        method,
        headers: hostile.headers ?? {},
        ...(hostile.body === undefined ? {} : { body: hostile.body }),
      }),
    )
    expect(response.status).toBeGreaterThanOrEqual(400)
    expect(response.status).toBeLessThan(500)
    const answer: unknown = await response.json()
    expect(answer).toMatchObject({ ok: false, error: { message: expect.any(String) } })
    const code = (answer as { error: { code: string } }).error.code
    expect(LICENSE_ERROR_CODES).toContain(code)
    expect(upstream).not.toHaveBeenCalled()
  })
})
