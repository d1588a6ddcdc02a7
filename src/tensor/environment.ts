/**
 * TensorFlow.js' environment: `st.env()` flags (`IS_BROWSER`, `IS_NODE`, `DEBUG`, `PROD`, ...),
 * `enableProdMode`, `enableDebugMode`, deprecation warnings, `setPlatform`, and `device_util`.
 * Flags striate reads: DEBUG (every op's output is checked for NaN and Infinity, naming the op)
 * and DEPRECATION_WARNINGS_ENABLED. The others are answered for programs that ask.
 */
import { platformHooks } from './platform.js';

type FlagValue = number | boolean | string;

const isNodeRuntime = typeof process !== 'undefined' && typeof process.versions?.node === 'string';
const isBrowserRuntime = typeof window !== 'undefined' && typeof document !== 'undefined';

/** The flags striate knows and how each is worked out when first read. */
const FLAG_DEFAULTS: Record<string, () => FlagValue> = {
  IS_BROWSER: () => isBrowserRuntime,
  IS_NODE: () => isNodeRuntime,
  IS_TEST: () => false,
  DEBUG: () => false,
  PROD: () => false,
  DEPRECATION_WARNINGS_ENABLED: () => true,
  CHECK_COMPUTATION_FOR_ERRORS: () => true,
  WASM_HAS_SIMD_SUPPORT: () => true,
  WASM_HAS_MULTITHREAD_SUPPORT: () => typeof SharedArrayBuffer !== 'undefined',
  KEEP_INTERMEDIATE_TENSORS: () => false,
  TOPK_LAST_DIM_CPU_HANDOFF_SIZE_THRESHOLD: () => 100000,
  TOPK_K_CPU_HANDOFF_THRESHOLD: () => 128,
};

/** The flags of the running program, as TensorFlow.js' Environment holds them. */
export class Environment {
  private readonly values: Record<string, FlagValue> = {};
  private readonly registry: Record<string, { evaluate: () => FlagValue; setHook?: (v: FlagValue) => void }> = {};
  platformName = isNodeRuntime ? 'node' : 'browser';
  platform: unknown = undefined;
  readonly global: typeof globalThis = globalThis;

  constructor() {
    for (const [name, evaluate] of Object.entries(FLAG_DEFAULTS)) this.registerFlag(name, evaluate);
  }

  /** Adds a flag (a later registration of the same name replaces the first). */
  registerFlag(flagName: string, evaluationFn: () => FlagValue, setHook?: (value: FlagValue) => void): void {
    this.registry[flagName] = { evaluate: evaluationFn, setHook };
  }

  get(flagName: string): FlagValue {
    if (flagName in this.values) return this.values[flagName];
    const entry = this.registry[flagName];
    if (!entry) throw new Error(`env: unknown flag "${flagName}"; known flags: ${Object.keys(this.registry).join(', ')}`);
    this.values[flagName] = entry.evaluate();
    return this.values[flagName];
  }

  getBool(flagName: string): boolean {
    return this.get(flagName) as boolean;
  }

  getNumber(flagName: string): number {
    return this.get(flagName) as number;
  }

  getString(flagName: string): string {
    return this.get(flagName) as string;
  }

  async getAsync(flagName: string): Promise<FlagValue> {
    return this.get(flagName);
  }

  set(flagName: string, value: FlagValue): void {
    const entry = this.registry[flagName];
    if (!entry) throw new Error(`env: cannot set unknown flag "${flagName}"; known flags: ${Object.keys(this.registry).join(', ')}`);
    this.values[flagName] = value;
    entry.setHook?.(value);
  }

  /** The flags read or set so far, with their values. */
  getFlags(): Record<string, FlagValue> {
    return { ...this.values };
  }

  get flags(): Record<string, FlagValue> {
    return this.getFlags();
  }

  get features(): Record<string, FlagValue> {
    return this.getFlags();
  }

  setFlags(flags: Record<string, FlagValue>): void {
    for (const [k, v] of Object.entries(flags)) this.set(k, v);
  }

  /** Forgets every value read or set; the next read works it out again. */
  reset(): void {
    for (const k of Object.keys(this.values)) delete this.values[k];
  }

  setPlatform(platformName: string, platform: unknown): void {
    this.platformName = platformName;
    this.platform = platform;
  }
}

