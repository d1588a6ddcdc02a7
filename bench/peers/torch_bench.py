"""PyTorch as a peer in striate's benchmark: the same workloads, sizes and stopping rules as
bench/workloads.ts, printing one JSON line of results for bench/run.ts.

    python3 bench/peers/torch_bench.py --workload cnn --threads 2 --plan '{...}' [--quick] [--no-accuracy]

The plan (time budgets) comes from the runner so both sides use one set of numbers. Tensors are
NCHW, PyTorch's native layout; weights start Glorot-uniform with zero biases as in Keras.
"""
import argparse
import gzip
import json
import os
import resource
import struct
import sys
import time

# OpenBLAS and OpenMP size their thread pools when loaded, so the count is set before the imports.
if '--threads' in sys.argv:
    for var in ('OMP_NUM_THREADS', 'OPENBLAS_NUM_THREADS', 'MKL_NUM_THREADS'):
        os.environ[var] = sys.argv[sys.argv.index('--threads') + 1]

import numpy as np  # noqa: E402
import torch  # noqa: E402
from torch import nn  # noqa: E402

CNN_BATCH, LENET_BATCH, MLP_BATCH = 64, 128, 128


def read_idx(path):
    with open(path, 'rb') as f:
        raw = f.read()
    if raw[:2] == b'\x1f\x8b':
        raw = gzip.decompress(raw)
    rank = raw[3]
    dims = struct.unpack('>' + 'I' * rank, raw[4:4 + 4 * rank])
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * rank).reshape(dims)


def load_split(folder, prefix):
    def find(name):
        for candidate in (name, name + '.gz'):
            if os.path.isfile(os.path.join(folder, candidate)):
                return os.path.join(folder, candidate)
        raise FileNotFoundError(f'no {name} in {folder}')
    xs = read_idx(find(f'{prefix}-images-idx3-ubyte')).astype(np.float32) / 255.0
    labels = read_idx(find(f'{prefix}-labels-idx1-ubyte')).astype(np.int64)
    return torch.from_numpy(xs).unsqueeze(1), torch.from_numpy(labels)


def build(kind):
    if kind == 'cnn':
        layers = [nn.Conv2d(1, 8, 5, padding='same'), nn.ReLU(), nn.MaxPool2d(2), nn.Dropout(0.25),
                  nn.Conv2d(8, 16, 3, padding='same'), nn.ReLU(), nn.MaxPool2d(2), nn.Dropout(0.25),
                  nn.Flatten(), nn.Linear(16 * 7 * 7, 256), nn.ReLU(), nn.Dropout(0.5), nn.Linear(256, 10)]
    elif kind == 'lenet':
        layers = [nn.Conv2d(1, 6, 5, padding='same'), nn.ReLU(), nn.MaxPool2d(2),
                  nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                  nn.Linear(16 * 5 * 5, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10)]
    else:
        layers = [nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, 10)]
    # softmax + cross-entropy on class indices, as the JavaScript systems compile it
    model = nn.Sequential(*layers, nn.LogSoftmax(dim=1))
    for m in model.modules():
        if isinstance(m, (nn.Conv2d, nn.Linear)):
            nn.init.xavier_uniform_(m.weight)
            nn.init.zeros_(m.bias)
    return model, torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)


def fit(model, opt, xs, ys, epochs, batch, gen):
    model.train()
    loss_fn = nn.NLLLoss()
    loss = None
    for _ in range(epochs):
        order = torch.randperm(len(xs), generator=gen)
        for start in range(0, len(xs), batch):
            idx = order[start:start + batch]
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(model(xs[idx]), ys[idx])
            loss.backward()
            opt.step()
    if not np.isfinite(loss.item()):
        raise RuntimeError('training diverged (loss not finite)')


def train_rate(model, opt, train, batch, n, gen):
    fit(model, opt, train[0][:batch], train[1][:batch], 1, batch, gen)
    t = time.perf_counter()
    fit(model, opt, train[0][:n], train[1][:n], 1, batch, gen)
    return n / (time.perf_counter() - t)


def accuracy(model, test):
    model.eval()
    with torch.no_grad():
        predicted = torch.cat([model(test[0][i:i + 256]).argmax(1) for i in range(0, len(test[0]), 256)])
    return 100.0 * (predicted == test[1]).float().mean().item()


