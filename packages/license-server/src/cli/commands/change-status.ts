import { isLicenseError, LicenseError } from '@licensekit/core'
import type { IssuedLicense } from '../../store/records.js'
import type { LicenseStore } from '../../store/store-types.js'
import { dbPath, keyArgument, parseCommandArgs } from '../args.js'
import type { Command } from '../command.js'
import { withStore } from '../command.js'

type Change = 'revoke' | 'suspend' | 'reinstate' | 'expire'

function apply(store: LicenseStore, change: Change, key: string): IssuedLicense {
  try {
    return store[change](key)
  } catch (error) {
    if (isLicenseError(error) && error.code === 'not_found') {
      throw new LicenseError('not_found', `License not found: ${key}`)
    }
    throw error
  }
}

/** `revoke|suspend|reinstate|expire KEY`: prints the key and its effective status. */
export function changeStatus(change: Change): Command {
  return async (argv, io) => {
    const args = parseCommandArgs(argv, {}, 1)
    const key = keyArgument(args)
    const record = withStore(dbPath(args), (store) => apply(store, change, key))
    io.stdout(`${record.key} ${record.status}\n`)
    if (change === 'reinstate' && record.status === 'expired') {
      io.stderr(`Note: the license stays expired: its date ${record.expiresAt} has passed\n`)
    }
    return 0
  }
}
