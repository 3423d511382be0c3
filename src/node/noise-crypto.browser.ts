/**
 * Browsers have no node:crypto: Noise's own browser crypto (see noise-crypto.ts for Node's).
 * `@libp2p/noise/crypto` resolves to its browser build here.
 */
import { defaultCrypto } from '@libp2p/noise/crypto'
import type { ICryptoInterface } from '@libp2p/noise'

/** For `noise({ crypto: noiseCrypto })` */
export const noiseCrypto: ICryptoInterface = defaultCrypto
