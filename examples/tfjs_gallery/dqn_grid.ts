// A deep Q-network, written the way TensorFlow.js's snake-DQN example trains one: an online
// Q-network (a sequential model) acts epsilon-greedily and fills a replay memory; each step a
// batch of remembered transitions gives the loss (tf.variableGrads over the online network's
// getWeights(), optimizer.applyGradients), with the bootstrap targets read from a target
// network that copies the online one every so often through setWeights(getWeights()).
//
// The world: a 4 x 4 grid, start in the top-left corner, goal in the bottom-right (+1), two
// pits (-1) on the diagonal, 0.04 lost per step, at most 20 steps a game. The shortest safe
// path takes 6 steps; the greedy policy learnt must take one.
//
// Only the `tf` handed in is used, so the same code runs on TensorFlow.js and on striate.

export interface DqnOutcome {
  /** steps the greedy policy takes from the start to the goal (-1: it never gets there) */
  greedyPathLength: number;
  /** the cells the greedy policy visits, as "row,col" */
  greedyPath: string[];
  /** mean return of the games played during the first and the last quarter of training */
  earlyMeanReturn: number;
  lateMeanReturn: number;
  gamesPlayed: number;
}

export interface DqnOptions {
  steps?: number;
  seed?: number;
}

const SIZE = 4;
const GOAL = [3, 3];
const PITS = ['1,1', '2,2'];
const MAX_STEPS = 20;
const NUM_ACTIONS = 4;
// up, down, left, right
const MOVES = [[-1, 0], [1, 0], [0, -1], [0, 1]];

function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class GridWorld {
  row = 0;
  col = 0;
  steps = 0;

  reset(): number {
    this.row = 0;
    this.col = 0;
    this.steps = 0;
    return this.cell();
  }

  cell(): number {
    return this.row * SIZE + this.col;
  }

  step(action: number): { cell: number; reward: number; done: boolean } {
    const [dr, dc] = MOVES[action];
    this.row = Math.min(SIZE - 1, Math.max(0, this.row + dr));
    this.col = Math.min(SIZE - 1, Math.max(0, this.col + dc));
    this.steps++;
    if (this.row === GOAL[0] && this.col === GOAL[1]) return { cell: this.cell(), reward: 1, done: true };
    if (PITS.includes(`${this.row},${this.col}`)) return { cell: this.cell(), reward: -1, done: true };
    return { cell: this.cell(), reward: -0.04, done: this.steps >= MAX_STEPS };
  }
}

/** One-hot rows for a list of cells: the network's input. */
function getStateTensor(tf: any, cells: number[]): any {
  return tf.oneHot(tf.tensor1d(cells, 'int32'), SIZE * SIZE).toFloat();
}

function createDeepQNetwork(tf: any, seed: number): any {
  const model = tf.sequential();
  model.add(tf.layers.dense({
    units: 32, activation: 'relu', inputShape: [SIZE * SIZE],
    kernelInitializer: tf.initializers.heNormal({ seed }),
  }));
  model.add(tf.layers.dense({ units: NUM_ACTIONS, kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 1 }) }));
  return model;
}

/** Copies the weights of `source` into `dest`, briefly matching trainable flags as setWeights needs. */
function copyWeights(dest: any, source: any): void {
  let destTrainable: boolean | undefined;
  if (dest.trainable !== source.trainable) {
    destTrainable = dest.trainable;
    dest.trainable = source.trainable;
  }
  dest.setWeights(source.getWeights());
  if (destTrainable !== undefined) dest.trainable = destTrainable;
}

type Transition = [number, number, number, boolean, number];

class ReplayMemory {
  private buffer: Transition[] = [];
  private next = 0;
  constructor(private readonly maxLen: number, private readonly random: () => number) {}

  append(item: Transition): void {
    if (this.buffer.length < this.maxLen) this.buffer.push(item);
    else this.buffer[this.next] = item;
    this.next = (this.next + 1) % this.maxLen;
  }

  get length(): number {
    return this.buffer.length;
  }

  sample(batchSize: number): Transition[] {
    const out: Transition[] = [];
    for (let i = 0; i < batchSize; i++) out.push(this.buffer[Math.floor(this.random() * this.buffer.length)]);
    return out;
  }
}

