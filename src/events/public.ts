import type { MessageRecord, TransferRecord } from '../storage/types.ts'

/**
 * A message as every interface sees it (the control API, the CLI, the web app): no store
 * internals (`seq`, the fields of control records, which are not history), and
 * `replicas`, how many storers hold a `stored` one, instead of who they are
 */
export type PublicMessage = Omit<MessageRecord, 'seq' | 'holders' | 'kind' | 'delivers' | 'fileStatus' | 'reads' | 'target' | 'emoji' | 'typing' | 'ephemeral'> & { replicas?: number }

export function publicMessage ({ seq: _seq, holders, kind: _kind, delivers: _delivers, fileStatus: _fileStatus, reads: _reads, target: _target, emoji: _emoji, typing: _typing, payload: _payload, ephemeral: _ephemeral, ...record }: MessageRecord): PublicMessage {
  return holders != null ? { ...record, replicas: holders.length } : record
}

/** What a user sees of a transfer: the record without its key and chunk bitfield */
export type TransferInfo = Omit<TransferRecord, 'key' | 'have'>

export function transferInfo (record: TransferRecord): TransferInfo {
  const { key: _key, have: _have, ...info } = record
  return info
}
