import assert from 'node:assert/strict'
import { DecryptionError, InvalidKeyError, LowOrderPointError } from '../../../src/crypto/provider/index.ts'

describe('crypto provider errors', () => {
  for (const ErrorClass of [LowOrderPointError, DecryptionError, InvalidKeyError]) {
    it(`${ErrorClass.name} has its name on the class and instances, a default message and a cause`, () => {
      const cause = new Error('inner')
      const err = new ErrorClass(undefined, { cause })
      assert.ok(err instanceof Error)
      assert.equal(err.name, ErrorClass.name)
      assert.ok(['LowOrderPointError', 'DecryptionError', 'InvalidKeyError'].includes(err.name))
      assert.ok(err.message.length > 0)
      assert.equal(err.cause, cause)
      assert.equal(new ErrorClass('custom').message, 'custom')
    })
  }
})
