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
  features: string[]
  seats: number | null
  /** Names already holding a slot, so a limit can be seen reached at once. */
  activatedOn: string[]
}

interface DemoPlan {
  label: string
  limit: number
  features?: string[]
  seats?: number
  settle: (key: string) => IssuedLicense
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
  const pro = ['export', 'forecast']
  const plan: DemoPlan[] = [
    { label: 'active', limit: 3, features: pro, seats: 5, settle: current },
    { label: 'active-limit-1', limit: 1, features: pro, settle: takenElsewhere },
    { label: 'pro-without-export', limit: 3, features: ['forecast'], seats: 1, settle: current },
    { label: 'suspended', limit: 3, settle: (key) => store.suspend(key) },
    { label: 'revoked', limit: 3, settle: (key) => store.revoke(key) },
    { label: 'expired', limit: 3, settle: (key) => store.expire(key) },
  ]
  return plan.map(({ label, limit, features = [], seats = null, settle }) => {
    const [key = ''] = store.issue({ prefix: DEMO_PREFIX, limit, features, seats })
    const { status, domains } = settle(key)
    return { label, key, status, limit, features, seats, activatedOn: domains }
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
        ['LABEL', 'KEY', 'STATUS', 'LIMIT', 'FEATURES', 'SEATS', 'ACTIVATED ON'],
        ...licenses.map((license) => [
          license.label,
          license.key,
          license.status,
          String(license.limit),
          license.features.join(',') || '-',
          license.seats === null ? '-' : String(license.seats),
          license.activatedOn.join(', ') || '-',
        ]),
      ]),
    )
  }
  return 0
}
