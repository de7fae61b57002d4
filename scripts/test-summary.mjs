// Prints one "N passed, N failed" line from the JSON reports Vitest wrote under test-results/.
import { readdirSync, readFileSync } from 'node:fs'

const dir = new URL('../test-results/', import.meta.url)
let passed = 0
let failed = 0
let skipped = 0
for (const name of readdirSync(dir).filter((n) => n.endsWith('.json'))) {
  const report = JSON.parse(readFileSync(new URL(name, dir), 'utf8'))
  passed += report.numPassedTests
  failed += report.numFailedTests
  skipped += report.numPendingTests + report.numTodoTests
}
console.log(`tests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`)
if (failed > 0 || passed === 0) process.exit(1)
