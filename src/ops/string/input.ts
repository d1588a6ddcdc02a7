/** Argument handling shared by the `st.string` ops. */
import { Tensor } from '../../tensor/tensor.js';
import { convert, type TensorInput } from '../op.js';

/** `x` as a string tensor on the active backend and its byte strings. */
export function stringInput(op: string, arg: string, x: TensorInput): { t: Tensor; bytes: readonly Uint8Array[] } {
  const t = convert(x, op, arg);
  if (t.dtype !== 'string') throw new Error(`${op}: expected '${arg}' to be a string tensor, got dtype ${t.dtype}`);
  return { t, bytes: t.backend.readStrings(t.dataId) };
}

/** A string option (separator, pad, pattern, ...), checked. */
export function textOption(op: string, name: string, value: unknown): string {
  if (typeof value !== 'string') throw new Error(`${op}: ${name} must be a string, got ${JSON.stringify(value)}`);
  return value;
}

/** The bytes of `parts` joined by `separator`. */
export function joinBytes(parts: readonly Uint8Array[], separator: Uint8Array): Uint8Array {
  let size = separator.length * Math.max(parts.length - 1, 0);
  for (const p of parts) size += p.length;
  const out = new Uint8Array(size);
  let at = 0;
  parts.forEach((p, i) => {
    if (i > 0) {
      out.set(separator, at);
      at += separator.length;
    }
    out.set(p, at);
    at += p.length;
  });
  return out;
}
