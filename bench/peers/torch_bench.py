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


# ---- issue 18's wider workloads (bench/wide_workloads.ts): synthetic data, batch 64, Adam 1e-3 ----
WIDE_BATCH, WIDE_MAX_SAMPLES = 64, 100 * 64
VOCAB, STEPS, EMBEDDING, UNITS = 5000, 80, 64, 128
# name, size, in channels, out channels, kernel (bench/common.ts CONV_TABLE)
CONV_TABLE = [('c3_32', 32, 3, 32, 3), ('c32_32', 32, 32, 32, 3), ('c32_64', 16, 32, 64, 3),
              ('c64_64', 16, 64, 64, 3), ('c64_128', 8, 64, 128, 3), ('c256_1024', 14, 256, 1024, 1)]
CONV_TABLE_GEMM = 1024


def conv_bn(cin, cout, kernel, stride, relu):
    layers = [nn.Conv2d(cin, cout, kernel, stride=stride, padding=kernel // 2, bias=False), nn.BatchNorm2d(cout)]
    return nn.Sequential(*layers, nn.ReLU()) if relu else nn.Sequential(*layers)


class BasicBlock(nn.Module):
    """Two 3x3 convolutions with batch norm; identity shortcut, or a 1x1 strided projection (option B)."""

    def __init__(self, cin, cout, stride):
        super().__init__()
        self.body = nn.Sequential(conv_bn(cin, cout, 3, stride, True), conv_bn(cout, cout, 3, 1, False))
        self.shortcut = conv_bn(cin, cout, 1, stride, False) if stride > 1 or cin != cout else nn.Identity()

    def forward(self, x):
        return torch.relu(self.shortcut(x) + self.body(x))


def resnet20():
    """He et al. (2016)'s CIFAR ResNet-20, as bench/resnet20.ts builds it (option-B shortcuts)."""
    layers, cin = [conv_bn(3, 16, 3, 1, True)], 16
    for stage, width in enumerate((16, 32, 64)):
        for b in range(3):
            layers.append(BasicBlock(cin, width, 2 if stage > 0 and b == 0 else 1))
            cin = width
    return nn.Sequential(*layers, nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(64, 10))


class Recurrent(nn.Module):
    """Embedding 5000x64, an LSTM or GRU of 128 over the 80 steps, dense 2 on the last output."""

    def __init__(self, cell):
        super().__init__()
        self.embed = nn.Embedding(VOCAB, EMBEDDING)
        self.rnn = (nn.LSTM if cell == 'lstm' else nn.GRU)(EMBEDDING, UNITS, batch_first=True)
        self.out = nn.Linear(UNITS, 2)

    def forward(self, ids):
        seq, _ = self.rnn(self.embed(ids))
        return self.out(seq[:, -1])


class TextCnn(nn.Module):
    """Kim's text CNN as striate's models.textCnn: 100 filters each of widths 3, 4, 5, max over time, dropout 0.5."""

    def __init__(self):
        super().__init__()
        self.embed = nn.Embedding(VOCAB, EMBEDDING)
        self.convs = nn.ModuleList(nn.Conv1d(EMBEDDING, 100, k) for k in (3, 4, 5))
        self.drop = nn.Dropout(0.5)
        self.out = nn.Linear(300, 2)

    def forward(self, ids):
        x = self.embed(ids).transpose(1, 2)
        return self.out(self.drop(torch.cat([torch.relu(c(x)).amax(2) for c in self.convs], 1)))


def build_wide(kind):
    if kind == 'cifar':
        model = nn.Sequential(nn.Conv2d(3, 32, 3, padding=1), nn.ReLU(), nn.Conv2d(32, 32, 3, padding=1), nn.ReLU(),
                              nn.MaxPool2d(2), nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(),
                              nn.Conv2d(64, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                              nn.Linear(64 * 8 * 8, 256), nn.ReLU(), nn.Linear(256, 10))
    elif kind == 'resnet20':
        model = resnet20()
    elif kind in ('lstm', 'gru'):
        model = Recurrent(kind)
    else:
        model = TextCnn()
    for m in model.modules():
        if isinstance(m, (nn.Conv1d, nn.Conv2d, nn.Linear)):
            nn.init.xavier_uniform_(m.weight)
            if m.bias is not None:
                nn.init.zeros_(m.bias)
    model = nn.Sequential(model, nn.LogSoftmax(dim=1))
    return model, torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)


def synthetic(kind, n, seed):
    g = torch.Generator().manual_seed(seed)
    if kind in ('cifar', 'resnet20'):
        return torch.rand(n, 3, 32, 32, generator=g), torch.randint(0, 10, (n,), generator=g)
    return torch.randint(0, VOCAB, (n, STEPS), generator=g), torch.randint(0, 2, (n,), generator=g)


def wide_rate(model, opt, kind, n, gen):
    fit(model, opt, *synthetic(kind, WIDE_BATCH, 7), 1, WIDE_BATCH, gen)
    xs, ys = synthetic(kind, n, 1)
    t = time.perf_counter()
    fit(model, opt, xs, ys, 1, WIDE_BATCH, gen)
    return n / (time.perf_counter() - t)


def wide_train(kind, plan, out, gen):
    model, opt = build_wide(kind)
    if kind == 'resnet20':
        out['resnet20Params'] = {'value': sum(p.numel() for p in model.parameters())}
    probe = plan['probeBatches'] * WIDE_BATCH
    rate = wide_rate(model, opt, kind, probe, gen)
    n = min(max(plan['probeBatches'], int(rate * plan['wideSeconds'] // WIDE_BATCH)) * WIDE_BATCH, WIDE_MAX_SAMPLES)
    measured = wide_rate(model, opt, kind, n, gen) if n > probe else rate
    out[f'{kind}Train'] = {'value': measured, 'note': f'{n} synthetic samples, one epoch after a warm-up batch'}


def conv_table(plan, out):
    n = CONV_TABLE_GEMM
    a, b = torch.randn(n, n), torch.randn(n, n)
    gemm = 2 * n ** 3 / time_per_call(lambda: a @ b, plan) / 1e9
    out['ctGemm'] = {'value': gemm}
    for name, size, cin, cout, k in CONV_TABLE:
        x, f = torch.randn(64, cin, size, size), torch.randn(cout, cin, k, k) * 0.1
        dy = torch.randn(64, cout, size, size)
        xg, fg = x.clone().requires_grad_(), f.clone().requires_grad_()

        def forward():
            with torch.no_grad():
                torch.nn.functional.conv2d(x, f, padding=k // 2)

        def with_grads():
            torch.autograd.grad(torch.nn.functional.conv2d(xg, fg, padding=k // 2), [xg, fg], grad_outputs=dy)
        flops = 2 * 64 * size * size * cout * k * k * cin
        for what, body, work in (('fwd', forward, flops), ('grad', with_grads, 3 * flops)):
            rate = work / time_per_call(body, plan) / 1e9
            out[f'ct_{name}_{what}'] = {'value': rate}
            out[f'ct_{name}_{what}Pct'] = {'value': 100 * rate / gemm}


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
    if workload in ('cifar', 'resnet20', 'lstm', 'gru', 'textcnn'):
        wide_train(workload, plan, out, gen)
        return
    if workload == 'convtable':
        conv_table(plan, out)
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


def blas_warning():
    """A note when torch's BLAS is the slow reference one. Debian's torch is built against the generic
    libblas.so.3 (BLAS_INFO=generic), which resolves to whatever provides it: the reference libblas3
    makes matmuls, dense layers and the LSTM/GRU gates ~100x slower (1 GFLOP/s GEMM) than OpenBLAS
    (libopenblas0-pthread); convolutions go through oneDNN and are not affected."""
    torch.ones(4, 4) @ torch.ones(4, 4)
    with open('/proc/self/maps') as f:
        libs = {line.split()[-1] for line in f if 'blas' in line.lower() or 'mkl' in line.lower()}
    if not libs or any(k in lib for lib in libs for k in ('openblas', 'mkl', 'blis')):
        return None
    return f"torch's BLAS is {', '.join(sorted(libs))} (reference, not OpenBLAS): matmuls ~100x slow; install libopenblas0-pthread"


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
    warning = blas_warning()
    for m in out.values():
        if warning and m.get('value') is not None:
            m['note'] = f"{m['note']}; {warning}" if m.get('note') else warning
    print(json.dumps({'system': f'torch-{args.threads}t', 'workload': args.workload, 'results': out}))


if __name__ == '__main__':
    main()
