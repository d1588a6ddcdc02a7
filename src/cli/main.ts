/** The `striate` command line. */
import { version } from '../version.js';

const COMMANDS: [string, string][] = [
  ['train', 'train a network (arrives with the training work: issue "Data sets and the striate command")'],
  ['version', 'print the version'],
  ['help', 'show this help'],
];

function help(): string {
  const width = Math.max(...COMMANDS.map(([c]) => c.length));
  return [
    `striate ${version}: deep learning in TypeScript`,
    '',
    'Usage: striate <command> [options]',
    '',
    'Commands:',
    ...COMMANDS.map(([c, d]) => `  ${c.padEnd(width)}  ${d}`),
  ].join('\n');
}

export async function main(args: string[]): Promise<number> {
  const [command] = args;
  switch (command) {
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      console.log(help());
      return 0;
    case 'version':
    case '--version':
    case '-v':
      console.log(version);
      return 0;
    case 'train':
      console.log(help());
      console.log('\n`striate train` is not built yet: this release has the core library (tensors, ops, autograd).');
      return 0;
    default:
      console.error(`striate: unknown command "${command}"\n\n${help()}`);
      return 2;
  }
}
