/** Turns the run's results into tables (default) or one JSON object (--json). */

import type { Summary } from './stats.ts'

export type Section = Record<string, unknown>

export interface Report {
  simnet: Section
  setup: Section
  resources: Section
  /** The settled network's upkeep with no scenario running (--idle-s) */
  idle?: Section
  scenarios: Record<string, Section>
  notes: string[]
  ok: boolean
}

export function formatJson (report: Report): string {
  return JSON.stringify(report, (_key, value) => typeof value === 'number' && !Number.isFinite(value) ? null : value, 2)
}

export function formatTables (report: Report): string {
  const lines: string[] = []
  const section = (title: string, values: Section): void => {
    const rows = flatten(values)
    if (rows.length === 0) return
    lines.push('', `== ${title} ==`)
    const width = Math.max(...rows.map(([key]) => key.length))
    for (const [key, value] of rows) lines.push(`  ${key.padEnd(width)}  ${value}`)
  }
  section('simnet', report.simnet)
  section('setup', report.setup)
  if (report.idle != null) section('idle', report.idle)
  for (const [name, result] of Object.entries(report.scenarios)) section(name, result)
  section('resources', report.resources)
  if (report.notes.length > 0) {
    lines.push('', '== notes ==', ...report.notes.map(n => `  - ${n}`))
  }
  lines.push('', report.ok ? 'simnet: done' : 'simnet: FAILED (see notes)')
  return lines.join('\n')
}

function flatten (values: Section, prefix = ''): Array<[string, string]> {
  const rows: Array<[string, string]> = []
  for (const [key, value] of Object.entries(values)) {
    const name = `${prefix}${key}`
    if (Array.isArray(value) && value.some(v => typeof v === 'object')) continue // JSON only
    if (value != null && typeof value === 'object' && !Array.isArray(value) && !isSummary(value) && !isCounts(value)) {
      rows.push(...flatten(value as Section, `${name}.`))
    } else {
      rows.push([name, formatValue(key, value)])
    }
  }
  return rows
}

function isSummary (value: object): value is Summary {
  return 'p50' in value && 'p99' in value && 'count' in value
}

/** `{ delivered: 48, queued: 2 }` */
function isCounts (value: object): value is Record<string, number> {
  return Object.values(value).every(v => typeof v === 'number')
}

function formatValue (key: string, value: unknown): string {
  if (value == null) return '-'
  if (Array.isArray(value)) return value.length === 0 ? '-' : value.map(v => formatValue(key, v)).join(', ')
  if (typeof value === 'object') {
    if (isSummary(value)) {
      const f = (v: number): string => formatNumber(key, v)
      return `p50 ${f(value.p50)} · p90 ${f(value.p90)} · p99 ${f(value.p99)} · max ${f(value.max)} · mean ${f(value.mean)} (n=${value.count})`
    }
    return Object.entries(value).map(([k, v]) => `${k} ${v as number}`).join(', ')
  }
  if (typeof value === 'number') return formatNumber(key, value)
  return String(value)
}

function formatNumber (key: string, value: number): string {
  if (!Number.isFinite(value)) return '-'
  if (/(Rate|Share)$/.test(key)) return `${(value * 100).toFixed(1)}%`
  if (/Bytes$/.test(key)) return `${(value / 2 ** 20).toFixed(1)} MiB`
  const digits = Number.isInteger(value) ? 0 : Math.abs(value) < 10 ? 2 : Math.abs(value) < 100 ? 1 : 0
  const text = value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
  return /Ms$/.test(key) ? `${text} ms` : text
}
