"""PyTorch 1.13 peer of bench/lstm_speed.ts: the IMDB-style recurrent net of issue 18
(embedding 5000x64, LSTM / GRU / RNN(tanh) 128 over 80 steps, dense 2, Adam, batch 64,
synthetic tokens), training samples/s at 1 and 2 threads, median of a few rounds after a
warm-up epoch. Run with /usr/bin/python3 (the python3 on PATH has no torch):
  /usr/bin/python3 bench/peers/torch_rnn.py [--cell lstm|gru|rnn] [--batches 4] [--rounds 3]
"""
import argparse
import statistics
import time

import torch


class Net(torch.nn.Module):
    def __init__(self, cell):
        super().__init__()
        self.embed = torch.nn.Embedding(5000, 64)
        kind = {'lstm': torch.nn.LSTM, 'gru': torch.nn.GRU, 'rnn': torch.nn.RNN}[cell]
        self.rnn = kind(64, 128, batch_first=True)
        self.head = torch.nn.Linear(128, 2)

    def forward(self, x):
        out, _ = self.rnn(self.embed(x))
        return self.head(out[:, -1])


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--cell', default='lstm')
    p.add_argument('--batches', type=int, default=4)
    p.add_argument('--rounds', type=int, default=3)
    a = p.parse_args()
    batch, steps = 64, 80
    n = batch * a.batches
    gen = torch.Generator().manual_seed(1)
    xs = torch.randint(0, 5000, (n, steps), generator=gen)
    ys = torch.randint(0, 2, (n,), generator=gen)
    for threads in (1, 2):
        torch.set_num_threads(threads)
        torch.manual_seed(0)
        model = Net(a.cell)
        opt = torch.optim.Adam(model.parameters())
        loss_fn = torch.nn.CrossEntropyLoss()

        def epoch():
            t0 = time.perf_counter()
            for s in range(0, n, batch):
                opt.zero_grad()
                loss = loss_fn(model(xs[s:s + batch]), ys[s:s + batch])
                loss.backward()
                opt.step()
            return n / (time.perf_counter() - t0)

        epoch()  # warm-up
        rates = [epoch() for _ in range(a.rounds)]
        print(f'torch {torch.__version__} {a.cell} 128 over {steps} steps, batch {batch}, {threads} thread(s): '
              f'median {statistics.median(rates):.1f} samples/s (rounds {", ".join(f"{r:.1f}" for r in rates)})')


if __name__ == '__main__':
    main()
