/**
 * TensorFlow.js' `serialization` namespace: a base for objects that can be written to a model
 * file as `{className, config}` and rebuilt from it, and a registry from class names to their
 * constructors. Layers, optimizers and user classes (a custom layer registered with
 * `st.serialization.registerClass(MyLayer)`) all meet here, so that a model file naming a
 * user's class can be loaded. It sits this low because optimizers and layers both use it.
 */

/** A value in a config: plain JSON-like data. */
export type ConfigDictValue = boolean | number | string | null | ConfigDictArray | ConfigDict;
export interface ConfigDict { [key: string]: ConfigDictValue }
export interface ConfigDictArray extends Array<ConfigDictValue> {}

/** Builds an instance of `cls` from its config (TensorFlow.js' `fromConfig` signature). */
export type FromConfigMethod<T extends Serializable> = (cls: SerializableConstructor<T>, config: ConfigDict) => T;

/** A class that can be registered: a constructor with a static `className` (and `fromConfig`). */
export type SerializableConstructor<T extends Serializable> = {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  new (...args: any[]): T;
  className: string;
  fromConfig: FromConfigMethod<T>;
};

export abstract class Serializable {
  /**
   * The name written into model files. By default the class's static `className`, which a
   * minifier cannot rename as it renames the constructor.
   */
  getClassName(): string {
    return (this.constructor as unknown as { className: string }).className;
  }

  /** Everything but the weights that rebuilding this object needs. */
  abstract getConfig(): Record<string, unknown>;

  /** The default rebuild: the constructor called with the config. */
  static fromConfig<T extends Serializable>(cls: SerializableConstructor<T>, config: ConfigDict): T {
    return new cls(config);
  }
}

/** The registry, one per process, from class name to the class and how to build it. */
export class SerializationMap {
  private static instance: SerializationMap | undefined;
  classNameMap: { [className: string]: [SerializableConstructor<Serializable>, FromConfigMethod<Serializable>] } = {};

  private constructor() {}

  static getMap(): SerializationMap {
    if (!SerializationMap.instance) SerializationMap.instance = new SerializationMap();
    return SerializationMap.instance;
  }

  static register<T extends Serializable>(cls: SerializableConstructor<T>): void {
    SerializationMap.getMap().classNameMap[cls.className] =
      [cls as unknown as SerializableConstructor<Serializable>, cls.fromConfig as unknown as FromConfigMethod<Serializable>];
  }
}

/** 'Custom>MyLayer' for each registered class, as TensorFlow.js keys them. */
const registeredNames = new Map<unknown, string>();

/**
 * Makes `cls` known by its static `className`, so that model files naming it can be loaded.
 * `pkg` (default 'Custom') and `name` only shape the name `getRegisteredName` reports.
 *
 * @example
 * ```ts
 * class Scale extends st.serialization.Serializable {
 *   static className = 'Scale';
 *   constructor(readonly config: { factor: number }) { super(); }
 *   getConfig() { return { factor: this.config.factor }; }
 * }
 * st.serialization.registerClass(Scale);
 * console.log(st.serialization.getRegisteredName(Scale)); // 'Custom>Scale'
 * ```
 */
export function registerClass<T extends Serializable>(cls: SerializableConstructor<T>, pkg?: string, name?: string): SerializableConstructor<T> {
  if (typeof cls !== 'function') {
    throw new Error(`serialization.registerClass: expected a class, got ${cls === null ? 'null' : typeof cls}`);
  }
  const className = (cls as { className?: unknown }).className;
  if (className === undefined || className === null) {
    throw new Error(`serialization.registerClass: class ${cls.name || '(anonymous)'} has no static className ` +
      `(add \`static className = '${cls.name || 'MyLayer'}'\` or \`static get className() { return '...'; }\`)`);
  }
  if (typeof className !== 'string' || className.length === 0) {
    throw new Error(`serialization.registerClass: class ${cls.name || '(anonymous)'} must have a non-empty string ` +
      `static className, got ${JSON.stringify(className)}`);
  }
  if (typeof cls.fromConfig !== 'function') {
    throw new Error(`serialization.registerClass: class "${className}" has no static fromConfig (extend ` +
      'st.serialization.Serializable, st.layers.Layer or another striate class)');
  }
  SerializationMap.register(cls);
  registeredNames.set(cls, `${pkg ?? 'Custom'}>${name ?? className}`);
  return cls;
}

/**
 * The name `registerClass` gave `cls` ('Custom>MyLayer'), or its className when not registered.
 *
 * @example
 * ```ts
 * class Offset extends st.serialization.Serializable {
 *   static className = 'Offset';
 *   getConfig() { return {}; }
 * }
 * st.serialization.registerClass(Offset, 'MyPackage');
 * console.log(st.serialization.getRegisteredName(Offset)); // 'MyPackage>Offset'
 * ```
 */
export function getRegisteredName<T extends Serializable>(cls: SerializableConstructor<T>): string {
  return registeredNames.get(cls) ?? cls.className;
}
