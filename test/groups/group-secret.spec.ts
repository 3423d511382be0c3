import assert from 'node:assert/strict'
import { toString as toHex } from 'uint8arrays/to-string'
import { defaultProvider } from '../../src/crypto/provider/index.ts'
import { GroupSecret } from '../../src/groups/group-secret.ts'

const provider = defaultProvider()

describe('group secret', () => {
  it('gives every member the same topic, mailbox keys and author key, and other secrets other ones', async () => {
    const secret = GroupSecret.fresh(provider)
    const same = GroupSecret.from(provider, secret.secret)
    const other = GroupSecret.fresh(provider)
    assert.equal(await same.topic(), await secret.topic())
    assert.match(await secret.topic(), /^\/parley\/group\/[0-9a-f]{64}$/)
    assert.notEqual(await other.topic(), await secret.topic())
    assert.deepEqual(await same.mailboxKey(2900), await secret.mailboxKey(2900))
    assert.notDeepEqual(await secret.mailboxKey(2901), await secret.mailboxKey(2900), 'a new key each mailbox epoch')
    assert.notDeepEqual(await other.mailboxKey(2900), await secret.mailboxKey(2900))
    const names = [await secret.topic(), toHex(await secret.mailboxKey(2900), 'base16'), toHex(await secret.authorKey(), 'base16')]
    assert.equal(new Set(names.map(n => n.slice(-64))).size, 3, 'topic, mailbox and author keys are unrelated')
  })

  it('refuses a secret of the wrong size and an epoch out of range', async () => {
    assert.throws(() => GroupSecret.from(provider, new Uint8Array(31)), RangeError)
    await assert.rejects(GroupSecret.fresh(provider).mailboxKey(-1), RangeError)
    await assert.rejects(GroupSecret.fresh(provider).mailboxKey(2 ** 32), RangeError)
  })
})
