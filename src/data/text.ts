/**
 * Text to integer sequences, as Keras' `Tokenizer` and `pad_sequences`: `st.text.Tokenizer`,
 * `st.text.padSequences` (also reachable as `st.data.Tokenizer` / `st.data.padSequences`).
 *
 * Index 0 is never a word: it is the padding value, so an `embedding({maskZero: true})` can
 * tell padding from text. With an `oovToken` it takes index 1 and stands for every word that
 * was not seen in `fitOnTexts` or falls outside the `numWords` most frequent ones.
 * Words are ranked by count, ties by first appearance (Keras' order), so the same texts always
 * give the same indices.
 */
import type { DType } from '../backend/types.js';
import { tensor } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';

/** Keras' default filter: punctuation, tabs and newlines become separators. */
export const DEFAULT_FILTERS = '!"#$%&()*+,-./:;<=>?@[\\]^_`{|}~\t\n';

export interface TokenizerOptions {
  /** keep only the numWords - 1 most frequent words when turning texts into sequences (all are counted) */
  numWords?: number;
  /** characters removed (replaced by the separator) before splitting; default DEFAULT_FILTERS for words, '' for characters */
  filters?: string;
  /** lowercase texts first (default true) */
  lower?: boolean;
  /** word separator (default ' ') */
  split?: string;
  /** every character is a token (default false: words) */
  charLevel?: boolean;
  /** a token for words not in the vocabulary; without it they are dropped */
  oovToken?: string;
}

/** What `toJSON` writes and `fromJSON` reads. */
export interface TokenizerJSON {
  className: 'Tokenizer';
  config: Required<Omit<TokenizerOptions, 'numWords' | 'oovToken'>> & { numWords: number | null; oovToken: string | null };
  documentCount: number;
  /** [token, count] in first-seen order */
  wordCounts: [string, number][];
  wordIndex: Record<string, number>;
}

export class Tokenizer {
  readonly numWords?: number;
  readonly filters: string;
  readonly lower: boolean;
  readonly split: string;
  readonly charLevel: boolean;
  readonly oovToken?: string;
  /** how often each token was seen, in first-seen order */
  wordCounts = new Map<string, number>();
  /** token -> index (1-based; 0 is padding) */
  wordIndex = new Map<string, number>();
  /** index -> token */
  indexWord = new Map<number, string>();
  documentCount = 0;

  constructor(options: TokenizerOptions = {}) {
    const { numWords, oovToken } = options;
    if (numWords !== undefined && numWords !== null && (!Number.isInteger(numWords) || numWords < 1)) {
      throw new Error(`Tokenizer: numWords must be a positive integer, got ${JSON.stringify(numWords)}`);
    }
    if (oovToken !== undefined && oovToken !== null && typeof oovToken !== 'string') {
      throw new Error(`Tokenizer: oovToken must be a string, got ${JSON.stringify(oovToken)}`);
    }
    this.numWords = numWords ?? undefined;
    this.charLevel = options.charLevel ?? false;
    this.filters = options.filters ?? (this.charLevel ? '' : DEFAULT_FILTERS);
    this.lower = options.lower ?? true;
    this.split = options.split ?? ' ';
    if (!this.charLevel && this.split === '') throw new Error('Tokenizer: split must be a non-empty separator for word-level tokens');
    this.oovToken = oovToken ?? undefined;
  }

  /** The tokens of one text, after lowercasing and filtering. */
  tokenize(text: string): string[] {
    if (typeof text !== 'string') throw new Error(`Tokenizer: expected a string text, got ${typeof text}`);
    let t = this.lower ? text.toLowerCase() : text;
    if (this.filters.length > 0) {
      const drop = new Set(this.filters);
      t = Array.from(t, (ch) => (drop.has(ch) ? (this.charLevel ? '' : this.split) : ch)).join('');
    }
    if (this.charLevel) return Array.from(t);
    return t.split(this.split).filter((w) => w.length > 0);
  }

