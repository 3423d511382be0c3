/**
 * Child of files.ts: one Parley node of a file-transfer run, in a process of its own (peers are),
 * talking to its parent over IPC only. The receiver listens on 127.0.0.1 and, told who the sender
 * is, accepts it as a contact (so its offers download at once); it reports when the offer arrived
 * and when the file was done (received, verified, named), on the monotonic clock. The sender
 * writes a file of the asked size to disk (a 16 MiB random block repeated), dials the receiver,
 * and on 'go' offers the file. Each reports its peak RSS at the end.
 */
import { open } from 'node:fs/promises'
import { join } from 'node:path'
import { peerIdFromString } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { createParley } from '../../src/parley.ts'
import { LOOPBACK_TCP } from './libp2p.ts'
import { cpuUsSince } from './stats.ts'
import type { FileArgs, FileMessage, FileRequest } from './files.ts'
import type { TransferRecord } from '../../src/storage/types.ts'

const BLOCK_BYTES = 16 * 1_048_576

async function send (message: FileMessage): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    process.send?.(message, undefined, undefined, err => { if (err == null) resolve(); else reject(err) })
  })
}

/** Resolves with the parent's first request of `cmd`; listens from the start, so none is missed */
function request<C extends FileRequest['cmd']> (cmd: C): Promise<Extract<FileRequest, { cmd: C }>> {
  return new Promise(resolve => {
    const listener = (message: FileRequest): void => {
      if (message.cmd !== cmd) return
      process.off('message', listener)
      resolve(message as Extract<FileRequest, { cmd: C }>)
    }
    process.on('message', listener)
  })
}

const peakRssMB = (): number => process.resourceUsage().maxRSS / 1_024

async function writeSource (path: string, sizeBytes: number): Promise<void> {
  const block = new Uint8Array(BLOCK_BYTES)
  globalThis.crypto.getRandomValues(block.subarray(0, 65_536))
  for (let i = 65_536; i < BLOCK_BYTES; i += 65_536) globalThis.crypto.getRandomValues(block.subarray(i, i + 65_536))
  const handle = await open(path, 'w')
  try {
    for (let written = 0; written < sizeBytes; written += BLOCK_BYTES) {
      await handle.write(block, 0, Math.min(BLOCK_BYTES, sizeBytes - written))
    }
  } finally {
    await handle.close()
  }
}

async function main (): Promise<void> {
  const args: FileArgs = JSON.parse(process.argv[2] ?? '{}')
  const stop = request('stop')
  const node = await createParley({ dataDir: join(args.dir, args.role), listen: [LOOPBACK_TCP], lan: true, mdns: false, bootstrap: [] })
  try {
    if (args.role === 'receiver') {
      const expect = request('expect')
      await send({ type: 'listening', address: node.addresses()[0].toString() })
      const { sender } = await expect
      await node.messenger.addContact(sender, 'sender')
      const baselineRssMB = process.memoryUsage().rss / 1_048_576
      let offeredNs: bigint | undefined
      let cpu: NodeJS.CpuUsage | undefined
      const done = await new Promise<TransferRecord>(resolve => {
        node.files!.addEventListener('transfer', evt => {
          const t = evt.detail
          if (t.direction !== 'in') return
          if (offeredNs == null) {
            offeredNs = process.hrtime.bigint()
            cpu = process.cpuUsage()
          }
          if (t.state === 'done') resolve(t)
        })
      })
      const endNs = process.hrtime.bigint()
      await send({ type: 'received', offeredNs: String(offeredNs), endNs: String(endNs), bytes: done.size, baselineRssMB, peakRssMB: peakRssMB(), cpuUs: cpuUsSince(cpu!) })
    } else {
      const source = join(args.dir, 'source.bin')
      await writeSource(source, args.sizeBytes)
      const receiver = multiaddr(args.address ?? '')
      await node.node.dial(receiver)
      await send({ type: 'connected', peerId: node.peerId.toString() })
      await request('go')
      const baselineRssMB = process.memoryUsage().rss / 1_048_576
      const startNs = process.hrtime.bigint()
      const cpu = process.cpuUsage()
      await node.files!.send(peerIdFromString(receiver.getComponents().find(c => c.name === 'p2p')?.value ?? ''), source)
      await request('report')
      await send({ type: 'sent', startNs: String(startNs), baselineRssMB, peakRssMB: peakRssMB(), cpuUs: cpuUsSince(cpu) })
    }
    await stop
  } finally {
    await node.stop()
  }
}

main().then(() => {
  process.disconnect?.()
  process.exit(0)
}, err => {
  process.stderr.write(`file child failed: ${err?.stack ?? err}\n`)
  process.exit(1)
})
