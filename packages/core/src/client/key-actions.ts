import { LicenseError } from '../errors/license-error.js'
import { normalizeLicenseKey } from '../keys/license-key.js'
import { type ClientInternals, internalsOf } from './client-internals.js'
import { SLOT_NOT_HELD } from './pending-deactivations.js'
import * as transition from './record-transitions.js'
import * as rules from './state-rules.js'
import {
  type DeactivationResult,
  type GatingClient,
  isLicensed,
  type LicenseKeyActions,
  type LicenseState,
} from './types.js'

/** Activates `keyInput`; a key held before is released (or queued) only once this one succeeded. */
async function activate(
  client: GatingClient,
  { options, cache, heartbeat, pending, request, apply }: ClientInternals,
  keyInput: string,
): Promise<LicenseState> {
  const { mode, now, keyFormat } = options
  const key = normalizeLicenseKey(keyInput, keyFormat)
  await cache.load()
  const outcome = await request('activate', { key })
  const at = now()
  if (outcome.kind === 'success' && outcome.answer.license?.status === 'active') {
    heartbeat.answered(outcome)
    const queued = transition.pendingAfterActivation(cache.current, key, mode)
    const next = transition.afterSuccess(outcome.answer, { at, mode, key, pending: queued })
    await apply(rules.definiteState(next), next)
    if (transition.hasPending(next)) await pending.flush()
    return client.getSnapshot()
  }
  const error = transition.activationError(outcome)
  if (outcome.kind !== 'unreachable' && !isLicensed(client.getSnapshot())) {
    await apply(rules.refusedActivationState(error.code, at, cache.current))
  }
  throw error
}

/** Releases the held slot (or queues the release while the proxy is unreachable). */
async function deactivate({
  options,
  cache,
  heartbeat,
  pending,
  reader,
  request,
  apply,
}: ClientInternals): Promise<DeactivationResult> {
  const { mode, now } = options
  await cache.load()
  const previous = cache.current
  if (!rules.canValidate(previous, mode)) {
    if (transition.hasPending(previous)) await pending.flush()
    const state = await apply(reader.withoutKey(cache.current, now()))
    return { outcome: 'not_held', state }
  }
  const entry = transition.deactivationEntry(previous, mode)
  const outcome = await request('deactivate', entry)
  if (outcome.kind === 'failure' && !SLOT_NOT_HELD.has(outcome.error.code)) throw outcome.error
  heartbeat.answered(outcome)
  const result = transition.deactivationOutcome(outcome)
  const unsent = result === 'queued' ? entry : null
  const next = transition.afterDeactivation(cache.current, previous, unsent, now())
  const state = await apply(rules.definiteState(next, unsent ? 'cache' : 'server'), next)
  return { outcome: result, state }
}

function hasActions(client: GatingClient): client is GatingClient & LicenseKeyActions {
  const { activate, deactivate } = client as Partial<LicenseKeyActions>
  return typeof activate === 'function' && typeof deactivate === 'function'
}

/**
 * The key commands of `client`: its own `activate` and `deactivate` when it has them (a
 * `LicenseClient`, or a client of your own), else built for a client from `createGatingClient`.
 * Only the code that calls this (a key form, a settings page) ships the commands. Throws
 * `LicenseError('invalid_config')` for any other object.
 */
export function licenseActions(client: GatingClient): LicenseKeyActions {
  if (hasActions(client)) return { activate: client.activate, deactivate: client.deactivate }
  const internals = internalsOf(client)
  if (internals === undefined) {
    throw new LicenseError('invalid_config', 'licenseActions() needs a licensekit client')
  }
  return {
    activate: (key) => activate(client, internals, key),
    deactivate: () => deactivate(internals),
  }
}
