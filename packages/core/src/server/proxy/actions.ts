import type { LicenseAction, ProxySuccess } from '../../protocol.js'
import { type ActionContext, errorName, runHook } from './action-context.js'
import { checkDomain } from './domain-rules.js'
import { entitlementsOf } from './entitlements.js'
import { deviceBoundName } from './host-name.js'
import { IsoTime } from './iso-time.js'
import { ProxyRejection, reject } from './responses.js'
import { type UpstreamLicense, upstreamSlot, upstreamValidate, withCounts } from './upstream.js'

async function computedDomainOf(
  context: ActionContext,
  domain: (request: Request) => string | Promise<string>,
): Promise<string> {
  const value = await runHook(context, 'domain', () => domain(context.request.toRequest()))
  try {
    return checkDomain(value, context.options)
  } catch {
    context.options.log(
      'licensekit proxy: the domain function returned a value that is not a host name',
    )
    throw reject('upstream_misconfigured', 'The license proxy is misconfigured')
  }
}

function bound(site: string, device: string | null): string {
  return device === null ? site : deviceBoundName(device, site)
}

/**
 * The name the slot binds: the site's domain, or `<device>.<domain>` under device binding;
 * without a promise for a fixed domain.
 */
function domainOf(context: ActionContext, device: string | null): string | Promise<string> {
  const { domain } = context.options
  if (typeof domain === 'string') return bound(domain, device)
  return computedDomainOf(context, domain).then((site) => bound(site, device))
}

/** Installation mode: the stored key in canonical form, or `null` when none is stored. */
async function storedKey(context: ActionContext): Promise<string | null> {
  const { resolveKey } = context.hooks
  if (!resolveKey) return null
  const raw = await runHook(context, 'resolveKey', () => resolveKey(context.request.toRequest()))
  if (raw === null || raw === undefined) return null
  if (typeof raw !== 'string') {
    context.options.log('licensekit proxy: resolveKey returned neither a string nor null')
    throw reject('upstream_misconfigured', 'The license proxy is misconfigured')
  }
  return context.options.canonicalKey(raw)
}

/** The middle groups of a canonical key masked: a dash and four `*` each, three at most. */
const MASKED_MIDDLE = '-****-****-****'

/**
 * `maskLicenseKey` of a key the proxy already made canonical, without normalising it again:
 * the prefix and the last group kept, every other character a `*`.
 */
function masked(key: string): string {
  const first = key.indexOf('-')
  const last = key.lastIndexOf('-')
  return key.slice(0, first) + MASKED_MIDDLE.slice(0, last - first) + key.slice(last)
}

const isoTime = new IsoTime()

function checkedAt(context: ActionContext): string {
  return isoTime.of(context.options.now())
}

function empty(context: ActionContext): ProxySuccess {
  return { ok: true, license: null, checkedAt: checkedAt(context) }
}

async function licensed(
  context: ActionContext,
  key: string,
  domain: string,
  license: UpstreamLicense,
): Promise<ProxySuccess> {
  const now = context.options.now()
  const resolved = entitlementsOf(context, license)
  const entitlements = resolved instanceof Promise ? await resolved : resolved
  const { status, expiresAt } = license
  const info = withCounts({ key: masked(key), status, expiresAt }, license)
  const body: ProxySuccess = {
    ok: true,
    license: Object.assign(info, { entitlements }),
    checkedAt: isoTime.of(now),
  }
  if (context.tokens) {
    body.token = await context.tokens.issue(key, domain, license, entitlements, now)
  }
  return body
}

async function validate(
  context: ActionContext,
  bodyKey: string | null,
  device: string | null,
): Promise<ProxySuccess> {
  const key = context.hooks.resolveKey ? await storedKey(context) : bodyKey
  if (key === null) return empty(context)
  const named = domainOf(context, device)
  const domain = typeof named === 'string' ? named : await named
  return licensed(context, key, domain, await upstreamValidate(context.options, key, domain))
}

/**
 * Validates first, so a key that is not licensed never takes a slot, then activates. In
 * installation mode `onActivate` stores the key afterwards; if it fails, the activation is
 * kept (activation is idempotent per domain, so the retry the 503 invites reuses the slot).
 */
async function activate(
  context: ActionContext,
  key: string,
  device: string | null,
): Promise<ProxySuccess> {
  const named = domainOf(context, device)
  const domain = typeof named === 'string' ? named : await named
  const license = await upstreamValidate(context.options, key, domain, 'activate')
  const counts = await upstreamSlot(context.options, 'activate', key, domain)
  const { onActivate } = context.hooks
  if (onActivate) {
    try {
      await onActivate(context.request.toRequest(), key)
    } catch (error) {
      context.options.log(
        `licensekit proxy: onActivate threw after the upstream activation, which is kept; a retry reuses it (${errorName(error)})`,
      )
      throw reject(
        'upstream_unavailable',
        'The license was activated but could not be saved; try again',
        { cause: error },
      )
    }
  }
  return licensed(context, key, domain, { ...license, ...counts })
}

/**
 * Frees this domain's slot. In installation mode, with no stored key there is nothing to
 * free; an upstream "Activation not found" still lets `onDeactivate` forget the key.
 */
async function deactivate(
  context: ActionContext,
  bodyKey: string | null,
  device: string | null,
): Promise<ProxySuccess> {
  const installation = context.hooks.resolveKey !== undefined
  const key = installation ? await storedKey(context) : bodyKey
  if (key === null) return empty(context)
  const named = domainOf(context, device)
  const domain = typeof named === 'string' ? named : await named
  try {
    await upstreamSlot(context.options, 'deactivate', key, domain)
  } catch (error) {
    const alreadyFree = error instanceof ProxyRejection && error.code === 'not_activated'
    if (!installation || !alreadyFree) throw error
  }
  const { onDeactivate } = context.hooks
  if (onDeactivate)
    await runHook(context, 'onDeactivate', () => onDeactivate(context.request.toRequest(), key))
  return empty(context)
}

/**
 * Runs `action` for a request that passed every check; `key` is the body's canonical key,
 * `device` its device id (`binding: 'device'` only).
 */
export function perform(
  context: ActionContext,
  action: LicenseAction,
  key: string | null,
  device: string | null,
): Promise<ProxySuccess> {
  switch (action) {
    case 'validate':
      return validate(context, key, device)
    case 'activate':
      if (key === null) throw reject('bad_request', 'Missing field "key"')
      return activate(context, key, device)
    case 'deactivate':
      return deactivate(context, key, device)
  }
}
