import { MessageRefusedError } from '../../protocols/chat/index.ts'
import type { MessageStore } from '../../storage/types.ts'
import type { AbortOptions } from '@libp2p/interface'

/**
 * Where a peer's edit or deletion of its own message `id` applies: its incoming copy here. One
 * that names a message of ours, or in a group another member's, is refused; one whose message
 * is not here (it disappeared, or has not arrived yet) applies to nothing.
 *
 * @throws {MessageRefusedError} when `id` is a message the sender did not write
 */
export async function senderOwns (messages: MessageStore, conversation: string, sender: string, id: string, options: AbortOptions): Promise<boolean> {
  const incoming = await messages.get(conversation, 'in', id, options)
  if (incoming != null) {
    if (incoming.peer !== sender) throw new MessageRefusedError('it names a message the sender did not write')
    return true
  }
  if (await messages.get(conversation, 'out', id, options) != null) {
    throw new MessageRefusedError('it names a message the sender did not write')
  }
  return false
}
