import { invalidConfig as invalid } from './domain-rules.js'

// The proxy's URL-shaped options, each checked once at construction (`invalid_config`).

export function checkUpstream(upstream: unknown): string {
  let url: URL
  try {
    url = new URL(String(upstream))
  } catch {
    throw invalid('upstream must be an absolute http(s) URL')
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw invalid('upstream must be an absolute http(s) URL')
  }
  if (url.search || url.hash || url.username || url.password) {
    throw invalid('upstream must not carry a query, fragment or credentials')
  }
  return url.href.replace(/\/+$/, '')
}

export function checkBasePath(basePath: unknown): string {
  if (typeof basePath !== 'string' || !/^\/[A-Za-z0-9._~\-/]*$/.test(basePath)) {
    throw invalid('basePath must be a path starting with "/"')
  }
  return basePath.replace(/\/+$/, '')
}

export function checkOrigin(origin: unknown, name: string): string {
  let parsed: URL | null = null
  try {
    parsed = new URL(String(origin))
  } catch {}
  if (typeof origin !== 'string' || parsed === null || parsed.origin !== origin) {
    throw invalid(
      `${name} must be exact origins like "https://app.example" (got ${JSON.stringify(origin)}); "*" and "null" are never allowed`,
    )
  }
  return origin
}

export function checkOrigins(origins: unknown): ReadonlySet<string> {
  if (!Array.isArray(origins)) throw invalid('allowedOrigins must be an array of origins')
  return new Set(origins.map((origin) => checkOrigin(origin, 'allowedOrigins entries')))
}
