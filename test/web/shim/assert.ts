/**
 * A stand-in for `node:assert/strict` in a browser (see node_test.ts): the assertions the op
 * suites use, with Node's strict semantics (Object.is for numbers, so -0 is not 0; deep equality
 * compares prototypes, array and typed-array elements and own keys).
 */
export class AssertionError extends Error {
  override name = 'AssertionError';
}

const show = (v: unknown): string => {
  try {
    return typeof v === 'string' ? JSON.stringify(v) : Object.is(v, -0) ? '-0'
      : ArrayBuffer.isView(v) ? `${v.constructor.name}[${Array.from(v as unknown as ArrayLike<number>).join(', ')}]`
        : JSON.stringify(v, (_k, x) => (Object.is(x, -0) ? '-0' : typeof x === 'bigint' ? String(x) : x)) ?? String(v);
  } catch {
    return String(v);
  }
};

function fail(message: string | Error | undefined, fallback: string): never {
  if (message instanceof Error) throw message;
  throw new AssertionError(message ?? fallback);
}

function deepEqualValues(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  if (ArrayBuffer.isView(a)) {
    const x = a as unknown as ArrayLike<unknown>, y = b as unknown as ArrayLike<unknown>;
    if (x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (!Object.is(x[i], y[i])) return false;
    return true;
  }
  if (a instanceof Date) return a.getTime() === (b as Date).getTime();
  if (a instanceof RegExp) return String(a) === String(b);
  if (a instanceof Map || a instanceof Set) {
    return deepEqualValues([...(a as Map<unknown, unknown>).entries()], [...(b as Map<unknown, unknown>).entries()]);
  }
  const ka = Object.keys(a), kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) &&
    deepEqualValues((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

function errorMatches(e: unknown, expected: unknown): boolean {
  if (expected === undefined) return true;
  if (expected instanceof RegExp) return expected.test(String((e as Error)?.message ?? e)) || expected.test(String(e));
  if (typeof expected === 'function') {
    if ((expected as { prototype?: unknown }).prototype !== undefined && e instanceof (expected as new () => unknown)) return true;
    if (Error.isPrototypeOf(expected) || expected === Error) return false;
    return (expected as (e: unknown) => unknown)(e) === true;
  }
  if (typeof expected === 'object' && expected !== null) {
    return Object.entries(expected).every(([k, v]) => {
      const got = (e as Record<string, unknown>)?.[k];
      return v instanceof RegExp ? v.test(String(got)) : deepEqualValues(got, v);
    });
  }
  return false;
}

function assert(value: unknown, message?: string | Error): asserts value {
  if (!value) fail(message, `expected a truthy value, got ${show(value)}`);
}

const methods = {
  ok: assert,
  equal(actual: unknown, expected: unknown, message?: string | Error): void {
    if (!Object.is(actual, expected)) fail(message, `expected ${show(expected)}, got ${show(actual)}`);
  },
  notEqual(actual: unknown, expected: unknown, message?: string | Error): void {
    if (Object.is(actual, expected)) fail(message, `expected a value other than ${show(expected)}`);
  },
  deepEqual(actual: unknown, expected: unknown, message?: string | Error): void {
    if (!deepEqualValues(actual, expected)) fail(message, `expected ${show(expected)}, got ${show(actual)}`);
  },
  notDeepEqual(actual: unknown, expected: unknown, message?: string | Error): void {
    if (deepEqualValues(actual, expected)) fail(message, `expected a value other than ${show(expected)}`);
  },
  throws(fn: () => unknown, expected?: unknown, message?: string | Error): void {
    if (typeof expected === 'string') [message, expected] = [expected, undefined];
    try {
      fn();
    } catch (e) {
      if (!errorMatches(e, expected)) fail(message as string | undefined, `the error did not match ${show(String(expected))}: ${(e as Error)?.message ?? e}`);
      return;
    }
    fail(message as string | undefined, 'expected the function to throw');
  },
  doesNotThrow(fn: () => unknown, message?: string | Error): void {
    try {
      fn();
    } catch (e) {
      fail(message, `expected no error, got: ${(e as Error)?.message ?? e}`);
    }
  },
  async rejects(p: Promise<unknown> | (() => Promise<unknown>), expected?: unknown, message?: string | Error): Promise<void> {
    try {
      await (typeof p === 'function' ? p() : p);
    } catch (e) {
      if (!errorMatches(e, expected)) fail(message, `the rejection did not match: ${(e as Error)?.message ?? e}`);
      return;
    }
    fail(message, 'expected a rejection');
  },
  match(actual: string, re: RegExp, message?: string | Error): void {
    if (typeof actual !== 'string' || !re.test(actual)) fail(message, `expected ${show(actual)} to match ${re}`);
  },
  doesNotMatch(actual: string, re: RegExp, message?: string | Error): void {
    if (typeof actual !== 'string' || re.test(actual)) fail(message, `expected ${show(actual)} not to match ${re}`);
  },
  fail(message?: string | Error): never {
    return fail(message, 'failed');
  },
};

const strict = Object.assign(assert, methods, {
  strictEqual: methods.equal, notStrictEqual: methods.notEqual, deepStrictEqual: methods.deepEqual,
  notDeepStrictEqual: methods.notDeepEqual, AssertionError,
});
(strict as unknown as { strict: unknown }).strict = strict;

export default strict;
