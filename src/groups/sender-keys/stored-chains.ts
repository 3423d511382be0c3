import { fromString as fromHex } from 'uint8arrays/from-string'
import { toString as toHex } from 'uint8arrays/to-string'
import { StoredChains } from './pb/sender-key.ts'
import type { SenderChain } from './sender-chain.ts'

/** A member's chains (newest first) as the store keeps them */
export function encodeChains (chains: SenderChain[]): Uint8Array {
  return StoredChains.encode({
    chains: chains.map(c => ({
      keyId: fromHex(c.keyId, 'base16'),
      iteration: c.iteration,
      chainKey: c.chainKey as Uint8Array<ArrayBuffer>,
      signingKey: c.signingKey as Uint8Array<ArrayBuffer>,
      ...(c.signingPrivateKey != null ? { signingPrivateKey: c.signingPrivateKey as Uint8Array<ArrayBuffer> } : {}),
      skipped: c.skipped.map(s => ({ iteration: s.iteration, seed: s.seed as Uint8Array<ArrayBuffer> })),
      ...(c.baseChainKey != null ? { baseChainKey: c.baseChainKey as Uint8Array<ArrayBuffer> } : {}),
      handed: Object.entries(c.handed ?? {}).map(([member, iteration]) => ({ member, iteration }))
    }))
  })
}

/** What `encodeChains` wrote (the store's own bytes: a failure means a damaged store) */
export function decodeChains (bytes: Uint8Array): SenderChain[] {
  return StoredChains.decode(bytes).chains.map(c => ({
    keyId: toHex(c.keyId, 'base16'),
    iteration: c.iteration,
    chainKey: c.chainKey,
    signingKey: c.signingKey,
    ...(c.signingPrivateKey != null ? { signingPrivateKey: c.signingPrivateKey } : {}),
    skipped: c.skipped.map(s => ({ iteration: s.iteration, seed: s.seed })),
    ...(c.baseChainKey != null ? { baseChainKey: c.baseChainKey, handed: Object.fromEntries(c.handed.map(h => [h.member, h.iteration])) } : {})
  }))
}
