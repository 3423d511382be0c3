/**
 * Throughput with the sender and the receiver in two processes (two-process-child.ts), each with
 * its own event loop, as two peers are: raw TCP, a plain libp2p node and the tuned one. The same
 * figures as `tcp_MiBps`, `libp2p_MiBps` and `libp2p_tuned_MiBps`, where both ends share one
 * thread. Timed from the sender's first write to the receiver's last byte, on the monotonic clock
 * both processes read (`process.hrtime`).
 */
import { Child } from './child.ts'
import { medianOf, mibPerSecond } from './stats.ts'
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
  | { type: 'sent', startNs: string }
  | { type: 'received', endNs: string }

function end (args: EndArgs): Child<EndMessage, EndRequest> {
  return new Child(`the ${args.kind} ${args.role}`, './two-process-child.ts', { ...args })
}

/** MiB/s of one run: the receiver listens, the sender connects, then sends on 'go' */
async function twoProcessRun (kind: EndKind, totalBytes: number, chunkBytes: number): Promise<number> {
  const receiver = end({ role: 'receiver', kind, totalBytes, chunkBytes })
  let sender: Child<EndMessage, EndRequest> | undefined
  try {
    const { address } = await receiver.next('listening')
    sender = end({ role: 'sender', kind, totalBytes, chunkBytes, address })
    await sender.next('connected')
    sender.send({ cmd: 'go' })
    const [{ startNs }, { endNs }] = await Promise.all([sender.next('sent'), receiver.next('received')])
    sender.send({ cmd: 'stop' })
    receiver.send({ cmd: 'stop' })
    await Promise.all([sender.finish(), receiver.finish()])
    return mibPerSecond(totalBytes, Number(BigInt(endNs) - BigInt(startNs)) / 1e6)
  } finally {
    sender?.kill()
    receiver.kill()
  }
}

/** `tcp_2proc_MiBps`: `tcp_MiBps` with each end in its own process */
export async function tcpTwoProcessThroughput (config: BenchConfig): Promise<Figures> {
  return { tcp_2proc_MiBps: await medianOf(config.throughputRuns, async () => twoProcessRun('tcp', config.bulkBytes, config.chunkBytes)) }
}

/** `libp2p_2proc_MiBps`, `libp2p_tuned_2proc_MiBps`: their one-process twins, in two processes */
export async function libp2pTwoProcessThroughput (config: BenchConfig): Promise<Figures> {
  return {
    libp2p_2proc_MiBps: await medianOf(config.throughputRuns, async () => twoProcessRun('libp2p', config.bulkBytes, config.chunkBytes)),
    libp2p_tuned_2proc_MiBps: await medianOf(config.throughputRuns, async () => twoProcessRun('libp2p-tuned', config.bulkBytes, config.fileChunkBytes))
  }
}
