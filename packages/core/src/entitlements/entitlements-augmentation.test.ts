import { fileURLToPath } from 'node:url'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'

const packageDir = fileURLToPath(new URL('../..', import.meta.url))

/** Type-checks an app file against the package sources and returns its own diagnostics. */
function diagnosticsOf(source: string): { line: number; message: string }[] {
  const file = `${packageDir}src/entitlements/__app__.ts`
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
    types: [],
    skipLibCheck: true,
    baseUrl: packageDir,
    paths: {
      '@licensekit/core': ['./src/index.ts'],
      '@licensekit/core/server': ['./src/server/index.ts'],
    },
  }
  const host = ts.createCompilerHost(options)
  const readFile = host.readFile.bind(host)
  const fileExists = host.fileExists.bind(host)
  host.readFile = (name) => (name === file ? source : readFile(name))
  host.fileExists = (name) => name === file || fileExists(name)
  const program = ts.createProgram([file], options, host)
  return ts.getPreEmitDiagnostics(program, program.getSourceFile(file)).map((diagnostic) => ({
    line:
      diagnostic.file && diagnostic.start !== undefined
        ? diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start).line + 1
        : 0,
    message: ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'),
  }))
}

const uses = `
import type { EntitlementName } from '@licensekit/core'
import { type GuardResult, requireEntitlement } from '@licensekit/core/server'
declare const result: GuardResult
requireEntitlement(result, 'export')
requireEntitlement(result, 'seats')
requireEntitlement(result, 'pdf-export')
const name: EntitlementName = 'forecast'
export { name }
`

describe('Entitlements module augmentation', () => {
  it('accepts any entitlement name before the app augments Entitlements', () => {
    expect(diagnosticsOf(uses)).toEqual([])
  }, 60_000)

  it('makes an unknown name a type error once Entitlements is augmented', () => {
    const augmented = `${uses}
declare module '@licensekit/core' {
  interface Entitlements {
    export: boolean
    seats: number
  }
}
`
    const errors = diagnosticsOf(augmented)
    expect(errors.map((error) => error.line)).toEqual([7, 8])
    expect(errors[0]?.message).toMatch(/"pdf-export"/)
    expect(errors[1]?.message).toMatch(/"forecast"/)
  }, 60_000)
})
