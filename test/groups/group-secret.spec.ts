import assert from 'node:assert/strict'
import { toString as toHex } from 'uint8arrays/to-string'
import { defaultProvider } from '../../src/crypto/provider/index.ts'
import { GroupSecret } from '../../src/groups/group-secret.ts'

const provider = defaultProvider()

describe('group secret', () => {
  it('gives every member the same topic, mailbox identity and author key, and other secrets other ones', async () => {
    const secret = GroupSecret.fresh(provider)
    const same = GroupSecret.from(provider, secret.secret)
    const other = GroupSecret.fresh(provider)
    assert.equal(await same.topic(), await secret.topic())
    assert.match(await secret.topic(), /^\/parley\/group\/[0-9a-f]{64}$/)
    assert.notEqual(await other.topic(), await secret.topic())
    const box = await secret.mailboxIdentity()
    assert.equal(box.type, 'Ed25519')
    assert.ok(box.equals(await same.mailboxIdentity()))
    assert.ok(!box.equals(await other.mailboxIdentity()))
    const names = [await secret.topic(), toHex(box.raw.subarray(0, 32), 'base16'), toHex(await secret.authorKey(), 'base16')]
    assert.equal(new Set(names.map(n => n.slice(-64))).size, 3, 'topic, mailbox identity and author key are unrelated')
  })

  it('refuses a secret of the wrong size', () => {
    assert.throws(() => GroupSecret.from(provider, new Uint8Array(31)), RangeError)
  })
})
