/**
 * File transfer between two Parley nodes, each in a process of its own (file-child.ts), on
 * 127.0.0.1 over TCP + Noise + yamux: what `parley send-file` does, end to end. Figures:
 * - `file_MiBps`: from the offer's arrival at the receiver to the file done there (every chunk
 *   fetched, decrypted, proven against the tree, written and synced, the whole file hashed again
 *   and named), median of `throughputRuns` runs of `bulkBytes`; its ratios are to the two-process
 *   baselines of the same run (`tcp_2proc_MiBps`, `libp2p_2proc_MiBps`);
 * - `file_send_MiBps`: from the sender's `send` (which hashes the file first) to done;
 * - `file_cpu_us_per_MiB`: CPU time (user + system) of both processes per MiB, the sender's from
 *   `send`, the receiver's from the offer, median; set against the baselines' CPU per MiB it
 *   says what the file path costs beyond the stream, however loaded the machine;
 * - `file_big_*`: one run of `bigFileBytes` (4 GiB in a full run): throughput and each side's
 *   peak RSS, to show memory does not grow with the file.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Child } from './child.ts'
import { progress } from './log.ts'
import { median, MiB, mibPerSecond } from './stats.ts'
import type { BenchConfig, Figures } from './config.ts'

export interface FileArgs {
  role: 'receiver' | 'sender'
  /** Both children's data directories go under it, and the sender's source file */
  dir: string
  sizeBytes: number
  /** The sender's: the receiver's multiaddr */
  address?: string
}

export type FileRequest = { cmd: 'expect', sender: string } | { cmd: 'go' } | { cmd: 'report' } | { cmd: 'stop' }
export type FileMessage =
  | { type: 'listening', address: string }
  | { type: 'connected', peerId: string }
  /** Times are `process.hrtime.bigint()` as strings: IPC carries JSON */
  | { type: 'received', offeredNs: string, endNs: string, bytes: number, baselineRssMB: number, peakRssMB: number, cpuUs: number }
  | { type: 'sent', startNs: string, baselineRssMB: number, peakRssMB: number, cpuUs: number }

interface FileRun {
  MiBps: number
  sendMiBps: number
  /** Both processes' CPU time (user + system) per MiB: the sender's from send(), the receiver's from the offer */
  cpuUsPerMiB: number
  senderPeakRssMB: number
  receiverPeakRssMB: number
  senderBaselineRssMB: number
  receiverBaselineRssMB: number
}

/** Writing the source file and the transfer itself may take this long per MiB, on a loaded machine */
const MS_PER_MIB_AT_WORST = 250

function child (args: FileArgs): Child<FileMessage, FileRequest> {
  return new Child(`the file ${args.role}`, './file-child.ts', { ...args })
}

async function fileRun (sizeBytes: number): Promise<FileRun> {
  const dir = await mkdtemp(join(tmpdir(), 'parley-bench-files-'))
  const receiver = child({ role: 'receiver', dir, sizeBytes })
  let sender: Child<FileMessage, FileRequest> | undefined
  try {
    const { address } = await receiver.next('listening')
    sender = child({ role: 'sender', dir, sizeBytes, address })
    const slowest = Math.max(120_000, sizeBytes / 1_048_576 * MS_PER_MIB_AT_WORST)
    const { peerId } = await sender.next('connected', slowest)
    receiver.send({ cmd: 'expect', sender: peerId })
    sender.send({ cmd: 'go' })
    const received = await receiver.next('received', slowest)
    sender.send({ cmd: 'report' })
    const sent = await sender.next('sent')
    if (received.bytes !== sizeBytes) throw new Error(`the receiver got ${received.bytes} bytes of ${sizeBytes}`)
    sender.send({ cmd: 'stop' })
    receiver.send({ cmd: 'stop' })
    await Promise.all([sender.finish(), receiver.finish()])
    const endNs = BigInt(received.endNs)
    return {
      MiBps: mibPerSecond(sizeBytes, Number(endNs - BigInt(received.offeredNs)) / 1e6),
      sendMiBps: mibPerSecond(sizeBytes, Number(endNs - BigInt(sent.startNs)) / 1e6),
      cpuUsPerMiB: (sent.cpuUs + received.cpuUs) / (sizeBytes / MiB),
      senderPeakRssMB: sent.peakRssMB,
      receiverPeakRssMB: received.peakRssMB,
      senderBaselineRssMB: sent.baselineRssMB,
      receiverBaselineRssMB: received.baselineRssMB
    }
  } finally {
    sender?.kill()
    receiver.kill()
    await rm(dir, { recursive: true, force: true })
  }
}

/** `file_MiBps` and the rest: see the top of this file */
export async function fileTransfer (config: BenchConfig): Promise<Figures> {
  const runs: FileRun[] = []
  for (let i = 0; i < config.throughputRuns; i++) runs.push(await fileRun(config.bulkBytes))
  const figures: Figures = {
    file_MiBps: median(runs.map(r => r.MiBps)),
    file_send_MiBps: median(runs.map(r => r.sendMiBps)),
    file_cpu_us_per_MiB: median(runs.map(r => r.cpuUsPerMiB)),
    file_receiver_peak_rss_MB: Math.max(...runs.map(r => r.receiverPeakRssMB))
  }
  if (config.bigFileBytes > 0) {
    progress(`file transfer of ${config.bigFileBytes / 1_073_741_824} GiB...`)
    const big = await fileRun(config.bigFileBytes)
    Object.assign(figures, {
      file_big_GiB: config.bigFileBytes / 1_073_741_824,
      file_big_MiBps: big.MiBps,
      file_big_send_MiBps: big.sendMiBps,
      file_big_sender_peak_rss_MB: big.senderPeakRssMB,
      file_big_receiver_peak_rss_MB: big.receiverPeakRssMB,
      file_big_sender_rss_before_MB: big.senderBaselineRssMB,
      file_big_receiver_rss_before_MB: big.receiverBaselineRssMB
    })
  }
  return figures
}
