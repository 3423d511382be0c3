import { NobleCryptoProvider } from './noble.ts'
import type { CryptoProvider } from './types.ts'

let provider: CryptoProvider | undefined

/**
 * The provider to use unless a caller chooses one: @noble/* in browsers, where node:crypto does
 * not exist (and WebCrypto has neither ML-KEM nor, everywhere, X25519).
 */
export function defaultProvider (): CryptoProvider {
  provider ??= new NobleCryptoProvider()
  return provider
}
