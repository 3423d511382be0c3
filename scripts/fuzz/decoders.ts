import { generateKeyPair } from '@libp2p/crypto/keys'
import * as chat from '../../src/protocols/chat/pb/chat.ts'
import * as file from '../../src/protocols/file/pb/file.ts'
import * as mailbox from '../../src/protocols/mailbox/pb/mailbox.ts'
import * as prekeys from '../../src/protocols/prekeys/pb/prekeys.ts'
import * as ratchet from '../../src/crypto/ratchet/pb/ratchet.ts'
import * as envelope from '../../src/crypto/sealed-sender/pb/envelope.ts'
import * as session from '../../src/crypto/session/pb/session.ts'
import * as content from '../../src/messenger/pb/content.ts'
import * as group from '../../src/groups/pb/group.ts'
import * as senderKey from '../../src/groups/sender-keys/pb/sender-key.ts'
import { signChange, verifyChange } from '../../src/groups/change.ts'
import { bodyOf, decodeContent, encodeContent } from '../../src/messenger/content.ts'
import { contentHandlersTarget } from './content-handlers.ts'
import * as stun from '../../src/stun/pb/stun.ts'
import { AnyMailboxRequest } from '../../src/protocols/mailbox/request-codec.ts'
import { decodeHeader, encodeHeader } from '../../src/crypto/ratchet/header.ts'
import { open as openSealed, seal } from '../../src/crypto/sealed-sender/sealed-sender.ts'
import { defaultProvider } from '../../src/crypto/provider/index.ts'
import { decodeBindingRequest } from '../../src/stun/message.ts'
import { parseRemembered } from '../../src/node/remembered-addresses.ts'
import { readPrekeyRecord, prekeyRecordKey } from '../../src/protocols/prekeys/index.ts'
import { createPrekeyRecord } from '../../src/protocols/prekeys/record.ts'
import { PQ_PREKEY_LABEL, SIGNED_PREKEY_LABEL } from '../../src/crypto/pqxdh/constants.ts'
import { signPrekey } from '../../src/crypto/pqxdh/pqxdh.ts'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'

/** A wire decoder under fuzz: it must return, or throw an Error, for any bytes, and soon */
export interface DecoderTarget {
  name: string
  decode: (bytes: Uint8Array) => unknown
  /** Valid encodings, mutated into inputs beside the protobuf-shaped ones */
  seeds: Uint8Array[]
}

interface ProtonsCodec {
  encode: (value: any) => Uint8Array
  decode: (bytes: Uint8Array) => unknown
}

/** Every message codec protons generated in a module (its exported namespaces with both) */
function protonsTargets (module: string, exports: Record<string, unknown>): DecoderTarget[] {
  return Object.entries(exports).flatMap(([name, value]) => {
    const codec = value as Partial<ProtonsCodec> | undefined
    if (typeof codec?.decode !== 'function' || typeof codec.encode !== 'function') return []
    let seeds: Uint8Array[] = []
    try {
      seeds = [codec.encode({})]
    } catch {
      // a message with required parts cannot be encoded empty: its seeds come from the shapes alone
    }
    return [{ name: `${module}.${name}`, decode: bytes => codec.decode!(bytes), seeds }]
  })
}

/** Every decoder of bytes that come from another peer (or another process) */
export async function decoderTargets (): Promise<DecoderTarget[]> {
  const provider = defaultProvider()
  const recipient = await generateKeyPair('Ed25519')
  const sealed = await seal(provider, await generateKeyPair('Ed25519'), recipient.publicKey.raw, new TextEncoder().encode('a sealed message'))
  // a binding request: type 1, no attributes, the magic cookie, a transaction id
  const bindingRequest = Uint8Array.of(0, 1, 0, 0, 0x21, 0x12, 0xa4, 0x42, ...crypto.getRandomValues(new Uint8Array(12)))
  const header = encodeHeader({ publicKey: crypto.getRandomValues(new Uint8Array(32)), previousChainLength: 3, n: 7 })
  const owner = await generateKeyPair('Ed25519')
  const recordKey = prekeyRecordKey(peerIdFromPrivateKey(owner))
  // a record signed by the key's owner: mutations of it reach the signature and date checks
  const x = await provider.x25519GenerateKeyPair()
  const kem = await provider.mlKem768GenerateKeyPair()
  const record = await createPrekeyRecord(owner, {
    identityKey: owner.publicKey.raw,
    signedPrekey: { id: 1, publicKey: x.publicKey, signature: await signPrekey(owner, SIGNED_PREKEY_LABEL, x.publicKey) },
    pqPrekey: { id: 2, publicKey: kem.publicKey, signature: await signPrekey(owner, PQ_PREKEY_LABEL, kem.publicKey) }
  }, Date.now())
  return [
    ...protonsTargets('chat', chat),
    ...protonsTargets('file', file),
    ...protonsTargets('mailbox', mailbox),
    ...protonsTargets('prekeys', prekeys),
    ...protonsTargets('ratchet', ratchet),
    ...protonsTargets('sealed-sender', envelope),
    ...protonsTargets('session', session),
    ...protonsTargets('content', content),
    ...protonsTargets('group', group),
    ...protonsTargets('sender-key', senderKey),
    // a group change from a peer: size, shape and its author's signature checked
    { name: 'groups.verifyChange', decode: verifyChange, seeds: [(await signChange(owner, { group: new Uint8Array(16), parents: [], timestamp: 1n, create: { name: 'fuzz' } })).bytes] },
    // what the messenger does with every decrypted content: decode (capped) and pick its body
    { name: 'messenger.content', decode: bytes => bodyOf(decodeContent(bytes)), seeds: [encodeContent({ id: new Uint8Array(16), timestamp: 1n, text: 'hi', delivers: [] })] },
    ...protonsTargets('stun', stun),
    { name: 'mailbox.AnyMailboxRequest', decode: bytes => AnyMailboxRequest.decode(bytes), seeds: [] },
    { name: 'ratchet.header', decode: decodeHeader, seeds: [header] },
    { name: 'stun.bindingRequest', decode: decodeBindingRequest, seeds: [bindingRequest] },
    { name: 'node.rememberedAddresses', decode: parseRemembered, seeds: [new TextEncoder().encode('[]')] },
    { name: 'prekeys.dhtRecord', decode: async bytes => readPrekeyRecord(recordKey, bytes), seeds: [record] },
    { name: 'sealed-sender.open', decode: async bytes => openSealed(provider, recipient, bytes), seeds: [sealed] },
    await contentHandlersTarget()
  ]
}