export async function run(tf: any, opts: DqnOptions = {}): Promise<DqnOutcome> {
  const totalSteps = opts.steps ?? 1000;
  const seed = opts.seed ?? 3;
  const random = seededRandom(seed);
  const gamma = 0.9;
  const batchSize = 32;
  const syncEvery = 50;
  const epsilonFinal = 0.05;
  const epsilonDecaySteps = 500;

  const onlineNetwork = createDeepQNetwork(tf, seed);
  const targetNetwork = createDeepQNetwork(tf, seed + 10);
  // the target network is never trained: it only gives the bootstrap values
  targetNetwork.trainable = false;
  copyWeights(targetNetwork, onlineNetwork);
  const optimizer = tf.train.adam(0.01);
  const memory = new ReplayMemory(1000, random);

  function trainOnReplayBatch(): void {
    const batch = memory.sample(batchSize);
    const lossFunction = () => tf.tidy(() => {
      const stateTensor = getStateTensor(tf, batch.map((example) => example[0]));
      const actionTensor = tf.tensor1d(batch.map((example) => example[1]), 'int32');
      const qs = onlineNetwork.apply(stateTensor, { training: true })
        .mul(tf.oneHot(actionTensor, NUM_ACTIONS)).sum(-1);
      const rewardTensor = tf.tensor1d(batch.map((example) => example[2]));
      const nextStateTensor = getStateTensor(tf, batch.map((example) => example[4]));
      const nextMaxQTensor = targetNetwork.predict(nextStateTensor).max(-1);
      const doneMask = tf.scalar(1).sub(tf.tensor1d(batch.map((example) => example[3])).asType('float32'));
      const targetQs = rewardTensor.add(nextMaxQTensor.mul(doneMask).mul(gamma));
      return tf.losses.meanSquaredError(targetQs, qs);
    });
    const grads = tf.variableGrads(lossFunction, onlineNetwork.getWeights());
    optimizer.applyGradients(grads.grads);
    tf.dispose(grads);
  }

  const env = new GridWorld();
  let cell = env.reset();
  let gameReturn = 0;
  const finishedGames: Array<{ step: number; gameReturn: number }> = [];
  for (let step = 0; step < totalSteps; step++) {
    const epsilon = Math.max(epsilonFinal, 1 - (1 - epsilonFinal) * (step / epsilonDecaySteps));
    let action: number;
    if (random() < epsilon) {
      action = Math.floor(random() * NUM_ACTIONS);
    } else {
      action = tf.tidy(() => onlineNetwork.predict(getStateTensor(tf, [cell])).argMax(-1).dataSync()[0]);
    }
    const { cell: nextCell, reward, done } = env.step(action);
    memory.append([cell, action, reward, done, nextCell]);
    gameReturn += reward;
    cell = nextCell;
    if (done) {
      finishedGames.push({ step, gameReturn });
      cell = env.reset();
      gameReturn = 0;
    }
    if (memory.length >= batchSize * 2) trainOnReplayBatch();
    if (step % syncEvery === 0) copyWeights(targetNetwork, onlineNetwork);
  }

  // the greedy policy from the start
  const greedyPath: string[] = [];
  cell = env.reset();
  let greedyPathLength = -1;
  for (let step = 0; step < MAX_STEPS; step++) {
    const action = tf.tidy(() => onlineNetwork.predict(getStateTensor(tf, [cell])).argMax(-1).dataSync()[0]);
    const result = env.step(action);
    cell = result.cell;
    greedyPath.push(`${env.row},${env.col}`);
    if (result.done) {
      if (result.reward > 0) greedyPathLength = step + 1;
      break;
    }
  }
  const meanReturn = (from: number, to: number) => {
    const games = finishedGames.filter((g) => g.step >= from && g.step < to);
    return games.reduce((sum, g) => sum + g.gameReturn, 0) / Math.max(1, games.length);
  };
  return {
    greedyPathLength,
    greedyPath,
    earlyMeanReturn: meanReturn(0, totalSteps / 4),
    lateMeanReturn: meanReturn((3 * totalSteps) / 4, totalSteps),
    gamesPlayed: finishedGames.length,
  };
}
