import { StrictNoSign } from '@libp2p/gossipsub'
import { sha256 } from '@noble/hashes/sha2.js'
import { MAX_SENDER_KEY_MESSAGE_BYTES } from './sender-keys/constants.ts'
import type { GossipsubOpts } from '@libp2p/gossipsub'

/**
 * How gossipsub runs for groups (its only user): messages carry no libp2p signature and no
 * sender (the author is inside the encryption, src/groups/group-messaging.ts), so a relay of a
 * group's messages learns neither who wrote them nor, from the signature, whose node it was; a
 * message's id is the hash of its bytes, so the same message reaching a member by two paths is
 * one. Groups run over relayed connections too (browsers, users behind NATs), and a message for
 * a group with no member online is published anyway (it is in the group's mailbox too).
 */
export function groupGossipsubInit (): Partial<GossipsubOpts> {
  return {
    globalSignaturePolicy: StrictNoSign,
    msgIdFn: message => sha256(message.data),
    allowPublishToZeroTopicPeers: true,
    // an author hands its message to its mesh peers (gossipsub's D, 6 by default), which pass it
    // on, not to every member it is connected to (gossipsub's default): what a message costs its
    // author stays flat as the group grows (simnet, docs/SIMNET.md: with flood publishing, 5 KiB
    // a message in a group of 10, 120 KiB in one of 50, 340 KiB in one of 100)
    floodPublish: false,
    runOnLimitedConnection: true,
    // an envelope is a sender-key message and a sealed author
    maxInboundDataLength: MAX_SENDER_KEY_MESSAGE_BYTES + 1_024,
    // gossipsub's default scoring penalises more than 10 peers from one IP address (against
    // sybils), until it stops sending to them: every user reached through the same relay has the
    // relay's address, so do users behind one NAT. Only a member can publish what the topic's
    // validator takes (src/groups/group-messaging.ts), so many peers on one address prove nothing
    scoreParams: { IPColocationFactorWeight: 0 }
  }
}
