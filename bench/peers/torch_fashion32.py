"""PyTorch's side of bench/fashion32_parity.ts: the CIFAR-style convnet trained on Fashion-MNIST
padded to 32x32 (2 zeros each side) with the grey channel copied to three channels, with the same
recipe as striate: Glorot-uniform kernels and zero biases (Keras' defaults, not PyTorch's own),
Adam 1e-3 with epsilon 1e-7 (Keras' default), batch 64 with the remainder as the last batch, a new
shuffle each epoch, cross-entropy on the logits (the same loss as softmax + sparse categorical
cross-entropy). Prints one JSON line per epoch: {"epoch", "loss", "acc", "seconds"}.

    /usr/bin/python3 bench/peers/torch_fashion32.py [--epochs 3] [--train 60000] [--test 10000] [--threads 1] [--data DIR]
"""
import argparse
import gzip
import json
import os
import struct
import sys
import time

if '--threads' in sys.argv:
    for var in ('OMP_NUM_THREADS', 'OPENBLAS_NUM_THREADS', 'MKL_NUM_THREADS'):
        os.environ[var] = sys.argv[sys.argv.index('--threads') + 1]

import numpy as np  # noqa: E402
import torch  # noqa: E402
from torch import nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

BATCH, EVAL_BATCH, SEED = 64, 500, 1


def read_idx(path):
    with open(path, 'rb') as f:
        raw = f.read()
    if raw[:2] == b'\x1f\x8b':
        raw = gzip.decompress(raw)
    rank = raw[3]
    dims = struct.unpack('>' + 'I' * rank, raw[4:4 + 4 * rank])
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * rank).reshape(dims)


def load_split(folder, prefix, n):
    def find(name):
        for candidate in (name, name + '.gz'):
            if os.path.isfile(os.path.join(folder, candidate)):
                return os.path.join(folder, candidate)
        raise FileNotFoundError(f'no {name} in {folder}')
    xs = read_idx(find(f'{prefix}-images-idx3-ubyte'))[:n].astype(np.float32) / 255.0
    labels = read_idx(find(f'{prefix}-labels-idx1-ubyte'))[:n].astype(np.int64)
    # [n, 1, 28, 28] grey; padded and copied to 3 channels per batch (the full set would be 737 MB)
    return torch.from_numpy(xs).unsqueeze(1), torch.from_numpy(labels)


def to32(x):
    return F.pad(x, (2, 2, 2, 2)).expand(-1, 3, -1, -1).contiguous()


def build():
    model = nn.Sequential(
        nn.Conv2d(3, 32, 3, padding='same'), nn.ReLU(),
        nn.Conv2d(32, 32, 3, padding='same'), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3, padding='same'), nn.ReLU(),
        nn.Conv2d(64, 64, 3, padding='same'), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(64 * 8 * 8, 256), nn.ReLU(), nn.Linear(256, 10))
    for m in model.modules():
        if isinstance(m, (nn.Conv2d, nn.Linear)):
            # torch's fans for [out, in, kh, kw] equal Keras' for [kh, kw, in, out]
            nn.init.xavier_uniform_(m.weight)
            nn.init.zeros_(m.bias)
    return model


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--epochs', type=int, default=3)
    p.add_argument('--train', type=int, default=60000)
    p.add_argument('--test', type=int, default=10000)
    p.add_argument('--threads', type=int, default=1)
    p.add_argument('--data', default=os.environ.get('FASHION_MNIST_DIR', '/usr/share/datasets/fashion-mnist'))
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(SEED)
    train_x, train_y = load_split(a.data, 'train', a.train)
    test_x, test_y = load_split(a.data, 't10k', a.test)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, betas=(0.9, 0.999), eps=1e-7)
    n = train_x.shape[0]
    gen = torch.Generator().manual_seed(SEED)
    for epoch in range(1, a.epochs + 1):
        model.train()
        order = torch.randperm(n, generator=gen)
        start = time.perf_counter()
        loss_sum = 0.0
        for i in range(0, n, BATCH):
            idx = order[i:i + BATCH]
            xb, yb = to32(train_x[idx]), train_y[idx]
            opt.zero_grad()
            loss = F.cross_entropy(model(xb), yb)
            loss.backward()
            opt.step()
            loss_sum += loss.item() * len(idx)
        seconds = time.perf_counter() - start
        model.eval()
        right = 0
        with torch.no_grad():
            for i in range(0, test_x.shape[0], EVAL_BATCH):
                right += (model(to32(test_x[i:i + EVAL_BATCH])).argmax(1) == test_y[i:i + EVAL_BATCH]).sum().item()
        print(json.dumps({'epoch': epoch, 'loss': loss_sum / n, 'acc': 100.0 * right / test_x.shape[0], 'seconds': seconds}), flush=True)


if __name__ == '__main__':
    main()
