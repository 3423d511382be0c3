/**
 * `--what-if`: loaded into the workers with `--import`, it hands src/node/create-node.ts a
 * wrapped `createLibp2p` (what-if/libp2p.ts) that applies libp2p settings Parley does not expose
 * yet. It measures a proposed src change before it lands; once ParleyInit takes these settings
 * the simnet should pass them directly and this directory can go.
 */

import { registerHooks } from 'node:module'

const wrapper = new URL('./libp2p.ts', import.meta.url).href

registerHooks({
  resolve (specifier, context, nextResolve) {
    if (specifier === 'libp2p' && context.parentURL?.endsWith('/src/node/create-node.ts') === true) {
      return { url: wrapper, format: 'module-typescript', shortCircuit: true }
    }
    return nextResolve(specifier, context)
  }
})
