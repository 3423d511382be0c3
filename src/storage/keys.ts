import type { Direction } from './types.ts'

/** Sequence numbers and times are zero-padded so LevelDB's byte order is numeric order */
const WIDTH = 16

export function pad (n: number): string {
  return n.toString().padStart(WIDTH, '0')
}

/** `idx`, `envelopes`: a message by conversation, direction and id */
export function idxKey (conversation: string, direction: Direction, id: string): string {
  return `${conversation}!${direction}!${id}`
}

/** `conv`, `outbox`: a conversation's entries in arrival order */
export function convKey (conversation: string, seq: number): string {
  return `${conversation}!${pad(seq)}`
}

/** `expiry`: messages in the order they disappear */
export function expiryKey (expiresAt: number, seq: number): string {
  return `${pad(expiresAt)}!${pad(seq)}`
}

/** '!' is followed by '"' in byte order, so this range holds exactly the keys headed `head` */
export function headRange (head: string): { gt: string, lt: string } {
  return { gt: `${head}!`, lt: `${head}"` }
}
