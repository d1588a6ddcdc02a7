/**
 * Command-line options: `--name value`, `--name=value`, boolean flags, positional arguments.
 * Every command declares its options, so an unknown one is an error that suggests the nearest
 * known name instead of being silently ignored.
 */

import { nearestName } from '../tensor/options.js';

/** A failure the user can fix: printed as one plain message, no stack trace (unless --verbose). */
export class CliError extends Error {
  constructor(message: string, readonly exitCode = 1) {
    super(message);
    this.name = 'CliError';
  }
}

export interface OptionSpec {
  name: string;
  /** 'flag' takes no value; 'int' and 'number' are checked here */
  type: 'string' | 'int' | 'number' | 'flag';
  help: string;
  /** shown in --help */
  valueName?: string;
  default?: string | number | boolean;
}

export interface CommandSpec {
  name: string;
  summary: string;
  /** e.g. '<model> <image.png|file.csv>' */
  usage: string;
  options: OptionSpec[];
  examples: string[];
  /** how many positional arguments it takes: [min, max] */
  positionals: [number, number];
  /** paragraphs shown in --help after the options (how a choice is made, what is refused) */
  notes?: string[];
}

export type OptionValues = Record<string, string | number | boolean | undefined>;

/** Options every command takes. */
export const COMMON_OPTIONS: OptionSpec[] = [
  { name: 'json', type: 'flag', help: 'print the result as JSON (for scripts) instead of text' },
  { name: 'verbose', type: 'flag', help: 'print stack traces with errors' },
  { name: 'help', type: 'flag', help: 'show this help' },
];

/** ' (did you mean --epochs?)' when a known name is close, else ''. */
export function suggestion(given: string, known: string[], prefix = '--'): string {
  const best = nearestName(given, known);
  return best ? ` (did you mean ${prefix}${best}?)` : '';
}

function convert(spec: OptionSpec, raw: string, command: string): string | number {
  if (spec.type === 'string') return raw;
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value) || (spec.type === 'int' && !Number.isInteger(value))) {
    throw new CliError(`striate ${command}: --${spec.name} expects ${spec.type === 'int' ? 'a whole number' : 'a number'}, got "${raw}"`, 2);
  }
  return value;
}

/** Splits `args` into option values (defaults filled in), positional arguments, and which options were given. */
export function parseArgs(spec: CommandSpec, args: string[]): { options: OptionValues; positionals: string[]; given: Set<string> } {
  const all = [...spec.options, ...COMMON_OPTIONS];
  const byName = new Map(all.map((o) => [o.name, o]));
  const options: OptionValues = {};
  const positionals: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--') {
      positionals.push(...args.slice(i + 1));
      break;
    }
    if (!arg.startsWith('--') || arg === '--') {
      if (arg.startsWith('-') && arg.length > 1 && !/^-\d/.test(arg)) {
        if (arg === '-h') {
          options.help = true;
          continue;
        }
        throw new CliError(`striate ${spec.name}: unknown option "${arg}" (options are written --name)`, 2);
      }
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    const o = byName.get(name);
    if (!o) {
      throw new CliError(`striate ${spec.name}: unknown option --${name}${suggestion(name, all.map((x) => x.name))}; ` +
        `see striate ${spec.name} --help`, 2);
    }
    if (o.type === 'flag') {
      if (eq >= 0) throw new CliError(`striate ${spec.name}: --${name} is a flag and takes no value`, 2);
      options[name] = true;
      continue;
    }
    let raw: string;
    if (eq >= 0) raw = arg.slice(eq + 1);
    else {
      if (i + 1 >= args.length || (args[i + 1].startsWith('--') && args[i + 1].length > 2)) {
        throw new CliError(`striate ${spec.name}: --${name} needs a value (${o.valueName ?? o.type})`, 2);
      }
      raw = args[++i];
    }
    options[name] = convert(o, raw, spec.name);
  }
  if (!options.help) {
    const [min, max] = spec.positionals;
    if (positionals.length < min) {
      throw new CliError(`striate ${spec.name}: expected ${spec.usage}, got ${positionals.length ? positionals.join(' ') : 'nothing'}; ` +
        `see striate ${spec.name} --help`, 2);
    }
    if (positionals.length > max) {
      throw new CliError(`striate ${spec.name}: unexpected argument "${positionals[max]}" (usage: striate ${spec.name} ${spec.usage})`, 2);
    }
  }
  const given = new Set(Object.keys(options));
  for (const o of all) if (options[o.name] === undefined && o.default !== undefined) options[o.name] = o.default;
  return { options, positionals, given };
}

/** A paragraph as lines of at most `width` characters, broken at spaces. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

/** The text `striate <command> --help` prints. */
export function commandHelp(spec: CommandSpec): string {
  const all = [...spec.options, ...COMMON_OPTIONS];
  const left = all.map((o) => `--${o.name}${o.type === 'flag' ? '' : ` <${o.valueName ?? o.type}>`}`);
  const width = Math.max(...left.map((l) => l.length));
  return [
    `striate ${spec.name}: ${spec.summary}`,
    '',
    `Usage: striate ${spec.name}${spec.usage ? ` ${spec.usage}` : ''} [options]`,
    '',
    'Options:',
    ...all.map((o, i) => `  ${left[i].padEnd(width)}  ${o.help}${o.default !== undefined ? ` (default ${o.default})` : ''}`),
    ...(spec.notes?.length ? ['', ...spec.notes.flatMap((n) => [...wrap(n, 100), ''])].slice(0, -1) : []),
    '',
    'Examples:',
    ...spec.examples.map((e) => `  ${e}`),
  ].join('\n');
}
