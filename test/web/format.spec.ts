import assert from 'node:assert/strict'
import { clockTime, listTime, oneLine, previewText, timerNotice } from '../../src/browser/ui/format.ts'
import type { PublicMessage } from '../../src/events/public.ts'

const message = (fields: Partial<PublicMessage>): PublicMessage => ({
  id: 'ab'.repeat(16), conversation: 'peer', peer: 'peer', direction: 'in', text: 'hello', timestamp: 0, status: 'delivered', ...fields
})

/** Local times, as the list shows them in the user's time zone */
const at = (y: number, m: number, d: number, h = 12, min = 0): number => new Date(y, m - 1, d, h, min).getTime()

describe('web app: how times and messages read', () => {
  it('shows the time today, "Yesterday", the weekday within a week, else the date', () => {
    const now = at(2026, 12, 10, 9, 30)
    assert.equal(listTime(at(2026, 12, 10, 0, 5), now, 'en-GB'), clockTime(at(2026, 12, 10, 0, 5), 'en-GB'))
    assert.match(listTime(at(2026, 12, 10, 0, 5), now, 'en-GB'), /^00:05$/)
    assert.equal(listTime(at(2026, 12, 9, 23, 59), now, 'en-GB'), 'Yesterday')
    assert.equal(listTime(at(2026, 12, 4), now, 'en-GB'), 'Fri')
    assert.equal(listTime(at(2026, 12, 3), now, 'en-GB'), '3 Dec')
    assert.equal(listTime(at(2025, 12, 3), now, 'en-GB'), '3 Dec 2025')
    // a clock a little ahead of ours (the sender's) still reads as today
    assert.equal(listTime(now + 60_000, now, 'en-GB'), clockTime(now + 60_000, 'en-GB'))
  })

  it('puts a preview on one line and cuts it, counting characters, not UTF-16 units', () => {
    assert.equal(oneLine('  two\n\nlines\t here ', 80), 'two lines here')
    assert.equal(oneLine('abcdef', 4), 'abc…')
    assert.equal(oneLine('😀😀😀😀😀', 3), '😀😀…')
    assert.equal(oneLine('exact', 5), 'exact')
  })

  it('previews texts, files, timer changes, deletions and unknown kinds', () => {
    assert.equal(previewText(message({ text: 'see you\nsoon' }), 'Nadia', 80), 'see you soon')
    assert.equal(previewText(message({ text: 'new', edits: [{ text: 'old', editedAt: 1 }] }), 'Nadia', 80), 'new')
    assert.equal(previewText(message({ text: '', file: { id: 'f', name: 'trip.jpg', size: 1, type: 'image/jpeg' } }), 'Nadia', 80), '📎 trip.jpg')
    assert.equal(previewText(message({ text: '', timer: 3_600 }), 'Nadia', 80), 'Nadia set disappearing messages to 1 hour')
    assert.equal(previewText(message({ text: '', deleted: true }), 'Nadia', 80), 'this message was deleted')
    assert.match(previewText(message({ text: '', unsupported: true }), 'Nadia', 80), /^unsupported message/)
  })

  it('says who changed the timer, and to what', () => {
    assert.equal(timerNotice(30, 'You'), 'You set disappearing messages to 30 seconds')
    assert.equal(timerNotice(604_800, 'Nadia'), 'Nadia set disappearing messages to 1 week')
    assert.equal(timerNotice(0, 'Nadia'), 'Nadia turned off disappearing messages')
  })
})
