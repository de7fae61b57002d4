import { generateSigningKeys } from '../../../../tokens/keys.js'

/** What the README examples take from the app around them. */
export const signing = await generateSigningKeys()

export async function buildCsv(seats?: number | boolean): Promise<string> {
  return `month,orders\n2026-01,1190\n${seats === undefined ? '' : `# seats ${seats}\n`}`
}

export async function computeForecast(): Promise<{ month: string; revenueUsd: number }[]> {
  return [{ month: '2026-04', revenueUsd: 53_000 }]
}