  /** Counts the tokens of the texts and (re)builds the index from all counts so far. */
  fitOnTexts(texts: readonly string[]): this {
    checkTexts('fitOnTexts', texts);
    for (const text of texts) {
      this.documentCount++;
      for (const w of this.tokenize(text)) this.wordCounts.set(w, (this.wordCounts.get(w) ?? 0) + 1);
    }
    this.rebuildIndex();
    return this;
  }

  private rebuildIndex(): void {
    // stable sort: equal counts keep their first-seen order
    const ranked = [...this.wordCounts.entries()].sort((a, b) => b[1] - a[1]).map(([w]) => w);
    const vocab = this.oovToken !== undefined ? [this.oovToken, ...ranked.filter((w) => w !== this.oovToken)] : ranked;
    this.wordIndex = new Map(vocab.map((w, i) => [w, i + 1]));
    this.indexWord = new Map(vocab.map((w, i) => [i + 1, w]));
  }

  /** The size an embedding needs: indices run 0 .. vocabularySize - 1 (numWords when set). */
  get vocabularySize(): number {
    const all = this.wordIndex.size + 1;
    return this.numWords !== undefined ? Math.min(this.numWords, all) : all;
  }

  /** Texts to lists of indices; unknown or rare (index >= numWords) tokens become the OOV index, or are dropped. */
  textsToSequences(texts: readonly string[]): number[][] {
    checkTexts('textsToSequences', texts);
    this.checkFitted('textsToSequences');
    const oov = this.oovToken !== undefined ? this.wordIndex.get(this.oovToken) : undefined;
    return texts.map((text) => {
      const seq: number[] = [];
      for (const w of this.tokenize(text)) {
        const i = this.wordIndex.get(w);
        if (i !== undefined && (this.numWords === undefined || i < this.numWords)) seq.push(i);
        else if (oov !== undefined) seq.push(oov);
      }
      return seq;
    });
  }

  /**
   * Index lists back to texts: words joined by spaces, characters joined directly. Padding (0),
   * unknown indices and indices >= numWords are skipped (or become the OOV token when there is one).
   */
  sequencesToTexts(sequences: readonly (readonly number[])[]): string[] {
    if (!Array.isArray(sequences)) throw new Error(`Tokenizer.sequencesToTexts: expected a list of index lists, got ${typeof sequences}`);
    this.checkFitted('sequencesToTexts');
    return sequences.map((seq, n) => {
      if (!Array.isArray(seq) && !ArrayBuffer.isView(seq)) {
        throw new Error(`Tokenizer.sequencesToTexts: sequence ${n} must be a list of indices, got ${typeof seq}`);
      }
      const words: string[] = [];
      for (const i of Array.from(seq as ArrayLike<number>)) {
        const w = this.indexWord.get(i);
        if (w !== undefined && (this.numWords === undefined || i < this.numWords)) words.push(w);
        else if (i !== 0 && this.oovToken !== undefined) words.push(this.oovToken);
      }
      return words.join(this.charLevel ? '' : ' ');
    });
  }

  private checkFitted(where: string): void {
    if (this.wordIndex.size === 0) throw new Error(`Tokenizer.${where}: the tokenizer has no vocabulary; call fitOnTexts first`);
  }

  toJSON(): TokenizerJSON {
    return {
      className: 'Tokenizer',
      config: {
        numWords: this.numWords ?? null, filters: this.filters, lower: this.lower, split: this.split,
        charLevel: this.charLevel, oovToken: this.oovToken ?? null,
      },
      documentCount: this.documentCount,
      wordCounts: [...this.wordCounts.entries()],
      wordIndex: Object.fromEntries(this.wordIndex),
    };
  }

