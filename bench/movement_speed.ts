/**
 * Slices, a concat and a pad of the GRU backward's shapes (record [64, 80, 768]: two u-wide and
 * 2u-wide slices, a [.., 256] + [.., 128] concat, the pad that is a slice's gradient), ms per
 * round on the chosen backend, median of the rounds after a warm-up:
 * `node dist/bench/movement_speed.js [--backend wasm|js] [--rounds 100]`.
 */
import * as st from '../src/index.js';
import { flag } from './quick.js';

st.setBackend(flag('--backend', 'wasm'));
const rounds = Number(flag('--rounds', '100'));
const rec = st.randomNormal([64, 80, 768], 0, 1, 'float32', 1);
const a = st.randomNormal([64, 80, 256], 0, 1, 'float32', 2);
const b = st.randomNormal([64, 80, 128], 0, 1, 'float32', 3);
const parts: Record<string, () => void> = {
  'slice [64,80,768] -> [64,80,128] and -> [64,80,256]': () => {
    st.slice(rec, [0, 0, 640], [64, 80, 128]);
    st.slice(rec, [0, 0, 128], [64, 80, 256]);
  },
  'concat [64,80,256] + [64,80,128] on the last axis': () => { st.concat([a, b], 2); },
  'pad [64,80,128] -> [64,80,768] (a slice\'s gradient)': () => { st.pad(b, [[0, 0], [0, 0], [640, 0]]); },
};
for (const [name, f] of Object.entries(parts)) {
  const once = () => st.tidy(f);
  for (let i = 0; i < 10; i++) once();
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const t = performance.now();
    once();
    times.push(performance.now() - t);
  }
  times.sort((x, y) => x - y);
  console.log(`${st.getBackend()}: ${name}: ${times[times.length >> 1].toFixed(3)} ms (median of ${rounds})`);
}
