/**
 * TensorBoard's event files: a TFRecord stream of `Event` protocol buffers. Each record is
 * its length (uint64, little-endian), the masked CRC32C of those 8 bytes, the data, and the
 * masked CRC32C of the data. The first event of a file carries `file_version`
 * "brain.Event:2"; then each event has a wall time, a step and a `Summary` of tagged values
 * (a scalar's `simple_value`, or a `HistogramProto`), which TensorBoard's scalars and
 * histograms dashboards read.
 */
import protobuf from 'protobufjs/light.js';

const descriptor = {
  nested: {
    tensorboard: {
      nested: {
        Event: {
          fields: {
            wallTime: { type: 'double', id: 1 },
            step: { type: 'int64', id: 2 },
            fileVersion: { type: 'string', id: 3 },
            summary: { type: 'Summary', id: 5 },
          },
        },
        Summary: {
          fields: { value: { rule: 'repeated', type: 'Value', id: 1 } },
          nested: {
            Value: {
              fields: {
                tag: { type: 'string', id: 1 },
                simpleValue: { type: 'float', id: 2 },
                histo: { type: 'HistogramProto', id: 5 },
              },
            },
          },
        },
        HistogramProto: {
          fields: {
            min: { type: 'double', id: 1 },
            max: { type: 'double', id: 2 },
            num: { type: 'double', id: 3 },
            sum: { type: 'double', id: 4 },
            sumSquares: { type: 'double', id: 5 },
            bucketLimit: { rule: 'repeated', type: 'double', id: 6, options: { packed: true } },
            bucket: { rule: 'repeated', type: 'double', id: 7, options: { packed: true } },
          },
        },
      },
    },
  },
};

let eventType: protobuf.Type | undefined;
function events(): protobuf.Type {
  eventType ??= protobuf.Root.fromJSON(descriptor).lookupType('tensorboard.Event');
  return eventType;
}

export interface Histogram {
  min: number;
  max: number;
  num: number;
  sum: number;
  sumSquares: number;
  bucketLimit: number[];
  bucket: number[];
}

export interface SummaryValue {
  tag: string;
  simpleValue?: number;
  histo?: Histogram;
}

export interface TfEvent {
  wallTime: number;
  step: number;
  fileVersion?: string;
  summary?: { value: SummaryValue[] };
}

export const FILE_VERSION = 'brain.Event:2';

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    // Castagnoli's polynomial, bit-reversed
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32C (Castagnoli) of the bytes. */
export function crc32c(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = CRC_TABLE[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** TFRecord's masked CRC: rotated right by 15 bits plus a constant, so a CRC of CRCs stays informative. */
export function maskedCrc32c(bytes: Uint8Array): number {
  const crc = crc32c(bytes);
  return ((((crc >>> 15) | (crc << 17)) >>> 0) + 0xa282ead8) >>> 0;
}

/** One TFRecord: length, its masked CRC, the data, the data's masked CRC. */
export function tfRecord(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(16 + data.length);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(data.length), true);
  view.setUint32(8, maskedCrc32c(out.subarray(0, 8)), true);
  out.set(data, 12);
  view.setUint32(12 + data.length, maskedCrc32c(data), true);
  return out;
}

/** The data of every record in a TFRecord stream, each checked against its CRCs; `where` names the file in errors. */
export function readTfRecords(bytes: Uint8Array, where = 'the event file'): Uint8Array[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: Uint8Array[] = [];
  let at = 0;
  while (at < bytes.length) {
    if (at + 12 > bytes.length) throw new Error(`${where}: a record header at byte ${at} is cut short`);
    if (view.getUint32(at + 8, true) !== maskedCrc32c(bytes.subarray(at, at + 8))) throw new Error(`${where}: the length CRC of the record at byte ${at} is wrong`);
    const length = Number(view.getBigUint64(at, true));
    if (at + 16 + length > bytes.length) throw new Error(`${where}: the record at byte ${at} needs ${length} data bytes, the file ends first`);
    const data = bytes.subarray(at + 12, at + 12 + length);
    if (view.getUint32(at + 12 + length, true) !== maskedCrc32c(data)) throw new Error(`${where}: the data CRC of the record at byte ${at} is wrong`);
    out.push(data);
    at += 16 + length;
  }
  return out;
}

export function encodeEvent(event: TfEvent): Uint8Array {
  const type = events();
  return type.encode(type.fromObject(event)).finish();
}

export function decodeEvent(data: Uint8Array): TfEvent {
  const type = events();
  return type.toObject(type.decode(data), { longs: Number, defaults: false }) as TfEvent;
}

/** Every event of an event file's bytes. */
export function readEvents(bytes: Uint8Array, where?: string): TfEvent[] {
  return readTfRecords(bytes, where).map(decodeEvent);
}

/** A histogram of the values in `bucketCount` equal buckets between their min and max, as TensorBoard draws them. */
export function histogramOf(values: ArrayLike<number>, bucketCount = 30): Histogram {
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let sumSquares = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
    sumSquares += v * v;
  }
  if (values.length === 0) return { min: 0, max: 0, num: 0, sum: 0, sumSquares: 0, bucketLimit: [], bucket: [] };
  const count = min === max ? 1 : bucketCount;
  const width = (max - min) / count;
  const bucket = new Array<number>(count).fill(0);
  for (let i = 0; i < values.length; i++) bucket[width === 0 ? 0 : Math.min(count - 1, Math.floor((values[i] - min) / width))]++;
  const bucketLimit = bucket.map((_, i) => (i === count - 1 ? max : min + (i + 1) * width));
  return { min, max, num: values.length, sum, sumSquares, bucketLimit, bucket };
}
