/**
 * Strict arguments: an options object with a key nobody reads, or an argument of the wrong
 * kind, is an error that names the call, the key or parameter, and what came. TensorFlow.js
 * silently ignores both; a typo such as `batchsize` then trains with the default.
 */

/** Levenshtein distance (insertions, deletions, substitutions), case-insensitive. */
export function editDistance(a: string, b: string): number {
  a = a.toLowerCase();
  b = b.toLowerCase();
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length];
}

/** The known name closest to `given`, when it is close enough to be a typo of it. */
export function nearestName(given: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const k of known) {
    const d = editDistance(given, k);
    if (d < bestDistance) [best, bestDistance] = [k, d];
  }
  return bestDistance <= Math.max(2, Math.floor(given.length / 3)) ? best : undefined;
}

/** How a value is described in an error: `a string ("abc")`, `an array`, `null`. */
export function describeValue(x: unknown): string {
  if (x === null) return 'null';
  if (x === undefined) return 'undefined';
  if (Array.isArray(x)) return `an array of length ${x.length}`;
  if (typeof x === 'string') return `a string (${JSON.stringify(x.length > 40 ? `${x.slice(0, 40)}...` : x)})`;
  if (typeof x === 'number' || typeof x === 'boolean') return `${typeof x} ${x}`;
  if (typeof x === 'function') return 'a function';
  const name = (x as object).constructor?.name;
  return name && name !== 'Object' ? `a ${name}` : 'an object';
}

/**
 * Checks that `options` is a plain object (or undefined) whose keys are all in `known`:
 * `unknown option "batchsize" for fit; did you mean "batchSize"?`.
 */
