/** The studio's shell: page routing by the URL hash, the thread notice, and lazy page start-up. */
import * as st from 'striate/browser';
import './style.css';
import { startTrainPage, trainer } from './train_page';
import { startDrawPage } from './draw_page';
import { startPlayground } from './playground';
import { startConvPage } from './conv_page';

// the main thread only runs small things (the playground, the convolution explainer) on the
// reference backend, so it needs no kernels fetched and never spins on a pool
st.setBackend('js');

const PAGES: Record<string, () => void> = {
  train: startTrainPage, draw: startDrawPage, playground: startPlayground, conv: startConvPage,
};
const started = new Set<string>();

function route(): void {
  const name = location.hash.replace(/^#\/?/, '').split('?')[0] || 'train';
  const page = name in PAGES ? name : 'train';
  for (const id of Object.keys(PAGES)) {
    document.getElementById(`page-${id}`)!.hidden = id !== page;
    const link = document.querySelector(`nav a[data-page="${id}"]`)!;
    if (id === page) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  if (!started.has(page)) {
    started.add(page);
    PAGES[page]();
  }
  document.body.dataset.page = page;
}

function showThreads(): void {
  const note = document.getElementById('threads')!;
  if (!crossOriginIsolated) {
    note.className = 'warn';
    note.textContent = 'This page is not cross-origin isolated, so there is no shared memory: training runs on one thread. ' +
      'Serve it with "npx striate studio" for every core.';
  } else {
    note.textContent = 'Cross-origin isolated: training uses shared memory on every core.';
  }
  trainer().onReady((ready) => {
    note.textContent += ` Worker backend: ${ready.backend}, ${ready.threads} thread${ready.threads === 1 ? '' : 's'}.`;
    note.dataset.threads = String(ready.threads);
  });
}

addEventListener('hashchange', route);
route();
showThreads();
