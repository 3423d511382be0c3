import { waitForEvent } from './events.ts'
import type { Parley } from '../../src/parley.ts'
import type { TransferRecord } from '../../src/storage/types.ts'

/** Resolves when `node`'s transfer `id` is in `state` (now or later) */
export async function transferState (node: Parley, id: string, state: TransferRecord['state'], timeoutMs = 60_000): Promise<TransferRecord> {
  const seen = waitForEvent<TransferRecord>(node.files!, 'transfer', t => t.id === id && t.state === state, timeoutMs)
  const now = await node.files!.get(id).catch(() => undefined)
  if (now?.state === state) return now as TransferRecord
  return seen
}
