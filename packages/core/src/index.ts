export type { LicenseBinding } from './binding.js'
export type { ChannelFactory, ChannelLike, LockManagerLike } from './client/coordinator.js'
export { createGatingClient, createLicenseClient } from './client/create-license-client.js'
export { licenseActions } from './client/key-actions.js'
export type { OnlineSource } from './client/online.js'
export {
  type LicenseClientOptions,
  type LicenseMode,
  MIN_HEARTBEAT_INTERVAL_MS,
} from './client/options.js'
export {
  createIdbStorage,
  createMemoryStorage,
  createWebStorage,
  type LicenseStorage,
  type WebStorageArea,
} from './client/storage.js'
export {
  type DeactivationOutcome,
  type DeactivationResult,
  type GatingClient,
  isLicensed,
  type LicenseClient,
  type LicenseKeyActions,
  type LicenseReason,
  type LicenseState,
  type LicenseStatus,
} from './client/types.js'
export type { VisibilitySource } from './client/visibility.js'
export type {
  EntitlementMap,
  EntitlementName,
  Entitlements,
  EntitlementValue,
} from './entitlements/entitlements.js'
export { isLicenseErrorCode, LICENSE_ERROR_CODES, type LicenseErrorCode } from './errors/codes.js'
export { isLicenseError, LicenseError, type LicenseErrorOptions } from './errors/license-error.js'
export { type LicenseKeyFormat, licenseKeyTemplate } from './keys/key-format.js'
export { isLicenseKey, maskLicenseKey, normalizeLicenseKey } from './keys/license-key.js'
export {
  LICENSE_ACTIONS,
  type LicenseAction,
  type LicenseInfo,
  type ProxyFailure,
  type ProxyRequestBody,
  type ProxyResponse,
  type ProxySuccess,
} from './protocol.js'
export { type LicenseTokenClaims, licenseSubject } from './tokens/claims.js'
export type { TokenRefusal } from './tokens/parse-token.js'
export type { PublicSigningJwk } from './tokens/public-jwk.js'
export {
  type LicenseTokenVerification,
  type VerifyLicenseTokenOptions,
  verifyLicenseToken,
} from './tokens/verify-license-token.js'
