// The seeds' first back-propagation example: J = cos(sin(x^2) + 3x^2) and dJ/dx.
// Run: npm run build && node dist/examples/derivative.js
import * as st from 'striate';

const J = (x: st.Tensor) => st.cos(st.add(st.sin(st.square(x)), st.mul(st.square(x), 3)));
const dJdx = st.grad(J);

const x = st.scalar(2);
console.log(`J(2)     = ${J(x).dataSync()[0].toFixed(6)}`);
console.log(`dJ/dx(2) = ${dJdx(x).dataSync()[0].toFixed(6)}`);

// the same in PyTorch's style: mark a leaf, call backward(), read .grad
const w = st.tensor([2]);
w.requiresGrad = true;
J(w).sum().backward();
console.log(`w.grad   = ${w.grad!.dataSync()[0].toFixed(6)}`);
