/** Which backends exist and which one new tensors go to. */
import type { Backend } from './types.js';
import { JsBackend } from './js/backend.js';

const factories = new Map<string, () => Backend>();
const instances = new Map<string, Backend>();
let activeName = 'js';

export function registerBackend(name: string, factory: () => Backend): void {
  factories.set(name, factory);
}

registerBackend('js', () => new JsBackend());

export function findBackend(name: string): Backend {
  let backend = instances.get(name);
  if (backend) return backend;
  const factory = factories.get(name);
  if (!factory) {
    throw new Error(`setBackend: unknown backend "${name}"; available: ${[...factories.keys()].join(', ')}`);
  }
  backend = factory();
  instances.set(name, backend);
  return backend;
}

/** Makes `name` the backend for new tensors. */
export function setBackend(name: string): void {
  findBackend(name);
  activeName = name;
}

export function getBackendName(): string {
  return activeName;
}

export function backend(): Backend {
  return findBackend(activeName);
}
