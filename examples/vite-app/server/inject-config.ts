import { CONFIG_ELEMENT_ID, type DemoClientConfig } from '../src/config.js'

/** The marker `index.html` carries where the configuration goes. */
export const CONFIG_MARKER = '<!-- licensekit-config -->'

/** JSON that cannot close the surrounding `<script>` element or start a comment. */
function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value)
    .replaceAll('<', '\\u003c')
    .replaceAll('>', '\\u003e')
    .replaceAll('&', '\\u0026')
    .replaceAll('\u2028', '\\u2028')
    .replaceAll('\u2029', '\\u2029')
}

/** Public fields only: a private JWK's `d` never reaches the page, whatever the caller passed. */
function publicJwk(jwk: JsonWebKey | null): JsonWebKey | null {
  if (!jwk) return null
  const { kty, crv, x, y } = jwk
  return { kty, crv, x, y }
}

/** The `<script type="application/json">` element holding `config`. */
export function configScript(config: DemoClientConfig): string {
  const safe: DemoClientConfig = {
    endpoint: config.endpoint,
    domain: config.domain,
    heartbeatIntervalMs: config.heartbeatIntervalMs,
    receiptPublicJwk: publicJwk(config.receiptPublicJwk),
    liveEvents: config.liveEvents,
    binding: config.binding,
  }
  return `<script type="application/json" id="${CONFIG_ELEMENT_ID}">${scriptSafeJson(safe)}</script>`
}

/** Puts the configuration at the marker, or at the end of `<head>` when there is none. */
export function injectClientConfig(html: string, config: DemoClientConfig): string {
  const script = configScript(config)
  if (html.includes(CONFIG_MARKER)) return html.replace(CONFIG_MARKER, () => script)
  if (html.includes('</head>')) return html.replace('</head>', () => `${script}\n</head>`)
  throw new Error('index.html has neither the licensekit-config marker nor a </head>')
}
