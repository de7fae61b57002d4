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
  /** Names already holding a slot, so a limit can be seen reached at once. */
  activatedOn: string[]
}

const DEMO_PREFIX = 'DEMO'
/** Another site holding the limit-1 key's only slot. */
const OTHER_SITE = 'other-shop.example'

function seed(store: LicenseStore): DemoLicense[] {
  const current = (key: string) => store.check(key)
  const takenElsewhere = (key: string) => {
    store.activate(key, OTHER_SITE)
    return store.check(key)
  }
  const plan: [label: string, limit: number, settle: (key: string) => IssuedLicense][] = [
    ['active', 3, current],
    ['active-limit-1', 1, takenElsewhere],
    ['suspended', 3, (key) => store.suspend(key)],
    ['revoked', 3, (key) => store.revoke(key)],
    ['expired', 3, (key) => store.expire(key)],
  ]
  return plan.map(([label, limit, settle]) => {
    const [key = ''] = store.issue({ prefix: DEMO_PREFIX, limit })
    const { status, domains } = settle(key)
    return { label, key, status, limit, activatedOn: domains }
  })
}

/**
 * `seed-demo [--json]`: one new license per state, printed as a table (or JSON). The limit-1
 * key's only slot is already held by another site, so "activation limit reached" shows at once.
 */
export const seedDemo: Command = async (argv, io) => {
  const args = parseCommandArgs(argv, { json: { type: 'boolean' } }, 0)
  const licenses = withStore(dbPath(args), seed)
  if (args.values.json) {
    io.stdout(`${JSON.stringify(licenses, null, 2)}\n`)
  } else {
    io.stdout(
      formatTable([
        ['LABEL', 'KEY', 'STATUS', 'LIMIT', 'ACTIVATED ON'],
        ...licenses.map((license) => [
          license.label,
          license.key,
          license.status,
          String(license.limit),
          license.activatedOn.join(', ') || '-',
        ]),
      ]),
    )
  }
  return 0
}
