// Summarises a V8 .cpuprofile (from `node --cpu-prof`): self and inclusive time per function
// and self time per file, the top entries of each, as shares of the sampled time.
// Run: tsx bench/profile-summary.ts FILE.cpuprofile [rows, default 30] [skip: ms of start-up left out, default 0]
import { readFileSync } from 'node:fs'

interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
  children?: number[]
}
interface Profile {
  nodes: ProfileNode[]
  samples: number[]
  timeDeltas: number[]
}

const [file, rowsArg, skipArg] = process.argv.slice(2)
if (!file) throw new Error('usage: tsx bench/profile-summary.ts FILE.cpuprofile [rows]')
const rows = Number(rowsArg ?? 30)
const skipUs = Number(skipArg ?? 0) * 1000
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile

const byId = new Map(profile.nodes.map((node) => [node.id, node]))
const parentOf = new Map<number, number>()
for (const node of profile.nodes)
  for (const child of node.children ?? []) parentOf.set(child, node.id)

const selfTime = new Map<number, number>()
let elapsed = 0
profile.samples.forEach((id, index) => {
  const delta = profile.timeDeltas[index] ?? 0
  elapsed += delta
  if (elapsed >= skipUs) selfTime.set(id, (selfTime.get(id) ?? 0) + delta)
})

const shortUrl = (url: string) =>
  url.replace(/^.*\/(node_modules|packages)\//, '$1/').replace(/^node:/, '')
const label = (node: ProfileNode) =>
  `${node.callFrame.functionName || '(anonymous)'} ${shortUrl(node.callFrame.url)}:${node.callFrame.lineNumber + 1}`
const idle = new Set(['(idle)', '(program)', '(garbage collector)'])

const self = new Map<string, number>()
const inclusive = new Map<string, number>()
const files = new Map<string, number>()
let busy = 0
for (const [id, time] of selfTime) {
  const node = byId.get(id)
  if (!node) continue
  const name = node.callFrame.functionName
  if (name === '(idle)') continue
  busy += time
  self.set(label(node), (self.get(label(node)) ?? 0) + time)
  const where = idle.has(name) ? name : shortUrl(node.callFrame.url) || '(native)'
  files.set(where, (files.get(where) ?? 0) + time)
  const seen = new Set<string>()
  for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) {
    const ancestor = byId.get(at)
    if (!ancestor) break
    const key = label(ancestor)
    if (seen.has(key)) continue
    seen.add(key)
    inclusive.set(key, (inclusive.get(key) ?? 0) + time)
  }
}

function print(title: string, table: Map<string, number>): void {
  console.log(`\n${title}`)
  for (const [name, time] of [...table].sort((a, b) => b[1] - a[1]).slice(0, rows)) {
    console.log(`${((100 * time) / busy).toFixed(1).padStart(6)} %  ${name}`)
  }
}
console.log(`${file}: ${(busy / 1000).toFixed(0)} ms busy (idle excluded)`)
print('self time per function', self)
print('inclusive time per function', inclusive)
print('self time per file', files)
