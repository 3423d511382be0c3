import assert from 'node:assert/strict'
import { inlineType } from '../../src/browser/ui/inline-media.ts'
import { statusLabel } from '../../src/browser/ui/message-row.ts'
import { groupReactions } from '../../src/browser/ui/reactions.ts'
import type { PublicMessage } from '../../src/events/public.ts'

describe('web app: messages', () => {
  it('shows inline only pictures, video and sound of the allowed types', () => {
    assert.deepEqual(inlineType('image/png'), { type: 'image/png', kind: 'image' })
    assert.deepEqual(inlineType('IMAGE/JPEG'), { type: 'image/jpeg', kind: 'image' })
    assert.deepEqual(inlineType('audio/webm;codecs=opus'), { type: 'audio/webm', kind: 'audio' })
    assert.deepEqual(inlineType('video/mp4'), { type: 'video/mp4', kind: 'video' })
    for (const refused of ['image/svg+xml', 'text/html', 'application/xhtml+xml', 'image/svg', 'image/png+xml', 'application/octet-stream', '', 'image/', 'video/quicktime', 'text/plain;image/png']) {
      assert.equal(inlineType(refused), undefined, refused)
    }
  })

  it('groups reactions by emoji, the most given first, the user\'s own marked', () => {
    assert.deepEqual(groupReactions(undefined, 'me'), [])
    assert.deepEqual(groupReactions({ a: '👍', me: '❤️', b: '❤️', c: '❤️' }, 'me'), [
      { emoji: '❤️', who: ['me', 'b', 'c'], mine: true },
      { emoji: '👍', who: ['a'], mine: false }
    ])
  })

  it('words each delivery state in full', () => {
    const m = (fields: Partial<PublicMessage>): PublicMessage => ({ id: 'x', conversation: 'p', peer: 'p', direction: 'out', text: 't', timestamp: 0, status: 'sending', ...fields })
    assert.equal(statusLabel(m({ status: 'stored', replicas: 3 })), 'stored (3 replicas)')
    assert.equal(statusLabel(m({ status: 'failed', error: 'refused' })), 'failed: refused')
    assert.equal(statusLabel(m({ status: 'read' })), 'read')
  })
})
