import { importEcKey, publicSigningJwk } from './keys.js'

/** Finds the verification key for a `kid`: `null` when unknown, `'unavailable'` when it cannot tell. */
export type KeyLookup = (kid: string) => Promise<CryptoKey | null | 'unavailable'>

/** Public keys by `kid` (their RFC 7638 thumbprint, whatever `kid` they were given). */
export type KeyMap = ReadonlyMap<string, Promise<CryptoKey>>

/** Imports each usable P-256 key of `jwks`; keys that are not P-256 public keys are skipped. */
export async function buildKeyMap(jwks: readonly unknown[]): Promise<KeyMap> {
  const map = new Map<string, Promise<CryptoKey>>()
  for (const jwk of jwks) {
    const usable = await publicSigningJwk(jwk)
    if (!usable) continue
    const key = importEcKey(usable, 'verify')
    key.catch(() => {})
    map.set(usable.kid, key)
  }
  return map
}

/** A lookup over a fixed map; a key that fails to import counts as unknown. */
export function staticLookup(map: Promise<KeyMap>): KeyLookup {
  map.catch(() => {})
  const resolved = new Map<string, CryptoKey | null>()
  return async (kid) => {
    const known = resolved.get(kid)
    if (known !== undefined) return known
    const key = (await map).get(kid)
    if (!key) return null
    const imported = await key.catch(() => null)
    resolved.set(kid, imported)
    return imported
  }
}

const lookups = new WeakMap<object, KeyLookup>()

/** The lookup for a JWK or list of JWKs, built once per object. */
export function lookupFor(keys: JsonWebKey | readonly JsonWebKey[]): KeyLookup {
  let lookup = lookups.get(keys)
  if (!lookup) {
    lookup = staticLookup(buildKeyMap(Array.isArray(keys) ? keys : [keys]))
    lookups.set(keys, lookup)
  }
  return lookup
}
