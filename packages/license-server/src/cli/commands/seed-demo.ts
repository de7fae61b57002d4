import type { IssuedLicense } from '../../store/records.js'
import type { LicenseStore } from '../../store/store-types.js'
import { dbPath, parseCommandArgs } from '../args.js'
import { type Command, withStore } from '../command.js'
import { formatTable } from '../table.js'

export interface DemoLicense {
  label: string
  key: string
  status: string
  limit: number
}

const DEMO_PREFIX = 'DEMO'

function seed(store: LicenseStore): DemoLicense[] {
  const current = (key: string) => store.check(key)
  const plan: [label: string, limit: number, settle: (key: string) => IssuedLicense][] = [
    ['active', 3, current],
    ['active-limit-1', 1, current],
    ['suspended', 3, (key) => store.suspend(key)],
    ['revoked', 3, (key) => store.revoke(key)],
    ['expired', 3, (key) => store.expire(key)],
  ]
  return plan.map(([label, limit, settle]) => {
    const [key = ''] = store.issue({ prefix: DEMO_PREFIX, limit })
    const { status } = settle(key)
    return { label, key, status, limit }
  })
}

/** `seed-demo [--json]`: one new license per state, printed as a table (or JSON). */
export const seedDemo: Command = async (argv, io) => {
  const args = parseCommandArgs(argv, { json: { type: 'boolean' } }, 0)
  const licenses = withStore(dbPath(args), seed)
  if (args.values.json) {
    io.stdout(`${JSON.stringify(licenses, null, 2)}\n`)
  } else {
    io.stdout(
      formatTable([
        ['LABEL', 'KEY', 'STATUS', 'LIMIT'],
        ...licenses.map((license) => [
          license.label,
          license.key,
          license.status,
          String(license.limit),
        ]),
      ]),
    )
  }
  return 0
}
