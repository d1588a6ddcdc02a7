/**
 * Graph models (`format: "graph-model"`: a TensorFlow GraphDef as JSON plus weight shards, what
 * tensorflowjs_converter writes from a SavedModel) on the command line. What the file itself says
 * (nodes, op counts, inputs, outputs) is read here with no executor, so `summary` and `viz` work
 * on any graph model. Running one (`predict`, `evaluate`) goes through `st.loadGraphModel`.
 */
import path from 'node:path';
import type { Tensor } from '../tensor/tensor.js';
import { CliError } from './args.js';
import { loadGraphModel } from '../io/graph_model_load.js';
import '../io/file_system.js'; // registers the file:// router that loadGraphModel finds files with

export function isGraphModelJson(content: Record<string, unknown>): boolean {
  if (content.format === 'graph-model') return true;
  // files from older converters have no format key: a GraphDef topology has a node list
  const topology = content.modelTopology as Record<string, unknown> | undefined;
  return content.format === undefined && !!topology && Array.isArray(topology.node) && !('model_config' in topology);
}

export interface GraphTensorInfo {
  name: string;
  /** -1 (or null) for a size the graph leaves open */
  shape?: number[];
  dtype?: string;
}

export interface GraphNodeInfo {
  name: string;
  op: string;
  /** the names of the nodes it reads (control inputs and output indices removed) */
  inputs: string[];
}

export interface GraphFileInfo {
  nodes: number;
  /** op -> how many nodes run it, most common first */
  ops: [string, number][];
  inputs: GraphTensorInfo[];
  outputs: GraphTensorInfo[];
  /** weights in the manifest and their total element count */
  weights: number;
  params: number;
  nodeList: GraphNodeInfo[];
  /** the functions of converted control flow (while/if bodies), by name, with their node counts */
  functions: [string, number][];
}

interface RawNode {
  name?: unknown;
  op?: unknown;
  input?: unknown;
  attr?: Record<string, { shape?: { dim?: { size?: string | number }[]; unknownRank?: boolean }; type?: string }>;
}

interface RawTensorInfo {
  name?: string;
  dtype?: string;
  tensorShape?: { dim?: { size?: string | number }[]; unknownRank?: boolean };
}

const nodeName = (input: string): string => input.replace(/^\^/, '').replace(/:\d+$/, '');
const dims = (shape: { dim?: { size?: string | number }[]; unknownRank?: boolean } | undefined): number[] | undefined =>
  !shape || shape.unknownRank ? undefined : (shape.dim ?? []).map((d) => Number(d.size ?? -1));
/** 'DT_FLOAT' -> 'float32', as TensorFlow.js names them */
const DTYPES: Record<string, string> = { DT_FLOAT: 'float32', DT_INT32: 'int32', DT_BOOL: 'bool', DT_STRING: 'string', DT_INT64: 'int32', DT_COMPLEX64: 'complex64' };
const dtypeName = (t: string | undefined): string | undefined => (t === undefined ? undefined : DTYPES[t] ?? t);

/** The graph's nodes, op counts, inputs and outputs, from model.json alone. */
export function graphFileInfo(content: Record<string, unknown>, where: string): GraphFileInfo {
  const topology = content.modelTopology as { node?: RawNode[]; library?: { function?: { signature?: { name?: string }; nodeDef?: unknown[] }[] } } | undefined;
  if (!topology || !Array.isArray(topology.node)) {
    throw new CliError(`${where}: a graph model without a node list (modelTopology.node); the file is damaged or not a converted graph`);
  }
  const nodeList: GraphNodeInfo[] = topology.node.map((n, i) => {
    if (typeof n?.name !== 'string' || typeof n.op !== 'string') {
      throw new CliError(`${where}: node ${i} of the graph has no name or op (got ${JSON.stringify(n).slice(0, 80)})`);
    }
    return { name: n.name, op: n.op, inputs: Array.isArray(n.input) ? (n.input as string[]).filter((s) => !s.startsWith('^')).map(nodeName) : [] };
  });
  const counts = new Map<string, number>();
  for (const n of nodeList) counts.set(n.op, (counts.get(n.op) ?? 0) + 1);
  const ops = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));

  const signature = content.signature as { inputs?: Record<string, RawTensorInfo>; outputs?: Record<string, RawTensorInfo> } | undefined;
  const fromSignature = (m: Record<string, RawTensorInfo> | undefined): GraphTensorInfo[] | null =>
    m && Object.keys(m).length ? Object.entries(m).map(([key, t]) => ({ name: t.name ?? key, shape: dims(t.tensorShape), dtype: dtypeName(t.dtype) })) : null;
  const raw = topology.node;
  const inputs = fromSignature(signature?.inputs) ?? raw.filter((n) => n.op === 'Placeholder').map((n) => ({
    name: n.name as string, shape: dims(n.attr?.shape?.shape), dtype: dtypeName(n.attr?.dtype?.type),
  }));
  // without a signature the outputs are the nodes nothing reads (constants and no-ops aside)
  const read = new Set(nodeList.flatMap((n) => n.inputs));
  const outputs = fromSignature(signature?.outputs) ?? nodeList
    .filter((n) => !read.has(n.name) && !['Const', 'NoOp', 'Placeholder'].includes(n.op)).map((n) => ({ name: n.name }));

  const manifest = Array.isArray(content.weightsManifest) ? content.weightsManifest as { weights?: { shape?: number[] }[] }[] : [];
  const specs = manifest.flatMap((g) => (Array.isArray(g?.weights) ? g.weights : []));
  const params = specs.reduce((sum, w) => sum + (Array.isArray(w.shape) ? w.shape.reduce((a, b) => a * b, 1) : 0), 0);
  const functions = (topology.library?.function ?? []).map((f): [string, number] =>
    [f.signature?.name ?? '(unnamed)', Array.isArray(f.nodeDef) ? f.nodeDef.length : 0]);
  return { nodes: nodeList.length, ops, inputs, outputs, weights: specs.length, params, nodeList, functions };
}

