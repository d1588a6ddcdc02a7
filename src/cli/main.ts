/** The `striate` command line: dispatch, --help, and one clear message per failure. */
import '../train/index.js'; // adds compile/fit/evaluate/predict to models
import { version } from '../version.js';
import { CliError, commandHelp, parseArgs, suggestion, type CommandSpec, type OptionValues } from './args.js';
import { reporter, type Reporter } from './report.js';
import { TRAIN, train } from './train.js';
import { DATASETS, datasets } from './datasets.js';
import { STUDIO, studio } from './studio.js';
import { EVALUATE, PREDICT, SUMMARY, evaluate, predict, summary } from './use_model.js';
import { VIZ, viz } from './viz.js';
import { EXPORT, exportModel } from './export.js';
import { BACKENDS, backends, startBackend } from './backends.js';

interface Command {
  spec: CommandSpec;
  run(options: OptionValues, positionals: string[], given: Set<string>, say: Reporter): Promise<number>;
}

const COMMANDS: Command[] = [
  { spec: TRAIN, run: (o, _p, given, say) => train(o, given, say) },
  { spec: EVALUATE, run: (o, p, _g, say) => evaluate(o, p, say) },
  { spec: PREDICT, run: (o, p, _g, say) => predict(o, p, say) },
  { spec: SUMMARY, run: (o, p, _g, say) => summary(o, p, say) },
  { spec: DATASETS, run: (o, _p, _g, say) => datasets(o, say) },
  { spec: VIZ, run: (o, p, _g, say) => viz(o, p, say) },
  { spec: EXPORT, run: (o, p, _g, say) => exportModel(o, p, say) },
  { spec: STUDIO, run: (o, _p, _g, say) => studio(o, say) },
  { spec: BACKENDS, run: (o, _p, _g, say) => backends(o, say) },
];

function help(): string {
  const rows: [string, string][] = [...COMMANDS.map((c): [string, string] => [c.spec.name, c.spec.summary]),
    ['version', 'print the version'], ['help', 'show this help']];
  const width = Math.max(...rows.map(([c]) => c.length));
  return [
    `striate ${version}: deep learning in TypeScript`,
    '',
    'Usage: striate <command> [options]      (striate <command> --help for its options)',
    '',
    'Commands:',
    ...rows.map(([c, d]) => `  ${c.padEnd(width)}  ${d}`),
    '',
    'Examples:',
    '  striate train                       # train the digit CNN on the bundled MNIST digits',
    '  striate evaluate runs/<run>/model --data mnist',
    '  striate predict runs/<run>/model digit.png',
    '  striate viz runs/<run>/model --input digit.png',
  ].join('\n');
}

export async function main(args: string[]): Promise<number> {
  const [name, ...rest] = args;
  const verbose = rest.includes('--verbose');
  try {
    switch (name) {
      case undefined: case 'help': case '--help': case '-h':
        console.log(help());
        return 0;
      case 'version': case '--version': case '-v':
        console.log(version);
        return 0;
    }
    const command = COMMANDS.find((c) => c.spec.name === name);
    if (!command) {
      throw new CliError(`unknown command "${name}"${suggestion(name, COMMANDS.map((c) => c.spec.name), '')}\n\n${help()}`, 2);
    }
    const { options, positionals, given } = parseArgs(command.spec, rest);
    if (options.help) {
      console.log(commandHelp(command.spec));
      return 0;
    }
    // webgpu starts asynchronously (a GPU device): awaited here, so training never begins on another backend
    if (typeof options.backend === 'string') await startBackend(options.backend);
    return await command.run(options, positionals, given, reporter(!!options.json));
  } catch (e) {
    const err = e as Error;
    const message = String(err?.message ?? err).replace(/^striate \w+: /, '');
    console.error(`striate${name && !message.startsWith('unknown command') ? ` ${name}` : ''}: ${message}`);
    if (verbose && err?.stack) console.error(err.stack);
    return err instanceof CliError ? err.exitCode : 1;
  }
}
