import { NodeCryptoProvider } from './node.ts'
import type { CryptoProvider } from './types.ts'

let provider: CryptoProvider | undefined

/**
 * The provider to use unless a caller chooses one: node:crypto on Node.js. Browser builds map
 * this file to `default.browser.ts` (noble). Providers are stateless, so one instance is shared.
 */
export function defaultProvider (): CryptoProvider {
  provider ??= new NodeCryptoProvider()
  return provider
}