  /** A tokenizer from `toJSON()`'s object or its JSON text. */
  static fromJSON(json: TokenizerJSON | string): Tokenizer {
    let obj: TokenizerJSON;
    try {
      obj = typeof json === 'string' ? JSON.parse(json) : json;
    } catch (e) {
      throw new Error(`Tokenizer.fromJSON: not valid JSON (${(e as Error).message})`);
    }
    if (!obj || obj.className !== 'Tokenizer' || typeof obj.config !== 'object' || !Array.isArray(obj.wordCounts) ||
      typeof obj.wordIndex !== 'object' || obj.wordIndex === null) {
      throw new Error('Tokenizer.fromJSON: expected { className: "Tokenizer", config, documentCount, wordCounts, wordIndex } ' +
        `as toJSON writes, got ${JSON.stringify(obj)?.slice(0, 80)}`);
    }
    const c = obj.config;
    const t = new Tokenizer({
      numWords: c.numWords ?? undefined, filters: c.filters, lower: c.lower, split: c.split, charLevel: c.charLevel,
      oovToken: c.oovToken ?? undefined,
    });
    t.documentCount = obj.documentCount ?? 0;
    t.wordCounts = new Map(obj.wordCounts);
    // the saved index is the truth (it may come from another program), not a re-ranking
    t.wordIndex = new Map(Object.entries(obj.wordIndex).map(([w, i]) => {
      if (!Number.isInteger(i) || i < 1) throw new Error(`Tokenizer.fromJSON: index of "${w}" must be a positive integer, got ${JSON.stringify(i)}`);
      return [w, i];
    }));
    t.indexWord = new Map([...t.wordIndex].map(([w, i]) => [i, w]));
    return t;
  }
}

function checkTexts(where: string, texts: readonly string[]): void {
  if (!Array.isArray(texts)) {
    throw new Error(`Tokenizer.${where}: expected a list of strings, got ${typeof texts === 'string' ? 'one string (wrap it in [ ])' : typeof texts}`);
  }
  const bad = texts.findIndex((t) => typeof t !== 'string');
  if (bad >= 0) throw new Error(`Tokenizer.${where}: text ${bad} is ${typeof texts[bad]}, expected a string`);
}

export interface PadSequencesOptions {
  /** output length (default: the longest sequence) */
  maxLen?: number;
  /** where padding goes (default 'pre', as Keras) */
  padding?: 'pre' | 'post';
  /** which end long sequences lose (default 'pre': keep the last maxLen values) */
  truncating?: 'pre' | 'post';
  /** the padding value (default 0) */
  value?: number;
  /** default 'int32' */
  dtype?: DType;
}

/**
 * Index lists of any lengths to one [n, maxLen] tensor, padded and truncated as Keras' pad_sequences.
 *
 * @example
 * ```ts
 * st.data.padSequences([[1, 2], [3, 4, 5]]).print(); // [[0, 1, 2], [3, 4, 5]]
 * ```
 */
export function padSequences(sequences: readonly (readonly number[])[], options: PadSequencesOptions = {}): Tensor {
  const { padding = 'pre', truncating = 'pre', value = 0, dtype = 'int32' } = options;
  if (!Array.isArray(sequences)) throw new Error(`padSequences: expected a list of index lists, got ${typeof sequences}`);
  sequences.forEach((s, i) => {
    if (!Array.isArray(s) && !ArrayBuffer.isView(s)) throw new Error(`padSequences: sequence ${i} must be a list of numbers, got ${typeof s}`);
  });
  for (const [name, v] of [['padding', padding], ['truncating', truncating]] as const) {
    if (v !== 'pre' && v !== 'post') throw new Error(`padSequences: ${name} must be 'pre' or 'post', got ${JSON.stringify(v)}`);
  }
  const maxLen = options.maxLen ?? sequences.reduce((m, s) => Math.max(m, s.length), 0);
  if (!Number.isInteger(maxLen) || maxLen < 1) throw new Error(`padSequences: maxLen must be a positive integer, got ${JSON.stringify(options.maxLen ?? maxLen)}`);
  const out = new Array<number>(sequences.length * maxLen).fill(value);
  sequences.forEach((s, n) => {
    const seq = Array.from(s as ArrayLike<number>);
    const kept = seq.length <= maxLen ? seq : truncating === 'pre' ? seq.slice(seq.length - maxLen) : seq.slice(0, maxLen);
    const start = n * maxLen + (padding === 'pre' ? maxLen - kept.length : 0);
    for (let i = 0; i < kept.length; i++) out[start + i] = kept[i];
  });
  return tensor(out, [sequences.length, maxLen], dtype);
}
