import { LicenseError } from '../../errors/license-error.js'
import { isHostName, MAX_DEVICE_HOST_LENGTH } from './host-name.js'

/**
 * What one activation slot binds: `'site'`, the configured domain (every browser of a site
 * shares one slot), or `'device'`, one slot per browser profile through the device id the
 * browser sends (the proxy signs `<device>.<domain>`).
 */
export type LicenseBinding = 'site' | 'device'

/** The options that decide which domains are acceptable. */
export interface DomainRules {
  allowDomainPort: boolean
  binding: LicenseBinding
}

export function invalidConfig(message: string): LicenseError {
  return new LicenseError('invalid_config', `createLicenseProxy: ${message}`)
}

/**
 * The configured domain, or a `LicenseError` (`invalid_config`) for one that is not a host
 * name (under `binding: 'device'`, short enough for `<device>.` in front of it).
 */
export function checkDomain(domain: unknown, rules: DomainRules): string {
  const maxHost = rules.binding === 'device' ? MAX_DEVICE_HOST_LENGTH : undefined
  if (typeof domain !== 'string' || !isHostName(domain, rules.allowDomainPort, maxHost)) {
    const port = rules.allowDomainPort ? ', optionally with ":port"' : ''
    throw invalidConfig(
      `the domain must be a lowercase host name such as "shop.example"${port}: no scheme, path, whitespace${rules.allowDomainPort ? '' : ' or port (see allowDomainPort)'} (got ${JSON.stringify(domain)})`,
    )
  }
  return domain
}

export function checkBinding(binding: unknown, installation: boolean): LicenseBinding {
  if (binding !== 'site' && binding !== 'device') {
    throw invalidConfig('binding must be "site" or "device"')
  }
  if (binding === 'device' && installation) {
    throw invalidConfig('binding "device" needs device mode: it cannot be combined with resolveKey')
  }
  return binding
}
