import { LicenseError } from '@licensekit/core'
import { dbPath, keyArgument, parseCommandArgs } from '../args.js'
import { type Command, withStore } from '../command.js'
import { formatLicense, formatLicenseList } from '../format-license.js'

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`

/** `list [--json]`: every license, oldest first. */
export const list: Command = async (argv, io) => {
  const args = parseCommandArgs(argv, { json: { type: 'boolean' } }, 0)
  const records = withStore(dbPath(args), (store) => store.list())
  if (args.values.json) io.stdout(json(records))
  else if (records.length === 0) io.stderr(`No licenses in ${dbPath(args)}\n`)
  else io.stdout(formatLicenseList(records))
  return 0
}

/** `show KEY [--json]`: status, expiry and every activated domain. */
export const show: Command = async (argv, io) => {
  const args = parseCommandArgs(argv, { json: { type: 'boolean' } }, 1)
  const key = keyArgument(args)
  const record = withStore(dbPath(args), (store) => store.get(key))
  if (!record) throw new LicenseError('not_found', `License not found: ${key}`)
  io.stdout(args.values.json ? json(record) : formatLicense(record))
  return 0
}
