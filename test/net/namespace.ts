/** One network namespace the harness owns: commands and processes inside it, its conntrack table */

import { spawn } from 'node:child_process'
import { collect, run, runSync } from './command.ts'
import { EXEC_TIMEOUT_MS, KILL_WAIT_MS } from './constants.ts'
import { parseConntrack } from './conntrack.ts'
import { BoxDestroyedError } from './errors.ts'
import { register, unregister } from './registry.ts'
import { deleteNamespace } from './stale.ts'
import type { ChildProcess, ChildProcessWithoutNullStreams, SpawnOptions, SpawnOptionsWithoutStdio } from 'node:child_process'
import type { CollectOptions, ExecResult } from './command.ts'
import type { Flow } from './conntrack.ts'

export interface NamespaceInit {
  /**
   * Keep IPv6; by default it is disabled, so there are no link-local addresses or router
   * solicitations in the flows
   * @default false
   */
  ipv6?: boolean
  /** More sysctls for this namespace, e.g. `net.ipv4.ip_forward` for a router */
  sysctls?: Record<string, string | number>
}

export class Namespace {
  readonly name: string
  private readonly children = new Set<ChildProcess>()
  private state: 'new' | 'live' | 'deleted' = 'new'

  constructor (name: string) {
    this.name = name
  }

  /** Creates the namespace with `lo` up; from the moment it exists it is deleted on process exit */
  async create (init: NamespaceInit = {}): Promise<void> {
    await run('ip', ['netns', 'add', this.name])
    if (this.state === 'deleted') {
      // delete() ran while `ip netns add` was under way
      await deleteNamespace(this.name)
      throw new BoxDestroyedError()
    }
    this.state = 'live'
    register(this)
    const sysctls: Record<string, string | number> = { ...init.sysctls }
    if (init.ipv6 !== true) {
      sysctls['net.ipv6.conf.all.disable_ipv6'] = 1
      sysctls['net.ipv6.conf.default.disable_ipv6'] = 1
    }
    if (Object.keys(sysctls).length > 0) await this.sysctl(sysctls)
    await this.runIp(['link', 'set', 'lo', 'up'])
  }

  /**
   * Loads an nftables ruleset, then turns on conntrack's packet and byte counters. In that order
   * because the counters' sysctl only exists once conntrack is loaded, which the rules may cause.
   */
  async loadRules (ruleset: string): Promise<void> {
    await this.run('nft', ['-f', '-'], { input: ruleset })
    await this.sysctl({ 'net.netfilter.nf_conntrack_acct': 1 })
  }

  /** `ip -n <ns> ARGS` */
  async runIp (args: string[]): Promise<string> {
    return run('ip', ['-n', this.name, ...args])
  }

  /** Several `ip` commands (one per line, without the leading `ip`) in one process */
  async runIpBatch (commands: string[]): Promise<void> {
    await run('ip', ['-n', this.name, '-batch', '-'], { input: commands.join('\n') + '\n' })
  }

  async sysctl (settings: Record<string, string | number>): Promise<void> {
    await this.run('sysctl', ['-q', '-w', ...Object.entries(settings).map(([key, value]) => `${key}=${value}`)])
  }

  /** A harness command inside the namespace, not tracked, throwing unless it exits 0 */
  async run (command: string, args: string[], options: CollectOptions = {}): Promise<string> {
    return run('ip', ['netns', 'exec', this.name, command, ...args], options)
  }

  /**
   * `child_process.spawn` inside the namespace. The process leads its own process group, and
   * destroy() SIGKILLs that group and anything else left in the namespace; should this process
   * die unannounced, the child gets SIGKILL from the kernel (its own children do not). `command`
   * is looked up on PATH: pass `process.execPath` for node.
   */
  spawn (command: string, args?: readonly string[], options?: SpawnOptionsWithoutStdio): ChildProcessWithoutNullStreams
  spawn (command: string, args: readonly string[], options: SpawnOptions): ChildProcess
  spawn (command: string, args: readonly string[] = [], options: SpawnOptions = {}): ChildProcess {
    if (this.state !== 'live') throw new BoxDestroyedError(`namespace ${this.name} is not live`)
    // setpriv: if this process dies by SIGKILL, where no cleanup runs, the child dies with it
    const inside = ['netns', 'exec', this.name, 'setpriv', '--pdeathsig', 'KILL', '--', command, ...args]
    const child = spawn('ip', inside, { ...options, detached: true })
    this.children.add(child)
    const forget = (): void => { this.children.delete(child) }
    child.once('exit', forget)
    child.once('error', forget)
    return child
  }

  /** Runs to completion inside the namespace; a non-zero exit is a result, not an error */
  async exec (command: string, args: readonly string[] = [], options: CollectOptions = {}): Promise<ExecResult> {
    const child = this.spawn(command, args, { stdio: 'pipe' })
    return collect(child, [command, ...args], { timeoutMs: EXEC_TIMEOUT_MS, ...options })
  }

  /** This namespace's conntrack table: every connection its processes made or forwarded */
  async flows (): Promise<Flow[]> {
    return parseConntrack(await this.run('conntrack', ['-L']))
  }

  /** Kills every process inside, waits (bounded) for our children to be reaped, deletes the namespace */
  async delete (): Promise<void> {
    if (this.state !== 'live') {
      this.state = 'deleted'
      return
    }
    this.state = 'deleted'
    const reaped = Promise.all([...this.children].map(reapedOf))
    this.killTracked()
    killPids(await run('ip', ['netns', 'pids', this.name]))
    let timer: NodeJS.Timeout | undefined
    await Promise.race([reaped, new Promise(resolve => { timer = setTimeout(resolve, KILL_WAIT_MS) })])
    clearTimeout(timer)
    await deleteNamespace(this.name)
    unregister(this)
  }

  deleteSync (): void {
    if (this.state !== 'live') return
    this.state = 'deleted'
    this.killTracked()
    killPids(runSync('ip', ['netns', 'pids', this.name]) ?? '')
    runSync('ip', ['netns', 'del', this.name])
    unregister(this)
  }

  /** Our children's whole process groups, so a daemon's own helpers go too */
  private killTracked (): void {
    for (const child of this.children) {
      // not yet reaped, so the pid (and group id) cannot have been reused
      if (child.pid != null && child.exitCode == null && child.signalCode == null) {
        try { process.kill(-child.pid, 'SIGKILL') } catch { /* already gone */ }
      }
    }
  }
}

/** `ip netns pids` lists every process in the namespace: all started by us through spawn() */
function killPids (list: string): void {
  for (const pid of list.split('\n').map(Number).filter(pid => pid > 0)) {
    try { process.kill(pid, 'SIGKILL') } catch { /* already gone */ }
  }
}

async function reapedOf (child: ChildProcess): Promise<void> {
  if (child.exitCode != null || child.signalCode != null) return
  await new Promise(resolve => child.once('exit', resolve))
}
