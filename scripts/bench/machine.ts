/** The machine and software a run measured, printed with every report */
import { readFile } from 'node:fs/promises'
import { cpus, loadavg, release, totalmem, type } from 'node:os'

export interface Machine {
  date: string
  cpu: string
  cores: number
  memoryGB: number
  os: string
  /** 1, 5 and 15 minute load averages when the run started, and when it ended */
  loadavg: number[]
  loadavgEnd?: number[]
  node: string
  libp2p: string
}

async function versionOf (pkg: string): Promise<string> {
  try {
    const json = JSON.parse(await readFile(new URL(`../../node_modules/${pkg}/package.json`, import.meta.url), 'utf8'))
    return String(json.version)
  } catch {
    return 'unknown'
  }
}

export async function describeMachine (): Promise<Machine> {
  const cpu = cpus()
  return {
    date: new Date().toISOString(),
    cpu: cpu[0]?.model.trim() ?? 'unknown',
    cores: cpu.length,
    memoryGB: Math.round(totalmem() / 1_073_741_824),
    os: `${type()} ${release()}`,
    loadavg: loadavg().map(l => Math.round(l * 100) / 100),
    node: process.version,
    libp2p: await versionOf('libp2p')
  }
}
