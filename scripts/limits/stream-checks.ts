import { MAX_INBOUND_STREAMS as CHAT_STREAMS, PROTOCOL as CHAT } from '../../src/protocols/chat/constants.ts'
import { MAX_INBOUND_STREAMS as FILE_STREAMS, PROTOCOL as FILE } from '../../src/protocols/file/constants.ts'
import { MAX_INBOUND_STREAMS as MAILBOX_STREAMS, NOTICE_PROTOCOL, PROTOCOL as MAILBOX } from '../../src/protocols/mailbox/constants.ts'
import { MAX_INBOUND_STREAMS as PREKEY_STREAMS, PROTOCOL as PREKEYS } from '../../src/protocols/prekeys/constants.ts'
import { PING_STREAMS } from '../../src/node/constants.ts'
import type { StreamFigures } from './attackers.ts'
import type { PhaseReport } from './limits.ts'

/** Each protocol whose inbound streams per connection are limited: where, and its limit */
export function streamChecks (userAddr: string, relayAddr: string): Array<{ addr: string, protocol: string, limit: number }> {
  return [
    { addr: userAddr, protocol: CHAT, limit: CHAT_STREAMS },
    { addr: userAddr, protocol: PREKEYS, limit: PREKEY_STREAMS },
    { addr: userAddr, protocol: FILE, limit: FILE_STREAMS },
    { addr: userAddr, protocol: NOTICE_PROTOCOL, limit: MAILBOX_STREAMS },
    { addr: userAddr, protocol: '/ipfs/ping/1.0.0', limit: PING_STREAMS },
    // a user node is no storer: the mailbox protocol is the relay's
    { addr: relayAddr, protocol: MAILBOX, limit: MAILBOX_STREAMS }
  ]
}

/** The phase's figures from each protocol's */
export function streamsReport (results: Array<StreamFigures & { limit: number }>): Omit<PhaseReport, 'name' | 'chat' | 'rssPeak'> {
  return {
    limit: Math.max(...results.map(r => r.limit)),
    offered: results.reduce((n, r) => n + r.offered, 0),
    admitted: results.reduce((n, r) => n + r.open, 0),
    holds: results.every(r => r.open <= r.limit),
    detail: results.map(r => `${r.protocol} ${r.open}/${r.offered} open (limit ${r.limit})`).join(', ')
  }
}