export function checkOptions(where: string, options: unknown, known: readonly string[]): void {
  if (options === undefined || options === null) return;
  if (typeof options !== 'object' || Array.isArray(options)) {
    throw new Error(`${where}: expected an options object, got ${describeValue(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (known.includes(key)) continue;
    if (known.length === 0) throw new Error(`unknown option "${key}" for ${where}, which takes no options`);
    const near = nearestName(key, known);
    throw new Error(`unknown option "${key}" for ${where}; ` +
      (near ? `did you mean "${near}"?` : `the options are ${known.map((k) => `"${k}"`).join(', ')}`));
  }
}

/** Throws unless `value` is of `type` ('number', 'boolean', 'string', 'function'): names the parameter. */
export function checkArgType(where: string, param: string, value: unknown, type: 'number' | 'boolean' | 'string' | 'function', optional = false): void {
  if (optional && value === undefined) return;
  if (typeof value !== type) {
    throw new Error(`${where}: expected '${param}' to be a ${type}, got ${describeValue(value)}`);
  }
}

/** A function carrying the option keys it accepts (for tables, tests and lenient config readers). */
export type WithOptionKeys<F> = F & { readonly optionKeys: readonly string[] };

/**
 * `f` with its options object (first argument) checked against `known` before it runs:
 * the one wrapper behind the strict factories (initializers, regularizers, constraints,
 * optimizers, callbacks, ...). The keys travel along as `optionKeys`, so that a reader of saved
 * configs can keep only those (`pickKnown`) instead of being refused.
 */
export function strictFactory<F extends (...args: never[]) => unknown>(where: string, known: readonly string[], f: F): WithOptionKeys<F> {
  const checked = (...args: unknown[]) => {
    checkOptions(where, args[0], known);
    return (f as unknown as (...a: unknown[]) => unknown)(...args);
  };
  return Object.assign(checked, { optionKeys: known }) as unknown as WithOptionKeys<F>;
}

/**
 * The entries of `config` whose keys are in `known`: configs read from model files may carry keys
 * a newer Keras writes and striate does not use; those are dropped there, not refused.
 */
export function pickKnown(config: Record<string, unknown>, known: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(config).filter(([k]) => known.includes(k)));
}

// Kinds test the type only: whether a number is a whole number in range is the op's own check,
// which can say more (`oneHot: depth must be a positive integer, got 2.5`).
const isNumber = (x: unknown): boolean => typeof x === 'number';
const isNumbers = (x: unknown): boolean => Array.isArray(x) && x.every(isNumber);

/** The kinds a positional argument may be, each with its test and how the error names it. */
const KIND_TEST = {
  /** no check here: convert() names a bad tensor argument itself */
  any: [() => true, 'anything'],
  number: [(x: unknown) => typeof x === 'number', 'a number'],
  int: [isNumber, 'an integer'],
  boolean: [(x: unknown) => typeof x === 'boolean', 'a boolean'],
  string: [(x: unknown) => typeof x === 'string', 'a string'],
  function: [(x: unknown) => typeof x === 'function', 'a function'],
  array: [(x: unknown) => Array.isArray(x), 'an array'],
  ints: [isNumbers, 'an array of integers'],
  'int|ints': [(x: unknown) => isNumber(x) || isNumbers(x), 'an integer or an array of integers'],
  shape: [isNumbers, 'a shape (an array of integers)'],
  'number|boolean': [(x: unknown) => typeof x === 'number' || typeof x === 'boolean', 'a number or boolean'],
  'number|boolean|string': [(x: unknown) => ['number', 'boolean', 'string'].includes(typeof x), 'a number, boolean or string'],
  /** a scalar's value: a number, boolean or string, or (for dtype 'string') a Uint8Array of bytes */
  scalar: [(x: unknown) => ['number', 'boolean', 'string'].includes(typeof x) || x instanceof Uint8Array, 'a number, boolean or string'],
  /** a learning rate: a number or a schedule function */
  'number|function': [(x: unknown) => typeof x === 'number' || typeof x === 'function', 'a number or a schedule'],
  /** a dtype name (checked by checkDtypeName, which names the nearest for a typo) */
  dtype: [(x: unknown) => (DTYPE_NAMES as readonly unknown[]).includes(x), 'a dtype'],
} as const satisfies Record<string, readonly [(x: unknown) => boolean, string]>;

type BaseKind = keyof typeof KIND_TEST;
/** What a positional argument may be; a trailing `?` also lets undefined and null through (the default). */
export type ArgKind = BaseKind | `${BaseKind}?`;

/** striate's dtypes (complex128 is striate's own, for gradient checks) */
export const DTYPE_NAMES = ['float32', 'float64', 'int32', 'bool', 'complex64', 'complex128', 'string'] as const;

/**
 * Throws unless `dtype` is one of striate's dtypes, naming the nearest for a typo
 * (`zeros: unknown dtype "flot32"; did you mean "float32"?`) and saying so for TensorFlow.js
 * dtypes striate does not have.
 */
export function checkDtypeName(where: string, dtype: unknown, param = 'dtype'): void {
  if ((DTYPE_NAMES as readonly unknown[]).includes(dtype)) return;
  const known = DTYPE_NAMES.join(', ');
  if (typeof dtype !== 'string') throw new Error(`${where}: expected '${param}' to be one of ${known}, got ${describeValue(dtype)}`);
  const near = nearestName(dtype, DTYPE_NAMES);
  throw new Error(`${where}: unknown dtype ${JSON.stringify(dtype)}; ` + (near ? `did you mean "${near}"?` : `the dtypes are ${known}`));
}

const KIND_PARTS = new Map<string, { optional: boolean; base: BaseKind }>();

/** An ArgKind split into its base kind and whether a trailing `?` makes it optional. */
function kindParts(kind: ArgKind): { optional: boolean; base: BaseKind } {
  let parts = KIND_PARTS.get(kind);
  if (parts === undefined) {
    const optional = kind.endsWith('?');
    parts = { optional, base: (optional ? kind.slice(0, -1) : kind) as BaseKind };
    KIND_PARTS.set(kind, parts);
  }
  return parts;
}

/** A positional parameter: its name and what it may be. */
export type ArgSpec = readonly [param: string, kind: ArgKind];

/**
 * Checks positional arguments against their specs, naming the first that does not fit:
 * `sum: expected 'keepDims' to be a boolean, got a string ("yes")`.
 */
export function checkArgs(where: string, specs: readonly ArgSpec[], args: ArrayLike<unknown>): void {
  for (let i = 0; i < specs.length; i++) {
    const [param, kind] = specs[i];
    const value = args[i];
    // js overhead area (issue 18): every public op call checks its arguments; the kind's parts
    // are looked up rather than cut from the string each time
    const { optional, base } = kindParts(kind);
    if (optional && (value === undefined || value === null)) continue;
    if (base === 'dtype') {
      checkDtypeName(where, value, param);
      continue;
    }
    const [test, expected] = KIND_TEST[base];
    if (!test(value)) throw new Error(`${where}: expected '${param}' to be ${expected}, got ${describeValue(value)}`);
  }
}

/** `f` with its positional arguments checked against `specs` first (see checkArgs). */
export function typedArgs<F extends (...args: never[]) => unknown>(where: string, specs: readonly ArgSpec[], f: F): F {
  return ((...args: unknown[]) => {
    checkArgs(where, specs, args);
    return (f as unknown as (...a: unknown[]) => unknown)(...args);
  }) as unknown as F;
}