export const ENV = new Environment();

/**
 * The environment (TensorFlow.js' `tf.env()`).
 *
 * @example
 * ```ts
 * console.log(st.env().get('IS_NODE'));
 * ```
 */
export function env(): Environment {
  return ENV;
}

/**
 * Debug mode: every op's output is checked for NaN and Infinity (slow; for hunting the op that makes them).
 *
 * @example
 * ```ts
 * st.enableDebugMode(); // checks every op's output for NaN
 * st.enableProdMode();  // and back off
 * ```
 */
export function enableDebugMode(): void {
  ENV.set('DEBUG', true);
}

/**
 * Production mode: no debug checks and no deprecation warnings.
 *
 * @example
 * ```ts
 * st.enableProdMode(); // skips debug checks
 * console.log(st.env().get('PROD')); // true
 * ```
 */
export function enableProdMode(): void {
  ENV.set('PROD', true);
  ENV.set('DEBUG', false);
  ENV.set('DEPRECATION_WARNINGS_ENABLED', false);
}

/**
 * @example
 * ```ts
 * st.disableDeprecationWarnings();
 * ```
 */
export function disableDeprecationWarnings(): void {
  ENV.set('DEPRECATION_WARNINGS_ENABLED', false);
}

/**
 * Prints a deprecation warning unless they are switched off.
 *
 * @example
 * ```ts
 * st.deprecationWarn('oldName is deprecated; use newName'); // printed once unless disabled
 * ```
 */
export function deprecationWarn(msg: string): void {
  if (ENV.getBool('DEPRECATION_WARNINGS_ENABLED')) {
    console.warn(`${msg} You can disable deprecation warnings with st.disableDeprecationWarnings().`);
  }
}

/** What a platform may provide (TensorFlow.js' Platform): fetch, now, and string coding. */
export interface Platform {
  fetch?(path: string, requestInits?: RequestInit): Promise<Response>;
  now?(): number;
  encode?(text: string, encoding: string): Uint8Array;
  decode?(bytes: Uint8Array, encoding: string): string;
}

/**
 * Replaces how `util.fetch` and `util.now` work (TensorFlow.js' `setPlatform`).
 *
 * @example
 * ```ts
 * // replace how the library fetches and times (used by tests and unusual runtimes)
 * console.log(typeof st.setPlatform);
 * ```
 */
export function setPlatform(platformName: string, platform: Platform): void {
  ENV.setPlatform(platformName, platform);
  if (platform.fetch) platformHooks.fetch = platform.fetch.bind(platform);
  if (platform.now) platformHooks.now = platform.now.bind(platform);
}

let mobileOverride: boolean | undefined;

/**
 * `st.device_util`: where the program runs.
 * @namespace
 */
export const device_util = {
  /**
   * Whether the program runs in a browser page or a web worker.
   *
   * @example
   * ```ts
   * console.log(st.device_util.isBrowser()); // false in Node
   * ```
   */
  isBrowser(): boolean {
    return isBrowserRuntime || (typeof self !== 'undefined' && typeof (self as { importScripts?: unknown }).importScripts === 'function');
  },
  /**
   * Whether the user agent (of `nav`, or the browser's navigator) is a phone's or tablet's.
   *
   * @example
   * ```ts
   * console.log(st.device_util.isMobile({ userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0)' })); // true
   * console.log(st.device_util.isMobile()); // false in Node (no navigator)
   * ```
   */
  isMobile(nav?: { userAgent?: string; vendor?: string }): boolean {
    if (mobileOverride !== undefined) return mobileOverride;
    const n = nav ?? (typeof navigator !== 'undefined' ? navigator : undefined);
    const agent = n?.userAgent ?? n?.vendor ?? '';
    return /android|iphone|ipad|ipod|mobile|blackberry|iemobile|opera mini/i.test(agent);
  },
  /**
   * Makes `isMobile` answer `value` (for tests); `undefined` undoes it.
   *
   * @example
   * ```ts
   * st.device_util.mockIsMobile(true);
   * console.log(st.device_util.isMobile()); // true
   * st.device_util.mockIsMobile(undefined); // back to the user agent
   * ```
   */
  mockIsMobile(value: boolean | undefined): void {
    mobileOverride = value;
  },
};
