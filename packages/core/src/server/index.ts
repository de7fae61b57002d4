export { isLicenseErrorCode, LICENSE_ERROR_CODES, type LicenseErrorCode } from '../errors/codes.js'
export { isLicenseError, LicenseError } from '../errors/license-error.js'
export type {
  LicenseAction,
  LicenseInfo,
  ProxyFailure,
  ProxyResponse,
  ProxySuccess,
} from '../protocol.js'
export type { ReceiptClaims } from '../receipts/claims.js'
export { createReceipt, generateReceiptKeys } from '../receipts/create-receipt.js'
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
  createLicenseProxy,
  type LicenseProxyHandler,
} from './proxy/create-license-proxy.js'
export { getLicenseState } from './proxy/license-state.js'
export {
  type FetchStyleHandler,
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
  createMemoryRateLimitStore,
  DEFAULT_PER_CLIENT,
  DEFAULT_PER_KEY,
  type MemoryRateLimitStore,
  type RateLimitDecision,
  type RateLimitOptions,
  type RateLimitRule,
  type RateLimitStore,
} from './proxy/rate-limit.js'
export { MAX_BODY_BYTES, readBody } from './proxy/read-body.js'
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
