# Copied from the team's shared peer benchmarks (shared/peers/torch_speed.py), so that 'npm run bench' can run it
# when VG_TORCH_PYTHON points to a Python with torch; the project itself never depends on Python.
"""Peer timings in PyTorch (CPU), for side-by-side speed comparisons with this project on the same machine.
Set up once:  python3 -m venv VENV && VENV/bin/pip install torch==2.13.0 numpy   (VENV: any throwaway folder outside the repo)
Run:          VENV/bin/python ../shared/peers/torch_speed.py [--threads 1]
Prints one JSON line per measurement (median of repeats, milliseconds):
  train_update  one Adam update (forward, backward through time, global-norm clip 1, step) of one model,
                hidden 32, input 2, batch 32, sequence length T, linear readout of the last state;
  profile       the temporal gradient profile of the document's demo RNN (H = D = 100, T = 50,
                U(-0.1, 0.1)): one backward pass giving ||dL/dx_t|| for every t, and the document's own
                method (one backward pass per output step)."""
import argparse, json, statistics, time
import torch, torch.nn as nn

ap = argparse.ArgumentParser()
ap.add_argument('--threads', type=int, default=1)
ap.add_argument('--repeats', type=int, default=7)
args = ap.parse_args()
torch.set_num_threads(args.threads)

def median_ms(f, n):
    for _ in range(3): f()
    ts = []
    for _ in range(args.repeats):
        t = time.perf_counter()
        for _ in range(n): f()
        ts.append((time.perf_counter() - t) / n * 1000)
    return round(statistics.median(ts), 3)

class Net(nn.Module):
    def __init__(self, kind, H=32):
        super().__init__()
        self.rnn = {'rnn': nn.RNN, 'lstm': nn.LSTM, 'gru': nn.GRU}[kind](2, H, batch_first=True)
        self.out = nn.Linear(H, 1)
    def forward(self, x):
        o, _ = self.rnn(x); return self.out(o[:, -1])

for kind in ('rnn', 'lstm', 'gru'):
    for T in (15, 55, 105):
        torch.manual_seed(0)
        net = Net(kind); opt = torch.optim.Adam(net.parameters(), lr=3e-3)
        x, y = torch.randn(32, T, 2), torch.randn(32, 1)
        def update():
            loss = ((net(x) - y) ** 2).mean()
            opt.zero_grad(); loss.backward(); nn.utils.clip_grad_norm_(net.parameters(), 1.0); opt.step()
        print(json.dumps(dict(what='train_update', cell=kind, hidden=32, batch=32, T=T, threads=args.threads,
                              ms=median_ms(update, 20))), flush=True)

H, T = 100, 50
torch.manual_seed(0)
rnn = nn.RNN(H, H, batch_first=True)
for name, p in rnn.named_parameters():
    if 'weight' in name: nn.init.uniform_(p, -0.1, 0.1)
def one_pass():
    x = torch.randn(1, T, H, requires_grad=True)
    out, _ = rnn(x)
    g, = torch.autograd.grad(out[0, T - 1].sum(), x)
    return g[0].norm(dim=1)
def per_step():
    x = torch.randn(1, T, H, requires_grad=True)
    out, _ = rnn(x)
    return [torch.autograd.grad(out[0, t].sum(), x, retain_graph=True)[0][0, 0].norm() for t in range(T)]
print(json.dumps(dict(what='profile', method='one backward pass', H=H, T=T, threads=args.threads, ms=median_ms(one_pass, 50))), flush=True)
print(json.dumps(dict(what='profile', method="document's method (T backward passes)", H=H, T=T, threads=args.threads, ms=median_ms(per_step, 5))), flush=True)
