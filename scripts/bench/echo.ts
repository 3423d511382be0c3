/**
 * The measuring loops shared by the raw TCP and the bare libp2p benches, so both baselines run
 * the same client code and differ only in the transport under them.
 */
import { randomFillSync } from 'node:crypto'
import { elapsedMs, elapsedUs, now } from './stats.ts'

/** Counts received bytes and wakes whoever waits for a running total */
export class ByteCounter {
  received = 0
  private target = Infinity
  private wake?: () => void

  add (bytes: number): void {
    this.received += bytes
    if (this.received >= this.target && this.wake != null) {
      const wake = this.wake
      this.wake = undefined
      this.target = Infinity
      wake()
    }
  }

  /** Resolves once `total` bytes have arrived since the counter was made */
  async reach (total: number): Promise<void> {
    if (this.received >= total) return
    await new Promise<void>(resolve => {
      this.target = total
      this.wake = resolve
    })
  }
}

/** One end of an open echo channel: a way to send, and a counter of what came back */
export interface EchoChannel {
  send(data: Uint8Array): void
  readonly counter: ByteCounter
}

/** Round trips of `size` bytes on an open channel: `warmup` unmeasured, then `iterations` timed (µs) */
export async function roundTrips (channel: EchoChannel, size: number, warmup: number, iterations: number): Promise<Float64Array> {
  const payload = crypto.getRandomValues(new Uint8Array(size))
  const samples = new Float64Array(iterations)
  let expected = channel.counter.received
  for (let i = 0; i < warmup + iterations; i++) {
    const start = now()
    channel.send(payload)
    expected += size
    await channel.counter.reach(expected)
    if (i >= warmup) samples[i - warmup] = elapsedUs(start)
  }
  return samples
}

/** A writer that reports backpressure: `write` returns false when the caller must `drain()` */
export interface BulkSink {
  write(data: Uint8Array): boolean
  drain(): Promise<void>
}

/** `bytes` random bytes: one piece, sent over and over */
export function randomChunk (bytes: number): Uint8Array {
  // not crypto.getRandomValues: it fills 64 KiB at most
  return randomFillSync(new Uint8Array(bytes))
}

/** Writes `chunk` again and again (the last time cut short) until `totalBytes` are written */
export async function writeAll (sink: BulkSink, chunk: Uint8Array, totalBytes: number): Promise<void> {
  for (let sent = 0; sent < totalBytes; sent += chunk.byteLength) {
    const piece = totalBytes - sent < chunk.byteLength ? chunk.subarray(0, totalBytes - sent) : chunk
    if (!sink.write(piece)) {
      await sink.drain()
    }
  }
}

/**
 * Sends `totalBytes` in `chunkBytes` pieces, honouring backpressure, and resolves with the ms
 * from the first write until `received` (the receiving end's counter) has seen every byte.
 */
export async function pump (sink: BulkSink, received: ByteCounter, totalBytes: number, chunkBytes: number): Promise<number> {
  const chunk = randomChunk(chunkBytes)
  const done = received.reach(received.received + totalBytes)
  const start = now()
  await writeAll(sink, chunk, totalBytes)
  await done
  return elapsedMs(start)
}
