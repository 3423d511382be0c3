/**
 * Views of libp2p objects with a few members replaced, for working around a library's behaviour
 * at the narrowest point: a service is given a view of its components instead of the real ones,
 * and nothing else in the node changes. Both are Proxies because libp2p's components object is
 * itself a Proxy that resolves members lazily, so it cannot be copied.
 */

/** `components` with the named components replaced */
export function withComponents<T extends object> (components: T, overrides: Partial<T>): T {
  return new Proxy(components, {
    get (target, prop, receiver) {
      return Object.hasOwn(overrides, prop) ? overrides[prop as keyof T] : Reflect.get(target, prop, receiver)
    }
  })
}

/**
 * `target` with the named methods replaced; every other method stays bound to `target`, so
 * private fields keep working, and its own properties are passed as they are
 */
export function withMethods<T extends object> (target: T, overrides: Partial<T>): T {
  return new Proxy(target, {
    get (object, prop, receiver) {
      if (Object.hasOwn(overrides, prop)) return overrides[prop as keyof T]
      const value = Reflect.get(object, prop, receiver)
      // an own property that is a function (a logger) is a value: a bound copy loses its members
      return typeof value === 'function' && !Object.hasOwn(object, prop) ? value.bind(object) : value
    }
  })
}
