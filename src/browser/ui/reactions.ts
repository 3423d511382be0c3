import { h } from './dom.ts'

/** The emoji the picker offers (any single emoji is a valid reaction; these are the common ones) */
export const REACTION_CHOICES = ['👍', '❤️', '😂', '😮', '😢', '🙏'] as const

export interface ReactionGroup {
  emoji: string
  /** PeerIds, this user's first */
  who: string[]
  /** Whether this user's reaction is this one */
  mine: boolean
}

/** A message's reactions (PeerId -> emoji), one group per emoji, the most given first */
export function groupReactions (reactions: Record<string, string> | undefined, self: string): ReactionGroup[] {
  const groups = new Map<string, ReactionGroup>()
  for (const [who, emoji] of Object.entries(reactions ?? {})) {
    const group = groups.get(emoji) ?? { emoji, who: [], mine: false }
    if (who === self) {
      group.mine = true
      group.who.unshift(who)
    } else {
      group.who.push(who)
    }
    groups.set(emoji, group)
  }
  return [...groups.values()].sort((a, b) => b.who.length - a.who.length)
}

/**
 * The reactions under a message: one chip per emoji with its count, naming who gave it. A chip
 * toggles this user's reaction to that emoji.
 */
export function reactionChips (groups: ReactionGroup[], nameOf: (peerId: string) => string, toggle: (emoji: string, mine: boolean) => void): HTMLElement | null {
  if (groups.length === 0) return null
  return h('div', { class: 'reactions' }, ...groups.map(g => h('button', {
    type: 'button',
    class: `reaction${g.mine ? ' mine' : ''}`,
    'data-emoji': g.emoji,
    title: g.who.map(nameOf).join(', '),
    'aria-pressed': g.mine ? 'true' : 'false',
    onclick: () => { toggle(g.emoji, g.mine) }
  }, g.emoji, g.who.length > 1 ? h('span', { class: 'count' }, String(g.who.length)) : null)))
}

/** The row of emoji to react with; the one this user gave already is marked and takes it back */
export function reactionPicker (current: string | undefined, choose: (emoji: string) => void): HTMLElement {
  return h('div', { class: 'reaction-picker', role: 'group', 'aria-label': 'React' },
    ...REACTION_CHOICES.map(emoji => h('button', {
      type: 'button',
      class: `pick${emoji === current ? ' mine' : ''}`,
      'data-emoji': emoji,
      'aria-pressed': emoji === current ? 'true' : 'false',
      onclick: () => { choose(emoji === current ? '' : emoji) }
    }, emoji)))
}
