export { useLicenseClient } from './context.js'
export { type EntitlementType, entitlementOf } from './entitlement-of.js'
export {
  type FormatLicenseKeyInputOptions,
  type FormattedLicenseKeyInput,
  formatLicenseKeyInput,
  interpretKeyEdit,
  type KeyEditOptions,
  licenseKeyFormatError,
} from './key-input-format.js'
export {
  LicenseProvider,
  type LicenseProviderClientProps,
  type LicenseProviderOptionsProps,
  type LicenseProviderProps,
} from './license-provider.js'
export { Licensed, type LicensedProps } from './licensed.js'
export { describeLicenseError, describeLicenseReason, licenseErrorMessages } from './messages.js'
export { useEntitlement } from './use-entitlement.js'
export { type UseLicenseResult, useLicense } from './use-license.js'
export { useLicenseActions } from './use-license-actions.js'
export {
  type LicenseKeyField,
  type UseLicenseKeyFieldOptions,
  useLicenseKeyField,
} from './use-license-key-field.js'
export {
  type LicenseKeyInputProps,
  type LicenseKeyMessageProps,
  type UseLicenseKeyInputOptions,
  type UseLicenseKeyInputResult,
  useLicenseKeyInput,
} from './use-license-key-input.js'
export {
  type LicenseKeySubmit,
  type UseLicenseKeySubmitOptions,
  useLicenseKeySubmit,
} from './use-license-key-submit.js'
export { useLicenseToken } from './use-license-token.js'
