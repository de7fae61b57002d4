export { TIMESTAMP_WINDOW_SECONDS } from '@licensekit/core/server'
export { MAX_BODY_BYTES } from './api/handler.js'
export {
  createLicenseServer,
  type LicenseServer,
  type LicenseServerOptions,
  type ListeningAddress,
  type ListenOptions,
} from './server/create-license-server.js'
export {
  BufferedLog,
  type BufferedLogOptions,
  type ExitEvents,
  type RequestLog,
} from './server/request-log.js'
export { openLicenseStore } from './store/license-store.js'
export type { IssuedLicense, IssuedLicenseStatus, StoredStatus } from './store/records.js'
export type {
  ActivationCounts,
  IssueOptions,
  LicenseStore,
  LicenseStoreOptions,
} from './store/store-types.js'