def round_to_batch(samples, batch, limit):
    return min(max(2, int(samples // batch)) * batch, (limit // batch) * batch)


def time_per_call(body, plan, max_calls=1000):
    """Median seconds per call after one warm-up; a warm-up slower than slowSeconds is the measurement."""
    warm = time.perf_counter()
    body()
    if time.perf_counter() - warm > plan['slowSeconds']:
        return time.perf_counter() - warm
    min_seconds = plan['minSeconds']
    times, start = [], time.perf_counter()
    while len(times) < max_calls and (not times or time.perf_counter() - start < min_seconds):
        t = time.perf_counter()
        body()
        times.append(time.perf_counter() - t)
    return float(np.median(times))


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(workload, args, plan, out):
    gen = torch.Generator().manual_seed(1)
    torch.manual_seed(1)
    if workload == 'gemm':
        for n in (256, 1024):
            a, b = torch.randn(n, n), torch.randn(n, n)
            out[f'gemm{n}'] = {'value': 2 * n ** 3 / time_per_call(lambda: a @ b, plan) / 1e9}
        return
    if workload == 'conv':
        x, f = torch.randn(64, 32, 28, 28), torch.randn(64, 32, 3, 3) * 0.1

        def forward():
            with torch.no_grad():
                torch.nn.functional.conv2d(x, f, padding='same')

        xg, fg = x.clone().requires_grad_(), f.clone().requires_grad_()

        def with_grads():
            torch.autograd.grad(torch.nn.functional.conv2d(xg, fg, padding='same').sum(), [xg, fg])
        out['convFwd'] = {'value': 1000 * time_per_call(forward, plan)}
        out['convGrad'] = {'value': 1000 * time_per_call(with_grads, plan)}
        return
    train, test = load_split(args.data, 'train'), load_split(args.data, 't10k')
    if workload in ('lenet', 'mlp'):
        batch = LENET_BATCH if workload == 'lenet' else MLP_BATCH
        model, opt = build(workload)
        rate = train_rate(model, opt, train, batch, plan['probeBatches'] * batch, gen)
        n = round_to_batch(rate * plan['trainSeconds'], batch, len(train[0]))
        measured = train_rate(model, opt, train, batch, n, gen) if n > plan['probeBatches'] * batch else rate
        out[f'{workload}Train'] = {'value': measured, 'note': f'{n} samples'}
    elif workload == 'cnn':
        model, opt = build('cnn')
        rate = train_rate(model, opt, train, CNN_BATCH, plan['probeBatches'] * CNN_BATCH, gen)
        epoch_seconds = len(train[0]) / rate
        why = 'not run (--quick)' if args.quick else 'not run (1-thread column)' if args.no_accuracy else 'skipped (too slow)'
        if not args.no_accuracy and 5 * epoch_seconds * 1.15 <= plan['fiveEpochBudget']:
            epochs = 5
        elif not args.no_accuracy and epoch_seconds * 1.15 <= plan['oneEpochBudget']:
            epochs = 1
        else:
            epochs = 0
        if epochs:
            model, opt = build('cnn')
            fit(model, opt, train[0][:CNN_BATCH], train[1][:CNN_BATCH], 1, CNN_BATCH, gen)
            t = time.perf_counter()
            fit(model, opt, *train, 1, CNN_BATCH, gen)
            out['cnnTrain'] = {'value': len(train[0]) / (time.perf_counter() - t), 'note': 'one full epoch'}
            out['cnnAcc1'] = {'value': accuracy(model, test)}
            if epochs == 5:
                fit(model, opt, *train, 4, CNN_BATCH, gen)
                out['cnnAcc5'] = {'value': accuracy(model, test)}
            else:
                out['cnnAcc5'] = {'value': None, 'note': why}
        else:
            n = round_to_batch(rate * plan['trainSeconds'], CNN_BATCH, len(train[0]))
            out['cnnTrain'] = {'value': train_rate(model, opt, train, CNN_BATCH, n, gen) if n > plan['probeBatches'] * CNN_BATCH else rate,
                               'note': f'{n} samples, not a full epoch'}
            out['cnnAcc1'] = out['cnnAcc5'] = {'value': None, 'note': why}
        out['cnnPeakRss'] = {'value': peak_rss_mb(), 'note': 'whole process, Fashion-MNIST as float32 included'}
    elif workload == 'infer':
        model, _ = build('cnn')
        model.eval()
        one, batch = test[0][:1], test[0][:256]
        with torch.no_grad():
            warmups, warm_start = 0, time.perf_counter()
            while warmups < plan['latencyWarmup'] and time.perf_counter() - warm_start < plan['latencyWarmupSeconds']:
                model(one)
                warmups += 1
            times, start = [], time.perf_counter()
            while len(times) < plan['latencyCalls'] and time.perf_counter() - start < plan['latencySeconds']:
                t = time.perf_counter()
                model(one)
                times.append(time.perf_counter() - t)
            out['inferB1'] = {'value': 1000 * float(np.median(times)),
                              'note': f"median of {len(times)} calls, after {warmups} warm-up calls"}
            out['inferB256'] = {'value': 256 / time_per_call(lambda: model(batch), plan)}
    else:
        raise ValueError(f'unknown workload {workload}')


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--workload', required=True)
    p.add_argument('--threads', type=int, default=1)
    p.add_argument('--plan', required=True)
    p.add_argument('--data', default='/usr/share/datasets/fashion-mnist')
    p.add_argument('--quick', action='store_true')
    p.add_argument('--no-accuracy', action='store_true')
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    out = {}
    try:
        run(args.workload, args, json.loads(args.plan), out)
    except Exception as e:  # the runner shows the reason in the table's notes
        out['error'] = {'value': None, 'note': f'failed: {type(e).__name__}: {str(e)[:200]}'}
    print(json.dumps({'system': f'torch-{args.threads}t', 'workload': args.workload, 'results': out}))


if __name__ == '__main__':
    main()
