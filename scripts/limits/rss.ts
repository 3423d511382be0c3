import { readFile } from 'node:fs/promises'

/** Resident set size of a process in bytes, from /proc (Linux); undefined once it is gone */
export async function rssOf (pid: number): Promise<number | undefined> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8')
    const kib = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1]
    return kib == null ? undefined : Number(kib) * 1_024
  } catch {
    return undefined
  }
}

/** Samples the RSS of named processes on an interval and keeps each one's peak, overall and since a reset */
export class RssSampler {
  private readonly peaks = new Map<string, number>()
  private readonly overall = new Map<string, number>()
  private timer?: NodeJS.Timeout

  constructor (private readonly pids: Record<string, () => number | undefined>, private readonly intervalMs = 250) {}

  start (): void {
    this.timer = setInterval(() => { void this.sample() }, this.intervalMs)
  }

  stop (): void {
    clearInterval(this.timer)
  }

  /** The highest RSS seen of `name` since the start (or the last `resetPeak`) */
  peak (name: string): number {
    return this.peaks.get(name) ?? 0
  }

  resetPeak (name: string, to = 0): void {
    this.peaks.set(name, to)
  }

  /** The highest RSS seen of `name` since the start */
  overallPeak (name: string): number {
    return this.overall.get(name) ?? 0
  }

  async now (name: string): Promise<number> {
    const pid = this.pids[name]?.()
    return pid == null ? 0 : await rssOf(pid) ?? 0
  }

  async sample (): Promise<void> {
    for (const name of Object.keys(this.pids)) {
      const rss = await this.now(name)
      if (rss > this.peak(name)) this.peaks.set(name, rss)
      if (rss > this.overallPeak(name)) this.overall.set(name, rss)
    }
  }
}
