import { type ParseArgsConfig, parseArgs } from 'node:util'
import { LicenseError, normalizeLicenseKey } from '@licensekit/core'

export const DEFAULT_DB = './licensekit.db'

type OptionsConfig = NonNullable<ParseArgsConfig['options']>

export interface ParsedArgs {
  values: Readonly<Record<string, unknown>>
  positionals: string[]
}

function usage(message: string): LicenseError {
  return new LicenseError('bad_request', message)
}

/**
 * Parses a command's arguments strictly (unknown options are errors; options may come before
 * or after positionals). Every command takes `--db FILE`.
 */
export function parseCommandArgs(
  argv: readonly string[],
  options: OptionsConfig,
  positionals: number,
): ParsedArgs {
  let parsed: ParsedArgs
  try {
    parsed = parseArgs({
      args: [...argv],
      options: { db: { type: 'string', default: DEFAULT_DB }, ...options },
      allowPositionals: true,
      strict: true,
    })
  } catch (error) {
    throw usage(error instanceof Error ? error.message : String(error))
  }
  if (parsed.positionals.length !== positionals) {
    throw usage(
      positionals === 0
        ? `Unexpected argument "${parsed.positionals[0]}"`
        : `Expected ${positionals} argument${positionals === 1 ? '' : 's'}, got ${parsed.positionals.length}`,
    )
  }
  return parsed
}

export function stringOption(args: ParsedArgs, name: string): string | undefined {
  const value = args.values[name]
  return typeof value === 'string' ? value : undefined
}

export function requiredOption(args: ParsedArgs, name: string): string {
  const value = stringOption(args, name)
  if (value === undefined) throw usage(`Missing option --${name}`)
  return value
}

export function integerOption(args: ParsedArgs, name: string, fallback: number): number {
  const value = stringOption(args, name)
  if (value === undefined) return fallback
  if (!/^\d+$/.test(value)) throw usage(`Invalid --${name} "${value}": expected a whole number`)
  return Number(value)
}

export function dbPath(args: ParsedArgs): string {
  return stringOption(args, 'db') ?? DEFAULT_DB
}

/** The positional key, normalised as a user may type it (case, blanks, missing dashes). */
export function keyArgument(args: ParsedArgs): string {
  return normalizeLicenseKey(args.positionals[0] ?? '')
}
