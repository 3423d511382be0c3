import assert from 'node:assert/strict'
import { withMethods } from '../../src/node/components-view.ts'

class Service {
  #count = 0
  readonly log = Object.assign((): void => {}, { error: (): void => {} })

  bump (): number {
    return ++this.#count
  }

  call (): string {
    return 'real'
  }
}

describe('a view of an object with some methods replaced', () => {
  it('replaces the named methods, binds the others to the object, and leaves its own values as they are', () => {
    const service = new Service()
    const view = withMethods(service, { call: () => 'replaced' })
    assert.equal(view.call(), 'replaced')
    const { bump } = view
    assert.equal(bump(), 1, 'a method keeps its private fields, even detached')
    assert.equal(view.log, service.log, 'a function-valued property is the same value')
    assert.equal(typeof view.log.error, 'function')
  })
})
