// REINFORCE, written the way TensorFlow.js's cart-pole example trains its policy network: for
// every step of every game, tf.variableGrads gives the gradient of a sigmoid cross-entropy
// between the sampled action and the policy's logit; when a batch of games is over, the
// discounted returns are normalised (tf.moments), each step's gradients are scaled by its
// normalised return, averaged, and handed to optimizer.applyGradients.
//
// The game: a corridor of seven cells. Each game a goal is placed at one end at random and the
// other end is a pit; the agent sees its position and which end holds the goal, and steps left
// or right. Reaching the goal pays +1, the pit -1, and every step costs 0.05; a game ends at an
// end or after 12 steps. A random policy earns about -0.3 on average; the best possible, about 0.9.
//
// Only the `tf` handed in is used, so the same code runs on TensorFlow.js and on striate.

export interface PolicyGradientOutcome {
  /** mean return per game over each training iteration, in order */
  returnsPerIteration: number[];
  /** the greedy policy (always the likelier action) over every start cell and goal side */
  greedySuccessRate: number;
  greedyMeanReturn: number;
}

export interface PolicyGradientOptions {
  iterations?: number;
  gamesPerIteration?: number;
  seed?: number;
}

const CELLS = 7;
const MAX_STEPS = 12;
const STEP_COST = 0.05;

/** A small seeded generator (mulberry32) so that the games and the action draws repeat. */
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

class Corridor {
  position = 0;
  goalOnRight = true;
  steps = 0;

  reset(random: () => number): void {
    this.goalOnRight = random() < 0.5;
    this.position = 1 + Math.floor(random() * (CELLS - 2));
    this.steps = 0;
  }

  /** [position scaled to [-1, 1], +1 when the goal is on the right else -1] */
  state(): number[] {
    return [(2 * this.position) / (CELLS - 1) - 1, this.goalOnRight ? 1 : -1];
  }

  /** action 1 steps right, 0 steps left; returns the reward and whether the game is over */
  update(action: number): { reward: number; done: boolean } {
    this.position += action === 1 ? 1 : -1;
    this.steps++;
    const atRight = this.position === CELLS - 1;
    const atLeft = this.position === 0;
    if (atRight || atLeft) {
      const won = atRight === this.goalOnRight;
      return { reward: (won ? 1 : -1) - STEP_COST, done: true };
    }
    return { reward: -STEP_COST, done: this.steps >= MAX_STEPS };
  }
}

function discountRewards(rewards: number[], discountRate: number): number[] {
  const discounted = new Array<number>(rewards.length);
  let running = 0;
  for (let i = rewards.length - 1; i >= 0; i--) {
    running = rewards[i] + discountRate * running;
    discounted[i] = running;
  }
  return discounted;
}

export async function run(tf: any, opts: PolicyGradientOptions = {}): Promise<PolicyGradientOutcome> {
  const iterations = opts.iterations ?? 14;
  const gamesPerIteration = opts.gamesPerIteration ?? 16;
  const seed = opts.seed ?? 7;
  const random = seededRandom(seed);
  const discountRate = 0.95;

  const policyNet = tf.sequential();
  policyNet.add(tf.layers.dense({
    units: 16, activation: 'relu', inputShape: [2],
    kernelInitializer: tf.initializers.glorotUniform({ seed }),
  }));
  // one logit: the log-odds of stepping right
  policyNet.add(tf.layers.dense({ units: 1, kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 1 }) }));
  const optimizer = tf.train.adam(0.05);

  let lastAction = 0;
  // The gradient of -log pi(action | state) for one step; the sampled action is kept aside.
  function gradientsForOneStep(state: number[]): { value: any; grads: Record<string, any> } {
    const f = () => tf.tidy(() => {
      const logits = policyNet.predict(tf.tensor2d([state]));
      const probRight = tf.sigmoid(logits).dataSync()[0];
      lastAction = random() < probRight ? 1 : 0;
      const labels = tf.tensor2d([[lastAction]]);
      return tf.losses.sigmoidCrossEntropy(labels, logits).asScalar();
    });
    return tf.variableGrads(f);
  }

  const env = new Corridor();
  const returnsPerIteration: number[] = [];
  for (let iteration = 0; iteration < iterations; iteration++) {
    const allGradients: Array<Array<Record<string, any>>> = [];
    const allReturns: number[][] = [];
    let returnSum = 0;
    for (let game = 0; game < gamesPerIteration; game++) {
      env.reset(random);
      const gameGradients: Array<Record<string, any>> = [];
      const gameRewards: number[] = [];
      for (;;) {
        const { value, grads } = gradientsForOneStep(env.state());
        value.dispose();
        gameGradients.push(grads);
        const { reward, done } = env.update(lastAction);
        gameRewards.push(reward);
        if (done) break;
      }
      returnSum += gameRewards.reduce((a, b) => a + b, 0);
      allGradients.push(gameGradients);
      allReturns.push(discountRewards(gameRewards, discountRate));
    }
    returnsPerIteration.push(returnSum / gamesPerIteration);

    tf.tidy(() => {
      // normalise the discounted returns over the whole batch of games
      const flat = tf.tensor1d(allReturns.flat());
      const { mean, variance } = tf.moments(flat);
      const std = tf.sqrt(variance).add(1e-6);
      const normalised = allReturns.map((returns) => tf.tensor1d(returns).sub(mean).div(std));
      // each variable's gradient: the mean over all steps of (normalised return x step gradient)
      const averaged: Record<string, any> = {};
      for (const name of Object.keys(allGradients[0][0])) {
        const perGame = allGradients.map((gameGradients, g) => {
          const stacked = tf.stack(gameGradients.map((grads) => grads[name]));
          const shape = [gameGradients.length, ...new Array(stacked.rank - 1).fill(1)];
          return stacked.mul(normalised[g].reshape(shape));
        });
        averaged[name] = tf.concat(perGame, 0).mean(0);
      }
      optimizer.applyGradients(averaged);
    });
    tf.dispose(allGradients.flatMap((gameGradients) => gameGradients.flatMap((grads) => Object.values(grads))));
  }

  // the greedy policy, from every inner start cell with the goal on either side
  let successes = 0;
  let greedyReturns = 0;
  let games = 0;
  for (const goalOnRight of [false, true]) {
    for (let start = 1; start < CELLS - 1; start++) {
      env.goalOnRight = goalOnRight;
      env.position = start;
      env.steps = 0;
      let total = 0;
      for (;;) {
        const logit = tf.tidy(() => policyNet.predict(tf.tensor2d([env.state()])).dataSync()[0]);
        const { reward, done } = env.update(logit > 0 ? 1 : 0);
        total += reward;
        if (done) break;
      }
      greedyReturns += total;
      if (total > 0) successes++;
      games++;
    }
  }
  return { returnsPerIteration, greedySuccessRate: successes / games, greedyMeanReturn: greedyReturns / games };
}
