export type { EntitlementMap, EntitlementValue } from '../entitlements/entitlements.js'
export { isLicenseErrorCode, LICENSE_ERROR_CODES, type LicenseErrorCode } from '../errors/codes.js'
export { isLicenseError, LicenseError } from '../errors/license-error.js'
export type {
  LicenseAction,
  LicenseInfo,
  ProxyFailure,
  ProxyResponse,
  ProxySuccess,
} from '../protocol.js'
export { type LicenseTokenClaims, licenseSubject } from '../tokens/claims.js'
export {
  generateReceiptKeys,
  generateSigningKeys,
  type PrivateSigningJwk,
  type PublicSigningJwk,
  type SigningKeyPair,
} from '../tokens/keys.js'
export type { TokenRefusal } from '../tokens/parse-token.js'
export { signLicenseToken } from '../tokens/sign-license-token.js'
export {
  type LicenseTokenVerification,
  type VerifyLicenseTokenOptions,
  verifyLicenseToken,
} from '../tokens/verify-license-token.js'
export {
  createMemoryEventBus,
  type EventBus,
  type LicenseEventListener,
} from './events/event-bus.js'
export type { KeepAliveTimers } from './events/event-stream.js'
export {
  DEFAULT_KEEP_ALIVE_MS,
  DEFAULT_MAX_STREAMS_PER_CLIENT,
  type EventStreamSettings,
  type LiveEventOptions,
} from './events/live-events.js'
export { MAX_WEBHOOK_BYTES } from './events/webhook.js'
export { signWebhookBody, WEBHOOK_HEADERS } from './events/webhook-signature.js'
export {
  createLicenseGuard,
  type GuardLicense,
  type GuardRequest,
  type GuardResult,
  type LicenseGuard,
  type LicenseGuardOptions,
  requireEntitlement,
} from './guard/create-license-guard.js'
export {
  createLicenseProxy,
  type LicenseProxyHandler,
} from './proxy/create-license-proxy.js'
export { getLicenseState } from './proxy/license-state.js'
export {
  type NodeHandler,
  type NodeHandlerOptions,
  type NodeRequestLike,
  type NodeResponseLike,
  toNodeHandler,
} from './proxy/node-handler.js'
export {
  DEFAULT_BASE_PATH,
  DEFAULT_TIMEOUT_MS,
  DEFAULT_UPSTREAM,
  type FetchFunction,
  type LicenseBinding,
  type LicenseProxyOptions,
  type ProxyRequestContext,
} from './proxy/options.js'
export {
  type DualHandler,
  plainRequestOf,
  responseOf,
  toFetchHandler,
} from './proxy/plain-fetch.js'
export type {
  FetchStyleHandler,
  PlainAnswer,
  PlainHandler,
  PlainRequest,
} from './proxy/plain-http.js'
export {
  createMemoryRateLimitStore,
  DEFAULT_PER_CLIENT,
  DEFAULT_PER_KEY,
  type MemoryRateLimitStore,
  type RateLimitDecision,
  type RateLimitOptions,
  type RateLimitRule,
  type RateLimitStore,
} from './proxy/rate-limit.js'
export { MAX_BODY_BYTES, readBody, readPlainText } from './proxy/read-body.js'
export { canonicalMessage, type SignablePayload, signPayload, verifySignature } from './signing.js'
export {
  MAX_UPSTREAM_BODY_BYTES,
  MIN_SECRET_BYTES,
  SIGNATURE_HEADER,
  SUCCESS_FLAG,
  TIMESTAMP_WINDOW_SECONDS,
  UPSTREAM_FAILURES,
  UPSTREAM_PAYLOAD_FIELDS,
  type UpstreamFailure,
  type UpstreamPayload,
  upstreamFailureOf,
} from './upstream-protocol.js'
