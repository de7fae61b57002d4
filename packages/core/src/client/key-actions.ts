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
  internals: ClientInternals,
  keyInput: string,
): Promise<LicenseState> {
  const { mode, now, keyFormat } = internals.options
  const key = normalizeLicenseKey(keyInput, keyFormat)
  await internals.cache.load()
  const outcome = await internals.request('activate', { key })
  const at = now()
  if (outcome.kind === 'success' && outcome.answer.license?.status === 'active') {
    internals.heartbeat.answered(outcome)
    const pending = transition.pendingAfterActivation(internals.cache.current, key, mode)
    const next = transition.afterSuccess(outcome.answer, { at, mode, key, pending })
    await internals.apply(rules.definiteState(next), next)
    if (transition.hasPending(next)) await internals.pending.flush()
    return client.getSnapshot()
  }
  const error = transition.activationError(outcome)
  if (outcome.kind !== 'unreachable' && !isLicensed(client.getSnapshot())) {
    await internals.apply(rules.refusedActivationState(error.code, at, internals.cache.current))
  }
  throw error
}

/** Releases the held slot (or queues the release while the proxy is unreachable). */
async function deactivate(internals: ClientInternals): Promise<DeactivationResult> {
  const { mode, now } = internals.options
  await internals.cache.load()
  const previous = internals.cache.current
  if (!rules.canValidate(previous, mode)) {
    if (transition.hasPending(previous)) await internals.pending.flush()
    const state = await internals.apply(internals.reader.withoutKey(internals.cache.current, now()))
    return { outcome: 'not_held', state }
  }
  const entry = transition.deactivationEntry(previous, mode)
  const outcome = await internals.request('deactivate', entry)
  if (outcome.kind === 'failure' && !SLOT_NOT_HELD.has(outcome.error.code)) throw outcome.error
  internals.heartbeat.answered(outcome)
  const result = transition.deactivationOutcome(outcome)
  const unsent = result === 'queued' ? entry : null
  const next = transition.afterDeactivation(internals.cache.current, previous, unsent, now())
  const state = await internals.apply(rules.definiteState(next, unsent ? 'cache' : 'server'), next)
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
    throw new LicenseError(
      'invalid_config',
      'licenseActions() needs a client from createGatingClient() or one with activate() and deactivate()',
    )
  }
  return {
    activate: (key) => activate(client, internals, key),
    deactivate: () => deactivate(internals),
  }
}
