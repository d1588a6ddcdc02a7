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
