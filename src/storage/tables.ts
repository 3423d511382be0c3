import type { AbstractLevel, AbstractSublevel } from 'abstract-level'

export type Db = AbstractLevel<string | Buffer | Uint8Array, string, unknown>
export type Sub<V> = AbstractSublevel<Db, string | Buffer | Uint8Array, string, V>

/**
 * Which part of a table's keys is a PeerId or contact name, which an encrypted store replaces by
 * its keyed hash (`AtRestCodec.key`): none, the whole key, or the head before the first `!`
 */
export type KeyPart = 'none' | 'whole' | 'head'

export interface TableSpec {
  /** What a value is before the codec seals it */
  value: 'json' | 'view'
  keyPart: KeyPart
}

/**
 * Every sublevel LevelStore keeps (their layouts are described where they are used), each
 * written through the at-rest codec. A new one is added here, so that a passphrase switch, which
 * copies whatever the database holds, knows how to re-key and re-seal it. Sublevels not listed
 * belong to services given the raw database (`LevelStore.database`, e.g. the mailbox host's
 * `mailbox-*`): they store in their own encoding, and a switch copies them byte for byte, then
 * lets the mailbox store convert its own (copy-database.ts).
 */
export const TABLES = {
  msg: { value: 'json', keyPart: 'none' },
  idx: { value: 'json', keyPart: 'head' },
  conv: { value: 'json', keyPart: 'head' },
  outbox: { value: 'json', keyPart: 'head' },
  envelopes: { value: 'view', keyPart: 'head' },
  contacts: { value: 'json', keyPart: 'whole' },
  names: { value: 'json', keyPart: 'whole' },
  standing: { value: 'json', keyPart: 'whole' },
  requests: { value: 'json', keyPart: 'whole' },
  /** peerId -> when the user marked the safety number with that peer as compared (contact-store.ts) */
  verified: { value: 'json', keyPart: 'whole' },
  sessions: { value: 'view', keyPart: 'whole' },
  prekeys: { value: 'json', keyPart: 'none' },
  prekeyMeta: { value: 'json', keyPart: 'none' },
  files: { value: 'json', keyPart: 'none' },
  /** conversation id -> ConversationState */
  conversations: { value: 'json', keyPart: 'whole' },
  /** expiresAt!seq -> seq: disappearing messages, soonest first */
  expiry: { value: 'json', keyPart: 'none' },
  /** setting name -> value (settings.ts) */
  settings: { value: 'json', keyPart: 'none' },
  /** group id -> the group as this node holds it (src/groups/group-record.ts) */
  groups: { value: 'view', keyPart: 'none' },
  /** group!mailbox -> where this node's last fetch from each storer of the group's mailbox ended */
  groupCursors: { value: 'json', keyPart: 'none' },
  /** group!message id -> a message of this node's still to be left in its group's mailbox */
  groupDeposits: { value: 'json', keyPart: 'none' },
  /** peerId -> the mailbox identities the peer announced (mailbox-address-store.ts) */
  mailboxAddresses: { value: 'json', keyPart: 'whole' },
  /** peerId -> the peer's requests mailbox key (base64), from its prekey bundle */
  mailboxRequests: { value: 'json', keyPart: 'whole' },
  /** peerId -> the last epoch this node's own mailbox identities were announced to the peer through */
  mailboxAnnounced: { value: 'json', keyPart: 'whole' },
  /** group!member -> that member's sender chains in the group (src/groups/sender-keys) */
  senderChains: { value: 'view', keyPart: 'whole' },
  /** 'version' -> the layout version the tables are in (schema.ts) */
  schema: { value: 'json', keyPart: 'none' },
  /** See key-parts.ts: only an encrypted store writes it, and a switch rebuilds it */
  keyParts: { value: 'json', keyPart: 'whole' },
  /** 'format' -> AT_REST_FORMAT (at-rest.ts), once every value is sealed in it */
  atRest: { value: 'json', keyPart: 'none' }
} as const satisfies Record<string, TableSpec>

export type TableName = keyof typeof TABLES

/** The spec of the LevelStore table called `name`, if it is one */
export function tableSpec (name: string): TableSpec | undefined {
  return Object.hasOwn(TABLES, name) ? TABLES[name as TableName] : undefined
}

/** '!', abstract-level's sublevel separator: a sublevel's keys start with `!name!` */
const SEPARATOR = 0x21
const decoder = new TextDecoder()

/** A raw key of the whole database: its sublevel's name ('' for none), prefix and own key */
export function splitKey (key: Uint8Array): { table: string, prefix: Uint8Array, local: Uint8Array } {
  const end = key[0] === SEPARATOR ? key.indexOf(SEPARATOR, 1) : -1
  if (end < 0) return { table: '', prefix: key.subarray(0, 0), local: key }
  return { table: decoder.decode(key.subarray(1, end)), prefix: key.subarray(0, end + 1), local: key.subarray(end + 1) }
}
