import type { ParleyNode } from '../node/create-node.ts'

/**
 * Resolves once the DHT routing table has a peer: just after start it is empty until the
 * bootstrap connection is identified, and a lookup then fails at once instead of waiting.
 */
export async function dhtReady (node: ParleyNode, signal: AbortSignal): Promise<void> {
  // kad-dht's routing table is an event target, though its public type shows only `size`
  const table = (node.services.dht as unknown as { routingTable: Partial<EventTarget> & { size: number } }).routingTable
  if (table.size > 0 || table.addEventListener == null) return
  await new Promise<void>(resolve => {
    const done = (): void => {
      table.removeEventListener?.('peer:add', done)
      signal.removeEventListener('abort', done)
      resolve()
    }
    table.addEventListener?.('peer:add', done)
    signal.addEventListener('abort', done)
  })
}
