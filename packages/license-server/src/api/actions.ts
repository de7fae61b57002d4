import type { LicenseAction } from '@licensekit/core'
import type { LicenseStore } from '../store/store-types.js'

/** Runs an action on a canonical key; store refusals propagate as `LicenseError`s. */
export function perform(
  action: LicenseAction,
  store: LicenseStore,
  key: string,
  domain: string,
): Record<string, unknown> {
  switch (action) {
    case 'validate': {
      const license = store.check(key)
      return {
        valid: true,
        license: {
          key: license.key,
          status: license.status,
          expiresAt: license.expiresAt,
          activationsCount: license.activationsCount,
          activationsLimit: license.activationsLimit,
          features: license.features,
          seats: license.seats,
        },
      }
    }
    case 'activate':
      return { activated: true, ...store.activate(key, domain) }
    case 'deactivate':
      return { deactivated: true, ...store.deactivate(key, domain) }
  }
}
