/**
 * `striate train` end to end on real data (the bundled digits), its run folder, --json, and the
 * promise of Ctrl-C and --resume: the resumed run ends exactly where an uninterrupted one does.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { runCli, startCli, tempDir, writeIdxFolder } from './helpers.js';

const weightsBytes = (dir: string): Buffer => {
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8')) as { weightsManifest: { paths: string[] }[] };
  return fs.readFileSync(path.join(dir, manifest.weightsManifest[0].paths[0]));
};

test('train an MLP on the bundled digits: run folder with model, history, curves and a test accuracy', () => {
  const out = path.join(tempDir(), 'run');
  const r = runCli(['train', '--model', 'mlp', '--epochs', '2', '--out', out]);
  assert.equal(r.code, 0, r.stderr + r.stdout);
  assert.match(r.stdout, /Total params: 269,322/);
  assert.match(r.stdout, /Epoch 2\/2/);
  assert.match(r.stdout, /Test accuracy \d+\.\d+% .* on 2000 held-out samples/);
  for (const f of ['history.csv', 'learning-curves.svg', 'summary.txt', 'result.json', 'checkpoint.json']) {
    assert.ok(fs.existsSync(path.join(out, f)), `${f} in the run folder`);
  }
  const history = fs.readFileSync(path.join(out, 'history.csv'), 'utf8').trim().split('\n');
  assert.equal(history[0], 'epoch,loss,acc,val_loss,val_acc');
  assert.equal(history.length, 3);
  const svg = fs.readFileSync(path.join(out, 'learning-curves.svg'), 'utf8');
  assert.match(svg, /^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  assert.equal((svg.match(/class="series"/g) ?? []).length, 4, 'loss and acc, training and validation');
  const result = JSON.parse(fs.readFileSync(path.join(out, 'result.json'), 'utf8'));
  assert.ok(result.testAccuracy > 0.9, `test accuracy ${result.testAccuracy}`);
});

test('--json prints one JSON result on stdout and the progress on stderr', () => {
  const dir = tempDir();
  writeIdxFolder(path.join(dir, 'quadrants'));
  const r = runCli(['train', '--data', path.join(dir, 'quadrants'), '--model', 'mlp', '--epochs', '3', '--lr', '0.01',
    '--out', path.join(dir, 'run'), '--json']);
  assert.equal(r.code, 0, r.stderr);
  const result = JSON.parse(r.stdout);
  assert.equal(result.epochs, 3);
  assert.equal(result.testAccuracy, 1, 'four lit quadrants are easy');
  assert.match(r.stderr, /Epoch 3\/3/);
});

test('Ctrl-C stops at a batch end with a checkpoint; --resume ends exactly where an uninterrupted run does', async () => {
  const dir = tempDir();
  const args = ['train', '--model', 'mlp', '--epochs', '3', '--seed', '5'];
  const straight = runCli([...args, '--out', path.join(dir, 'straight')]);
  assert.equal(straight.code, 0, straight.stderr);

  const run = startCli([...args, '--out', path.join(dir, 'cut')]);
  await run.until('Epoch 1/3');
  run.child.kill('SIGINT');
  const cut = await run.done;
  assert.equal(cut.code, 130, cut.output);
  assert.match(cut.output, /Interrupted in epoch \d after batch \d+; checkpoint written/);
  assert.match(cut.output, /Resume with: +npx striate train --resume /);
  assert.ok(!fs.existsSync(path.join(dir, 'cut', 'result.json')), 'an interrupted run has no result yet');

  const resumed = runCli(['train', '--resume', path.join(dir, 'cut')]);
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.deepEqual(weightsBytes(path.join(dir, 'cut', 'model')), weightsBytes(path.join(dir, 'straight', 'model')));
  assert.equal(fs.readFileSync(path.join(dir, 'cut', 'history.csv'), 'utf8'), fs.readFileSync(path.join(dir, 'straight', 'history.csv'), 'utf8'));

  const conflicting = runCli(['train', '--resume', path.join(dir, 'cut'), '--seed', '6']);
  assert.equal(conflicting.code, 1);
  assert.match(conflicting.stderr, /started with --seed 5, not 6/);
});

test('SIGKILL at any moment leaves a whole checkpoint that --resume continues from', async () => {
  const dir = tempDir();
  const out = path.join(dir, 'run');
  for (let round = 0; round < 3; round++) {
    const run = startCli(round === 0
      ? ['train', '--model', 'mlp', '--epochs', '9', '--batch-size', '256', '--patience', '0', '--out', out]
      : ['train', '--resume', out]);
    await run.until('/9 - '); // an epoch ended; its checkpoint is written just after the progress line
    const pointerFile = path.join(out, 'checkpoint.json');
    for (let waited = 0; !fs.existsSync(pointerFile); waited += 20) {
      assert.ok(waited < 60_000, 'no checkpoint.json a minute after the first epoch ended');
      await new Promise((r) => setTimeout(r, 20));
    }
    // kill while the next epoch's checkpoint may be half written
    await new Promise((r) => setTimeout(r, 150 + 170 * round));
    run.child.kill('SIGKILL');
    await run.done;
    const pointer = JSON.parse(fs.readFileSync(path.join(out, 'checkpoint.json'), 'utf8'));
    assert.ok(fs.existsSync(path.join(out, 'checkpoints', pointer.latest, 'state.json')), 'the named checkpoint is whole');
  }
  const last = runCli(['train', '--resume', out]);
  assert.equal(last.code, 0, last.stderr);
  assert.match(last.stdout, /Test accuracy/);
});

const FASHION = '/usr/share/datasets/fashion-mnist';
test('striate train --data fashion-mnist learns the real clothes', {
  skip: fs.existsSync(FASHION) ? false : `${FASHION} is not installed (apt-get install dataset-fashion-mnist)`,
}, () => {
  const out = path.join(tempDir(), 'fashion');
  const r = runCli(['train', '--data', 'fashion-mnist', '--model', 'mlp', '--epochs', '1', '--batch-size', '128', '--out', out, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const result = JSON.parse(r.stdout);
  assert.match(r.stderr, /Fashion-MNIST in \/usr\/share\/datasets\/fashion-mnist \(60000 to train, 10000 to test\)/);
  assert.ok(result.testAccuracy >= 0.8, `one epoch of an MLP on Fashion-MNIST: ${result.testAccuracy}`);
  const model = JSON.parse(fs.readFileSync(path.join(out, 'model', 'model.json'), 'utf8'));
  assert.equal(model.userDefinedMetadata.classNames[9], 'Ankle boot');
});
