import { isLicenseError } from '../../errors/license-error.js'
import { type LicenseKeyFormat, resolveKeyFormat } from '../../keys/key-format.js'
import { normalizeLicenseKey } from '../../keys/license-key.js'
import { DEVICE_ID } from './host-name.js'
import type { PlainRequest } from './plain-http.js'
import { reject } from './responses.js'
import { parseFlatJson, printable } from './strict-json.js'

const UTF8_CHARSET = /^charset="?utf-8"?$/
const LINE_BREAK = /[\r\n]/

/** `application/json`, optionally with parameters; a charset, if given, must be UTF-8. */
export function checkContentType(request: PlainRequest): void {
  const header = request.header('content-type') ?? ''
  if (header === 'application/json') return
  const [type = '', ...parameters] = header.split(';').map((part) => part.trim().toLowerCase())
  const charset = parameters.find((parameter) => parameter.startsWith('charset='))
  const utf8 = charset === undefined || UTF8_CHARSET.test(charset)
  if (type !== 'application/json' || !utf8) {
    throw reject('unsupported_media_type', 'The body must be sent as application/json')
  }
}

/** What a browser's body carries: the raw key and, under `binding: 'device'`, the device id. */
export interface ProxyBody {
  key: string | null
  device: string | null
}

/**
 * The body's fields: exactly `{"key": string}` when `expectKey`, exactly `{}` otherwise;
 * with `expectDevice` (which needs `expectKey`) exactly `{"key": string, "device": string}`,
 * the device id being 26 lowercase base32 characters. Any other field (`domain`,
 * `timestamp`, `__proto__`, …), a duplicate, a non-string or nested value, a missing field or
 * a malformed device id is a `bad_request`.
 */
export function parseProxyBody(text: string, expectKey: boolean, expectDevice = false): ProxyBody {
  const parsed = parseFlatJson(text)
  if (!parsed.ok) throw reject('bad_request', parsed.reason)
  for (const name of parsed.fields.keys()) {
    const expected = name === 'key' ? expectKey : name === 'device' && expectDevice
    if (!expected) throw reject('bad_request', `Unexpected field "${printable(name)}"`)
  }
  const key = parsed.fields.get('key') ?? null
  if (expectKey && key === null) throw reject('bad_request', 'Missing field "key"')
  const device = parsed.fields.get('device') ?? null
  if (expectDevice && device === null) throw reject('bad_request', 'Missing field "device"')
  if (device !== null && !DEVICE_ID.test(device)) {
    throw reject('bad_request', 'The device id must be 26 lowercase base32 characters (a–z, 2–7)')
  }
  return { key, device }
}

/**
 * The canonical form of a key from the body (in `format`, the default format when absent);
 * CR/LF is a `bad_request`, anything else not a key `invalid_key_format`.
 */
export function canonicalKey(raw: string, format?: LicenseKeyFormat): string {
  if (LINE_BREAK.test(raw)) throw reject('bad_request', 'The key must not contain line breaks')
  try {
    return normalizeLicenseKey(raw, format)
  } catch (error) {
    const message = isLicenseError(error) ? error.message : 'Invalid license key'
    throw reject('invalid_key_format', message)
  }
}

/**
 * {@link canonicalKey} in one format, its pattern compiled once (the proxy makes one at
 * construction): a key already in canonical form, what the browser client sends, is taken as
 * it is after one pattern test; anything else goes through {@link canonicalKey}.
 */
export function keyCanonicalizer(format?: LicenseKeyFormat): (raw: string) => string {
  const { canonical } = resolveKeyFormat(format)
  return (raw) => (canonical.test(raw) ? raw : canonicalKey(raw, format))
}
