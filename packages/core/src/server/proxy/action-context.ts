import type { LicenseProxyOptions, ResolvedProxyOptions } from './options.js'
import type { PlainRequest } from './plain-http.js'
import { ProxyRejection, reject } from './responses.js'
import type { TokenIssuer } from './tokens.js'

export type ProxyHooks = Pick<
  LicenseProxyOptions,
  'resolveKey' | 'onActivate' | 'onDeactivate' | 'authorize'
>

/**
 * Everything one action needs: the options, the app's hooks and the request (hooks get
 * `request.toRequest()`, so no `Request` is built for a proxy without them).
 */
export interface ActionContext {
  options: ResolvedProxyOptions
  hooks: ProxyHooks
  request: PlainRequest
  tokens: TokenIssuer | null
}

export function errorName(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : typeof error
}

/**
 * Runs one of the app's hooks. Its failure is the app's, so the browser gets a generic 503
 * (which it treats as "try again later") and the operator a log line.
 */
export async function runHook<T>(
  context: ActionContext,
  name: string,
  hook: () => T | Promise<T>,
): Promise<T> {
  try {
    return await hook()
  } catch (error) {
    if (error instanceof ProxyRejection) throw error
    context.options.log(`licensekit proxy: ${name} threw (${errorName(error)})`)
    throw reject('upstream_unavailable', 'The license service is temporarily unavailable', {
      cause: error,
    })
  }
}
