import { dbPath, integerOption, parseCommandArgs, requiredOption, stringOption } from '../args.js'
import { type Command, withStore } from '../command.js'

function featureList(value: string | undefined): string[] {
  if (value === undefined) return []
  return value
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '')
}

/**
 * `issue --prefix P [--limit N] [--expires DATE] [--features a,b] [--seats N] [--count N]`:
 * prints each new key alone on a line.
 */
export const issue: Command = async (argv, io) => {
  const args = parseCommandArgs(
    argv,
    {
      prefix: { type: 'string' },
      limit: { type: 'string' },
      expires: { type: 'string' },
      count: { type: 'string' },
      features: { type: 'string' },
      seats: { type: 'string' },
    },
    0,
  )
  const keys = withStore(dbPath(args), (store) =>
    store.issue({
      prefix: requiredOption(args, 'prefix'),
      limit: integerOption(args, 'limit', 1),
      expiresAt: stringOption(args, 'expires') ?? null,
      count: integerOption(args, 'count', 1),
      features: featureList(stringOption(args, 'features')),
      seats: stringOption(args, 'seats') === undefined ? null : integerOption(args, 'seats', 0),
    }),
  )
  io.stdout(keys.map((key) => `${key}\n`).join(''))
  return 0
}
