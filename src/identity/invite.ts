import { peerIdFromString } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { InvalidPeerError } from './errors.ts'
import type { Ed25519PeerId, PeerId } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'

/** Prefix of an invite: `parley://<peer id>` */
export const INVITE_PREFIX = 'parley://'

const ACCEPTED_FORMS = 'expected a peer id (12D3KooW...), an invite (parley://<peer id>) or a multiaddr ending in /p2p/<peer id>'
const MAX_SHOWN_CHARS = 80

/**
 * The invite for a peer: `parley://<base58 peer id>`. A string is parsed first (any form
 * `parsePeerArgument` accepts), so the invite is always in canonical form.
 *
 * @throws InvalidPeerError when the peer id is not an Ed25519 peer id
 */
export function formatInvite (peerId: PeerId | string): string {
  const id = typeof peerId === 'string' ? parsePeerArgument(peerId) : requireEd25519(peerId, peerId.toString())
  return `${INVITE_PREFIX}${id.toString()}`
}

/**
 * Turns what a user typed or pasted into a peer id. Accepts, after trimming whitespace:
 * a bare peer id (base58 `12D3KooW...` or CID form `bafz...`/`k51...`), an invite
 * `parley://<peer id>` (trailing slash tolerated, scheme case-insensitive) or a multiaddr ending
 * in `/p2p/<peer id>` (only its peer id is used).
 *
 * @throws InvalidPeerError for anything else, and for non-Ed25519 (RSA, secp256k1) peer ids
 */
export function parsePeerArgument (input: string): Ed25519PeerId {
  const text = input.trim()
  if (text === '') {
    throw invalid(input, 'it is empty')
  }

  let idText = text
  if (text.toLowerCase().startsWith(INVITE_PREFIX)) {
    idText = text.slice(INVITE_PREFIX.length).replace(/\/$/, '')
  } else if (text.startsWith('/')) {
    let ma: Multiaddr
    try {
      ma = multiaddr(text)
    } catch (err) {
      throw invalid(input, `it is not a valid multiaddr (${err instanceof Error ? err.message : String(err)})`, err)
    }
    const last = ma.getComponents().at(-1)
    if (last?.name !== 'p2p' || last.value == null) {
      throw invalid(input, 'the multiaddr does not end with /p2p/<peer id>')
    }
    idText = last.value
  }

  let peerId: PeerId
  try {
    peerId = peerIdFromString(idText)
  } catch (err) {
    throw invalid(input, 'it is not a valid peer id', err)
  }
  return requireEd25519(peerId, input)
}

function requireEd25519 (peerId: PeerId, input: string): Ed25519PeerId {
  if (peerId.type !== 'Ed25519') {
    throw invalid(input, `it is a ${peerId.type} peer id, and Parley addresses are Ed25519 keys only`)
  }
  return peerId
}

function invalid (input: string, why: string, cause?: unknown): InvalidPeerError {
  const shown = input.length > MAX_SHOWN_CHARS ? `${input.slice(0, MAX_SHOWN_CHARS)}…` : input
  return new InvalidPeerError(`Invalid peer ${JSON.stringify(shown)}: ${why}; ${ACCEPTED_FORMS}`, cause === undefined ? undefined : { cause })
}
