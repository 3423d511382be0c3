import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { ROUTES, findRoute } from '../../src/control/routes.ts'

describe('control API routes', () => {
  it('finds a route by method and path, with its :name parts decoded', () => {
    assert.equal(findRoute('GET', '/messages')?.route.path, '/messages')
    assert.equal(findRoute('POST', '/messages')?.route.method, 'POST')
    const found = findRoute('POST', '/files/ab12/cancel')
    assert.equal(found?.route.path, '/files/:id/cancel')
    assert.deepEqual(found?.params, { id: 'ab12' })
    assert.deepEqual(findRoute('DELETE', `/contacts/${encodeURIComponent('a name/with a slash')}`)?.params, { peer: 'a name/with a slash' })
  })

  it('finds none for an unknown path, another method, an empty part or extra parts', () => {
    assert.equal(findRoute('GET', '/nothing'), undefined)
    assert.equal(findRoute('DELETE', '/messages'), undefined)
    assert.equal(findRoute('DELETE', '/contacts/'), undefined)
    assert.equal(findRoute('GET', '/files/ab12/cancel/again'), undefined)
    assert.equal(findRoute('GET', ''), undefined)
  })

  it('refuses a badly escaped part as bad input', () => {
    assert.throws(() => findRoute('DELETE', '/contacts/%E0%A4%A'), { name: 'BadRequestError' })
  })

  it('has every route documented in docs/CONTROL-API.md, and nothing documented that is not a route', async () => {
    const doc = await readFile(new URL('../../docs/CONTROL-API.md', import.meta.url), 'utf8')
    const documented = [...doc.matchAll(/^\| `(GET|POST|DELETE) \/v1([^`?\s]*)/gm)].map(m => `${m[1]} ${m[2].replace(/\/PEER(\/|$)/, '/:peer$1').replace(/\/ID(\/|$)/, '/:id$1').replace(/\/GROUP(\/|$)/, '/:group$1')}`)
    assert.deepEqual(documented.sort(), ROUTES.map(r => `${r.method} ${r.path}`).sort())
  })
})
