/**
 * Throughput with the sender and the receiver in two processes (two-process-child.ts), each with
 * its own event loop, as two peers are: raw TCP, a plain libp2p node and the tuned one. The same
 * figures as `tcp_MiBps`, `libp2p_MiBps` and `libp2p_tuned_MiBps`, where both ends share one
 * thread. Timed from the sender's first write to the receiver's last byte, on the monotonic clock
 * both processes read (`process.hrtime`). CPU time is each process's user + system time over its
 * part (the receiver's from listening, the sender's from 'go'): on a shared machine it moves less
 * than throughput, and it is what a transfer costs both peers.
 */
import { Child } from './child.ts'
import { median, MiB, mibPerSecond } from './stats.ts'
import type { BenchConfig, Figures } from './config.ts'

export type EndKind = 'tcp' | 'libp2p' | 'libp2p-tuned'

export interface EndArgs {
  role: 'receiver' | 'sender'
  kind: EndKind
  totalBytes: number
  chunkBytes: number
  /** The sender's: the receiver's port (TCP) or multiaddr (libp2p) */
  address?: string
}

export type EndRequest = { cmd: 'go' } | { cmd: 'stop' }
export type EndMessage =
  | { type: 'listening', address: string }
  | { type: 'connected' }
  /** `process.hrtime.bigint()` as a string: IPC carries JSON */
  | { type: 'sent', startNs: string, cpuUs: number }
  | { type: 'received', endNs: string, cpuUs: number }

/** One run: throughput, and the CPU time both processes spent per MiB (user + system) */
interface EndsRun {
  MiBps: number
  cpuUsPerMiB: number
}

function end (args: EndArgs): Child<EndMessage, EndRequest> {
  return new Child(`the ${args.kind} ${args.role}`, './two-process-child.ts', { ...args })
}

/** One run: the receiver listens, the sender connects, then sends on 'go' */
async function twoProcessRun (kind: EndKind, totalBytes: number, chunkBytes: number): Promise<EndsRun> {
  const receiver = end({ role: 'receiver', kind, totalBytes, chunkBytes })
  let sender: Child<EndMessage, EndRequest> | undefined
  try {
    const { address } = await receiver.next('listening')
    sender = end({ role: 'sender', kind, totalBytes, chunkBytes, address })
    await sender.next('connected')
    sender.send({ cmd: 'go' })
    const [sent, received] = await Promise.all([sender.next('sent'), receiver.next('received')])
    sender.send({ cmd: 'stop' })
    receiver.send({ cmd: 'stop' })
    await Promise.all([sender.finish(), receiver.finish()])
    return {
      MiBps: mibPerSecond(totalBytes, Number(BigInt(received.endNs) - BigInt(sent.startNs)) / 1e6),
      cpuUsPerMiB: (sent.cpuUs + received.cpuUs) / (totalBytes / MiB)
    }
  } finally {
    sender?.kill()
    receiver.kill()
  }
}

/** Runs `kind` `config.throughputRuns` times: the median throughput and CPU per MiB, as `<prefix>_MiBps` and `<prefix>_cpu_us_per_MiB` */
async function figuresOf (prefix: string, config: BenchConfig, kind: EndKind, chunkBytes: number): Promise<Figures> {
  const runs: EndsRun[] = []
  for (let i = 0; i < config.throughputRuns; i++) runs.push(await twoProcessRun(kind, config.bulkBytes, chunkBytes))
  return {
    [`${prefix}_MiBps`]: median(runs.map(r => r.MiBps)),
    [`${prefix}_cpu_us_per_MiB`]: median(runs.map(r => r.cpuUsPerMiB))
  }
}

/** `tcp_2proc_MiBps`: `tcp_MiBps` with each end in its own process; `tcp_2proc_cpu_us_per_MiB` */
export async function tcpTwoProcessThroughput (config: BenchConfig): Promise<Figures> {
  return figuresOf('tcp_2proc', config, 'tcp', config.chunkBytes)
}

/** `libp2p_2proc_MiBps`, `libp2p_tuned_2proc_MiBps`: their one-process twins, in two processes; CPU per MiB of each */
export async function libp2pTwoProcessThroughput (config: BenchConfig): Promise<Figures> {
  return {
    ...await figuresOf('libp2p_2proc', config, 'libp2p', config.chunkBytes),
    ...await figuresOf('libp2p_tuned_2proc', config, 'libp2p-tuned', config.fileChunkBytes)
  }
}
