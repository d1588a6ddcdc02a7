// TypeDoc plugin for `npm run docs`: sorts the hundreds of top-level functions of `st.*` into
// categories (Creation, Arithmetic, Reductions, ...) by the source file that defines them, so
// that the top-level page reads by topic without a @category tag on every function. An explicit
// @category in a doc comment wins over this table.
import { Comment, CommentTag, Converter, ReflectionKind } from 'typedoc';

/** [path prefix under src/, category]; the first match wins, so more specific prefixes go first */
const CATEGORY_BY_FILE = [
  ['tensor/creation', 'Creation'],
  ['tensor/sequences', 'Creation'],
  ['tensor/buffer', 'Creation'],
  ['tensor/random', 'Random'],
  ['ops/random_ops', 'Random'],
  ['tensor/tensor', 'Tensors'],
  ['tensor/print', 'Tensors'],
  ['tensor/serializable', 'Tensors'],
  ['tensor/environment', 'Environment and backends'],
  ['tensor/engine', 'Memory and engine'],
  ['tensor/platform', 'Environment and backends'],
  ['tensor/', 'Tensors'],
  ['backend/', 'Environment and backends'],
  ['autograd/', 'Gradients'],
  ['ops/custom_grad', 'Gradients'],
  ['ops/arithmetic', 'Arithmetic and element-wise math'],
  ['ops/math_functions', 'Arithmetic and element-wise math'],
  ['ops/reduce', 'Reductions'],
  ['ops/scan', 'Reductions'],
  ['ops/matmul', 'Matrices'],
  ['ops/einsum', 'Matrices'],
  ['ops/linalg', 'Matrices'],
  ['ops/transform', 'Slicing, joining and reshaping'],
  ['ops/slicing', 'Slicing, joining and reshaping'],
  ['ops/movement', 'Slicing, joining and reshaping'],
  ['ops/ragged', 'Slicing, joining and reshaping'],
  ['ops/neighbors', 'Slicing, joining and reshaping'],
  ['ops/activations', 'Neural network ops'],
  ['ops/relu_grad', 'Neural network ops'],
  ['ops/normalization', 'Neural network ops'],
  ['ops/batchnorm', 'Neural network ops'],
  ['ops/fused_layers', 'Neural network ops'],
  ['ops/rnn_cells', 'Neural network ops'],
  ['ops/softmax', 'Neural network ops'],
  ['ops/conv', 'Convolution and pooling'],
  ['ops/pool', 'Convolution and pooling'],
  ['ops/dilation', 'Convolution and pooling'],
  ['ops/profile', 'Memory and engine'],
  ['ops/tensor_util', 'Tensors'],
  ['ops/', 'Other ops'],
  ['optim/', 'Optimizers'],
  ['nn/model', 'Models'],
  ['nn/serialization', 'Models'],
  ['nn/custom_layer', 'Layers'],
  ['nn/layer', 'Layers'],
  ['nn/', 'Layers'],
  ['train/', 'Training'],
  ['io/checkpoint', 'Training'],
  ['io/', 'Model files'],
  ['models/', 'Model zoo'],
  ['data/', 'Data'],
  ['viz/', 'Pictures'],
  ['version', 'Environment and backends'],
];

function categoryFor(fileName) {
  const at = fileName.replace(/\\/g, '/').lastIndexOf('/src/');
  if (at < 0) return undefined;
  const rel = fileName.slice(at + 5);
  return CATEGORY_BY_FILE.find(([prefix]) => rel.startsWith(prefix))?.[1];
}

function hasCategory(reflection) {
  const comments = [reflection.comment, ...(reflection.signatures ?? []).map((s) => s.comment)];
  return comments.some((c) => c?.blockTags.some((t) => t.tag === '@category'));
}

export function load(app) {
  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context) => {
    const project = context.project;
    for (const child of project.children ?? []) {
      if (child.kindOf(ReflectionKind.Namespace) || hasCategory(child)) continue;
      const fileName = project.getSymbolIdFromReflection(child)?.fileName;
      const category = fileName && categoryFor(fileName);
      if (!category) continue;
      child.comment ??= new Comment();
      child.comment.blockTags.push(new CommentTag('@category', [{ kind: 'text', text: category }]));
    }
  }, 100);
}
