import type { LicenseBinding } from '../../binding.js'
import { LicenseError } from '../../errors/license-error.js'
import { checkKeyFormat as checkFormat, type LicenseKeyFormat } from '../../keys/key-format.js'
import { isHostName, MAX_DEVICE_HOST_LENGTH } from './host-name.js'

export type { LicenseBinding }

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

/** The configured key format (checked once), or a `LicenseError` (`invalid_config`) for one that is not. */
export function checkKeyFormat(format: unknown): LicenseKeyFormat | undefined {
  try {
    return checkFormat(format)
  } catch {
    throw invalidConfig(
      `keyFormat must be {prefix?, groups: 3 | 4} (got ${JSON.stringify(format)})`,
    )
  }
}
