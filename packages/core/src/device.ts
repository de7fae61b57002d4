/**
 * `@licensekit/core/device`: device binding, an opt-in of the browser client. Pass
 * `binding: deviceBinding()` to `createLicenseClient` (or `<LicenseProvider>`) when the proxy
 * runs with `binding: 'device'`; an app that does not import this entry ships none of it.
 */
export {
  type BindingContext,
  type BoundClient,
  type DeviceBinding,
  deviceBinding,
  type RandomValues,
} from './client/device-id.js'
