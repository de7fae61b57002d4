// @vitest-environment node
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'

const packageDir = fileURLToPath(new URL('..', import.meta.url))
const coreDir = fileURLToPath(new URL('../../core/', import.meta.url))

/** Type-checks an app's TSX file against the React and core sources; returns its own errors. */
function errorsIn(source: string): { line: number; message: string }[] {
  const file = `${packageDir}src/__app__.tsx`
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    jsx: ts.JsxEmit.ReactJSX,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
    types: [],
    skipLibCheck: true,
    paths: {
      '@licensekit/core': [`${coreDir}src/index.ts`],
      '@licensekit/react': [`${packageDir}src/index.ts`],
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

const app = `
import { Licensed, useEntitlement } from '@licensekit/react'
export function Features() {
  const seats = useEntitlement('seats')
  const pdf = useEntitlement('pdf-export')
  return (
    <>
      <Licensed feature="export">{seats}</Licensed>
      <Licensed feature="pdf-export">{String(pdf)}</Licensed>
      <Licensed>any licensed user</Licensed>
    </>
  )
}
`

const augmentation = `
declare module '@licensekit/core' {
  interface Entitlements {
    export: boolean
    seats: number
  }
}
`

/** The 1-based line of `source` that contains `text`. */
function lineOf(source: string, text: string): number {
  return source.split('\n').findIndex((line) => line.includes(text)) + 1
}

const typedValues = `
export function useTypedValues() {
  const count: number | undefined = useEntitlement('seats')
  const flag: boolean | undefined = useEntitlement('export')
  const wrong: string | undefined = useEntitlement('seats')
  return [count, flag, wrong]
}
`

describe('typed entitlement names in React', () => {
  it('accepts any name before the app augments Entitlements', () => {
    expect(errorsIn(app)).toEqual([])
  }, 60_000)

  it('once augmented: an unknown name is an error for useEntitlement and <Licensed feature>, and values have their declared types', () => {
    const source = app + augmentation + typedValues
    const errors = errorsIn(source)
    expect(errors.map((error) => error.line)).toEqual([
      lineOf(source, "useEntitlement('pdf-export')"),
      lineOf(source, 'feature="pdf-export"'),
      lineOf(source, 'const wrong'),
    ])
    expect(errors[0]?.message).toMatch(/"pdf-export"/)
    expect(errors[1]?.message).toMatch(/"pdf-export"/)
    expect(errors[2]?.message).toMatch(/'number \| undefined' is not assignable to type 'string/)
  }, 60_000)

  it('compiles the README example, augmentation included', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')
    const section = readme.split('## Entitlements and your own premium routes')[1] ?? ''
    const blocks = [...section.matchAll(/```tsx?\n([\s\S]*?)```/g)].map((match) => match[1])
    const [augment = '', example = ''] = blocks
    expect(augment).toContain("declare module '@licensekit/core'")
    expect(example).toContain('<Licensed')
    expect(errorsIn(`${example}\nexport { Reports }\n${augment}`)).toEqual([])
  }, 60_000)
})