const shapeText = (s: number[] | undefined): string => (s ? `[${s.map((d) => (d < 0 ? '?' : String(d))).join(', ')}]` : '(unknown shape)');

/** The text `striate summary` prints for a graph model. */
export function graphSummaryLines(info: GraphFileInfo, file: string): string[] {
  const lines = [
    `graph model ${file}: ${info.nodes} nodes, ${info.ops.length} kinds of op, ${info.weights} weight tensors ` +
      `(${info.params.toLocaleString('en-US')} values)`,
    '',
    'inputs:',
    ...info.inputs.map((t) => `  ${t.name}  ${shapeText(t.shape)}${t.dtype ? `  ${t.dtype}` : ''}`),
    'outputs:',
    ...info.outputs.map((t) => `  ${t.name}${t.shape ? `  ${shapeText(t.shape)}` : ''}${t.dtype ? `  ${t.dtype}` : ''}`),
    '',
    'ops (nodes per op):',
  ];
  const width = Math.max(...info.ops.map(([op]) => op.length), 2);
  for (const [op, n] of info.ops) lines.push(`  ${op.padEnd(width)}  ${String(n).padStart(5)}`);
  if (info.functions.length) {
    lines.push('', `functions (converted control flow): ${info.functions.map(([n, c]) => `${n} (${c} nodes)`).join(', ')}`);
  }
  lines.push('', 'Graph models run for inference (predict, evaluate); they cannot be trained or exported to ONNX.');
  return lines;
}

/** The part of TensorFlow.js' GraphModel that the commands use. */
export interface GraphModelLike {
  readonly inputs: { name: string; shape?: number[]; dtype?: string }[];
  readonly outputs: { name: string; shape?: number[]; dtype?: string }[];
  predict(inputs: Tensor | Tensor[] | Record<string, Tensor>, config?: Record<string, unknown>): Tensor | Tensor[] | Record<string, Tensor>;
  execute(inputs: Tensor | Tensor[] | Record<string, Tensor>, outputs?: string | string[]): Tensor | Tensor[];
  dispose(): void;
}

/** Runs `st.loadGraphModel` on a model.json; its errors come back as CLI messages, not stack traces. */
export async function loadGraphFile(json: string, onProgress?: (fraction: number) => void): Promise<GraphModelLike> {
  try {
    return await loadGraphModel(`file://${path.resolve(json)}`, onProgress ? { onProgress } : undefined);
  } catch (e) {
    throw new CliError((e as Error).message.replace(/^loadGraphModel: /, ''));
  }
}

/** The first output of a graph model's predict, whatever form it comes in (one tensor, a list, a map). */
export function firstOutput(result: Tensor | Tensor[] | Record<string, Tensor>, model: GraphModelLike): Tensor {
  if (Array.isArray(result)) return result[0];
  if (typeof (result as Tensor).dataSync === 'function') return result as Tensor;
  const map = result as Record<string, Tensor>;
  const name = model.outputs[0]?.name;
  return (name !== undefined && map[name]) || Object.values(map)[0];
}

/** One sample's shape the graph takes on its first input ([batch, ...] with -1 for open sizes), or null. */
export function graphSampleShape(model: GraphModelLike, info: GraphFileInfo): (number | null)[] | null {
  const shape = model.inputs[0]?.shape ?? info.inputs[0]?.shape;
  if (!shape || shape.length === 0) return null;
  return shape.slice(1).map((d) => (d === null || d < 0 ? null : d));
}
