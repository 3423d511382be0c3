import type { ContentHandler } from '../content-handlers.ts'

/**
 * Content of a kind this release cannot read (a newer release's): kept as a history entry marked
 * `unsupported`, so the user sees that something came and can update to read what, rather than
 * it being dropped
 */
export function unsupportedHandler (): ContentHandler<'unsupported'> {
  return {
    take: async (incoming) => {
      await incoming.addMessage({ text: '', unsupported: true })
    }
  }
}
