// Character-level text generation: an LSTM reads 16 characters of examples/data/garden.txt
// (a short story written for this repository) and learns, at every step, the character that
// follows. Generation feeds its own predictions back in, one character at a time, greedily
// (argmax) or by sampling with a temperature from a seeded generator.
// Run: npm run build && node dist/examples/char_generation.js [epochs]
import { readFileSync } from 'node:fs';
import * as st from 'striate';
import { exampleDataFile, isMain } from './data_files.js';

export const WINDOW = 16;
const STRIDE = 4;

/** The corpus as one line: lowercase, newlines as spaces. */
export function loadCorpus(): string {
  return readFileSync(exampleDataFile('garden.txt'), 'utf8').toLowerCase().replace(/\s+/g, ' ').trim();
}

export interface CharModel {
  model: st.Sequential;
  tokenizer: st.text.Tokenizer;
  /** training loss per epoch, nats per character */
  losses: number[];
}

export async function trainCharModel(options: { epochs?: number; seed?: number; verbose?: number; units?: number; batchSize?: number } = {}): Promise<CharModel> {
  const { epochs = 20, seed = 1, verbose = 0, units = 64, batchSize = 32 } = options;
  const corpus = loadCorpus();
  const tokenizer = new st.text.Tokenizer({ charLevel: true }).fitOnTexts([corpus]);
  const ids = tokenizer.textsToSequences([corpus])[0];
  // windows every STRIDE characters; the target of each step is the character after it, so
  // one window teaches WINDOW next-character predictions (char-rnn's many-to-many training)
  const n = Math.floor((ids.length - WINDOW - 1) / STRIDE) + 1;
  const x = new Int32Array(n * WINDOW);
  const y = new Float32Array(n * WINDOW);
  for (let i = 0; i < n; i++) {
    x.set(ids.slice(i * STRIDE, i * STRIDE + WINDOW), i * WINDOW);
    y.set(ids.slice(i * STRIDE + 1, i * STRIDE + WINDOW + 1), i * WINDOW);
  }
  const model = st.sequential({
    name: 'char_lstm',
    layers: [
      st.layers.embedding({ inputDim: tokenizer.vocabularySize, outputDim: 16, inputShape: [WINDOW] }),
      st.layers.lstm({ units, returnSequences: true }),
      st.layers.dense({ units: tokenizer.vocabularySize, activation: 'softmax' }),
    ],
  });
  model.compile({ optimizer: st.train.adam(0.01), loss: 'sparseCategoricalCrossentropy' });
  const history = await model.fit(st.tensor(x, [n, WINDOW], 'int32'), st.tensor(y, [n, WINDOW]), { epochs, batchSize, seed, verbose });
  return { model, tokenizer, losses: history.history.loss as number[] };
}

/**
 * Continues `seedText` by `length` characters. temperature 0 is greedy; above 0 the
 * probabilities are sharpened (< 1) or flattened (> 1) and sampled with `seed`.
 */
export function generate(m: CharModel, seedText: string, length: number, temperature = 0, seed = 1): string {
  const random = new st.Random(seed);
  let context = m.tokenizer.textsToSequences([seedText.toLowerCase()])[0];
  if (context.length < WINDOW) throw new Error(`generate: the seed text needs at least ${WINDOW} known characters, got ${context.length}`);
  context = context.slice(context.length - WINDOW);
  const out: number[] = [];
  for (let i = 0; i < length; i++) {
    // the distribution after the window's last character
    const all = (m.model.predict(st.tensor(context, [1, WINDOW], 'int32')) as st.Tensor).dataSync();
    const probs = all.subarray(all.length - m.tokenizer.vocabularySize);
    const next = temperature === 0 ? argMax(probs) : sample(probs, temperature, random);
    out.push(next);
    context = [...context.slice(1), next];
  }
  return m.tokenizer.sequencesToTexts([out])[0];
}

function argMax(p: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < p.length; i++) if (p[i] > p[best]) best = i;
  return best;
}

function sample(p: ArrayLike<number>, temperature: number, random: st.Random): number {
  const w = Array.from(p, (v) => Math.exp(Math.log(Math.max(v, 1e-12)) / temperature));
  let r = random.next() * w.reduce((a, b) => a + b, 0);
  for (let i = 0; i < w.length; i++) if ((r -= w[i]) <= 0) return i;
  return w.length - 1;
}

/** Share of the generated words (between spaces and full stops) that occur in the corpus. */
export function knownWordShare(generated: string, corpus: string): number {
  const vocab = new Set(corpus.split(/[ .]+/).filter(Boolean));
  const words = generated.split(/[ .]+/).filter(Boolean);
  // the first and last words may be cut by the seed and the length
  const inner = words.slice(1, -1);
  return inner.length === 0 ? 0 : inner.filter((w) => vocab.has(w)).length / inner.length;
}

if (isMain(import.meta.url)) {
  const m = await trainCharModel({ epochs: Number(process.argv[2] ?? 20), verbose: 1 });
  const corpus = loadCorpus();
  const seedText = corpus.slice(0, WINDOW);
  const greedy = generate(m, seedText, 160);
  console.log(`final loss ${m.losses[m.losses.length - 1].toFixed(3)} nats/char`);
  console.log(`seed:    "${seedText}"`);
  console.log(`greedy:  "${greedy}" (${(knownWordShare(greedy, corpus) * 100).toFixed(0)}% corpus words)`);
  const sampled = generate(m, seedText, 160, 0.7, 5);
  console.log(`T = 0.7: "${sampled}" (${(knownWordShare(sampled, corpus) * 100).toFixed(0)}% corpus words)`);
}
