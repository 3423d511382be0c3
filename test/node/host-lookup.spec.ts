import assert from 'node:assert/strict'
import { osLookup } from '../../src/node/host-lookup.ts'

describe('osLookup', () => {
  it('resolves through the operating system, /etc/hosts included', async () => {
    // `localhost` is answered from /etc/hosts (or nss-myhostname): no query leaves the machine
    const lookup = osLookup()
    assert.ok(lookup != null, 'Node has a resolver')
    const answers = await lookup('localhost', {})
    assert.ok(answers.length > 0)
    assert.ok(answers.every(ip => ip === '::1' || ip.startsWith('127.')), answers.join(', '))
  })
})
