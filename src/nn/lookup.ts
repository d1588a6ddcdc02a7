/**
 * Resolving Keras-style identifiers: a name in camelCase, snake_case or as a class name
 * ('glorotUniform', 'glorot_uniform', 'GlorotUniform'), an object that is already the thing,
 * or a saved `{ className, config }`.
 */

import { pickKnown } from '../tensor/options.js';

export type Identifier<T> = string | T | { className: string; config?: Record<string, unknown> };

/** Lookup key: lower case without underscores, so all spellings of a name meet. */
export function lookupKey(name: string): string {
  return name.toLowerCase().replace(/_/g, '');
}

/**
 * Finds `identifier` among `factories` (keyed by camelCase name) and builds it with its config.
 * `isThing` recognises an object that needs no building; `kind` names what is looked up in errors.
 */
export function resolveIdentifier<T>(
  kind: string, identifier: unknown, factories: Record<string, (config?: Record<string, unknown>) => T>,
  isThing: (x: unknown) => x is T, where: string, aliases: Record<string, string> = {},
): T {
  if (isThing(identifier)) return identifier;
  let name: string;
  let config: Record<string, unknown> = {};
  if (typeof identifier === 'string') {
    name = identifier;
  } else if (typeof identifier === 'object' && identifier !== null
    && typeof (identifier as { className?: unknown }).className === 'string') {
    name = (identifier as { className: string }).className;
    config = (identifier as { config?: Record<string, unknown> }).config ?? {};
  } else {
    throw new Error(`${where}: expected ${kind === 'initializer' ? 'an' : 'a'} ${kind} name, ${kind === 'initializer' ? 'an' : 'a'} ${kind} or ` +
      `{ className, config }, got ${identifier === undefined ? 'undefined' : JSON.stringify(identifier)}`);
  }
  const byKey = new Map(Object.entries(factories).map(([n, f]) => [lookupKey(n), f]));
  const wanted = lookupKey(aliases[lookupKey(name)] ?? name);
  const f = byKey.get(wanted);
  if (!f) {
    throw new Error(`${where}: unknown ${kind} ${JSON.stringify(name)}; known: ${Object.keys(factories).join(', ')} ` +
      `(snake_case and class names work too)`);
  }
  // a saved config may carry keys striate does not read (newer Keras versions add some): keep the known ones
  const known = (f as { optionKeys?: readonly string[] }).optionKeys;
  return f(known ? pickKnown(config, known) : config);
}

/** True for objects with an `apply` method (initializers, regularizers, constraints). */
export function hasApply<T>(x: unknown): x is T {
  return typeof x === 'object' && x !== null && typeof (x as { apply?: unknown }).apply === 'function';
}
