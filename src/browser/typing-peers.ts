import { TYPING_SHOWN_MS } from './constants.ts'

/**
 * Which peers are typing now, from their `typing` events. A peer that said it is typing counts
 * as typing until it says it stopped, a message from it arrives, or `shownMs` pass without it
 * saying so again (it may have gone offline mid-sentence). `onChange` hears every change.
 */
export class TypingPeers {
  private readonly expiry = new Map<string, ReturnType<typeof setTimeout>>()

  constructor (private readonly onChange: (peer: string, typing: boolean) => void, private readonly shownMs = TYPING_SHOWN_MS) {}

  isTyping (peer: string): boolean {
    return this.expiry.has(peer)
  }

  set (peer: string, typing: boolean): void {
    const was = this.expiry.get(peer)
    if (was != null) clearTimeout(was)
    if (typing) {
      this.expiry.set(peer, setTimeout(() => { this.set(peer, false) }, this.shownMs))
    } else {
      this.expiry.delete(peer)
    }
    if ((was != null) !== typing) this.onChange(peer, typing)
  }
}
