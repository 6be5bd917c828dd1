#!/usr/bin/env python
"""GPU check and benchmark, in one go: the notebook tests that need CUDA, then kmeans_nbdev on the GPU against the
GPU K-means libraries that are installed (fast-pytorch-kmeans, fastkmeans, flash-kmeans, faiss-gpu).

Run from the repository root on a machine with CUDA: `python bench/gpu.py` (about 8 minutes at most: every part
checks a deadline and is skipped, and said so, once it has passed). Writes bench/results-gpu.json. Without CUDA,
`python bench/gpu.py --device cpu --small` runs the same code on tiny sizes, as a smoke test of the script itself.

- Notebook tests: `nbdev_test --flags cuda` on the notebooks with `#| cuda` cells.
- Lloyd iteration: uniform data, the same starting centroids for every library, a fixed number of iterations
  (tol=0), the time per iteration differential, (t(I2) - t(I1)) / (I2 - I1), with the GPU synchronised; float32 for
  every library, and bfloat16 data for kmeans_nbdev (worked on in float32).
- Time to result: `KMeans(k, device=...)` with its defaults against each peer's defaults, on clustered data.
"""
import argparse, json, os, subprocess, sys, time
from pathlib import Path
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from kmeans_nbdev import KMeans, make_clusters, as_generator

def optional(name):
    try: return __import__(name)
    except Exception: return None
fpk, fastkmeans, flash, faiss = (optional(m) for m in ('fast_pytorch_kmeans', 'fastkmeans', 'flash_kmeans', 'faiss'))

DEADLINE = [time.monotonic() + 7.5 * 60]
def time_left()->float: return DEADLINE[0] - time.monotonic()

def sync(device):
    if torch.device(device).type == 'cuda': torch.cuda.synchronize()

def timed(f, device)->float:
    "Seconds of one call of f, the device synchronised before and after"
    sync(device); s = time.perf_counter(); f(); sync(device)
    return time.perf_counter() - s

def notebook_tests()->dict:
    "nbdev_test with the cuda flag on the notebooks that have CUDA cells"
    nbs = ['nbs/06_kmeans.ipynb', 'nbs/08_scale.ipynb']
    out = {}
    for nb in nbs:
        r = subprocess.run(['nbdev_test', '--flags', 'cuda', '--path', nb], capture_output=True, text=True,
                           timeout=max(10, int(time_left())))
        out[nb] = 'passed' if r.returncode == 0 else 'failed: ' + (r.stdout + r.stderr)[-800:]
    return out

# Each runner does `iters` Lloyd iterations on X (on the device) from `init` and returns the inertia or None.
def run_ours(X, init, iters):
    return KMeans(len(init), init=init, max_iter=iters, tol=0, algorithm='lloyd').fit(X).inertia_

def run_fpk(X, init, iters):
    km = fpk.KMeans(len(init), max_iter=iters, tol=-1, mode='euclidean')
    km.fit_predict(X.float(), centroids=init.float().clone())

def run_fastkmeans(X, init, iters):
    km = fastkmeans.FastKMeans(X.shape[1], len(init), niter=iters, tol=-1, device=str(X.device), seed=0,
                               verbose=False, max_points_per_centroid=None)
    km.train(X.float().cpu().numpy())  # it takes NumPy data and moves it itself

def run_flash(X, init, iters):
    fit = getattr(flash, 'batch_kmeans_Euclid', None) or getattr(flash, 'kmeans', None)
    fit(X.float()[None], len(init), max_iters=iters, tol=-1, init_centroids=init.float()[None])

def run_faiss(X, init, iters):
    km = faiss.Kmeans(X.shape[1], len(init), niter=iters, gpu=True, seed=0, max_points_per_centroid=len(X),
                      min_points_per_centroid=1, verbose=False)
    km.train(X.float().cpu().numpy(), init_centroids=init.float().cpu().numpy())

def peers()->dict:
    out = {'kmeans_nbdev': run_ours}
    if fpk: out['fast-pytorch-kmeans'] = run_fpk
    if fastkmeans: out['fastkmeans'] = run_fastkmeans
    if flash: out['flash-kmeans'] = run_flash
    if faiss and hasattr(faiss, 'StandardGpuResources'): out['faiss-gpu'] = run_faiss
    return out

def lloyd_case(n, d, k, device, i1=2, i2=6)->dict:
    "ms per iteration of each library, float32, and of kmeans_nbdev on bfloat16 data"
    g = torch.Generator(device=device).manual_seed(0)
    X = torch.rand(n, d, generator=g, device=device)
    init = X[torch.randperm(n, generator=g, device=device)[:k]].clone()
    runs = {name: (run, X) for name, run in peers().items()}
    runs['kmeans_nbdev, bfloat16 data'] = (run_ours, X.bfloat16())
    rows = {}
    for name, (run, data) in runs.items():
        if time_left() < 30: rows[name] = 'skipped: out of time'; continue
        try:
            run(data, init, 1)  # warm-up: kernels compiled, memory pools filled
            t1, t2 = (min(timed(lambda: run(data, init, it), device) for _ in range(2)) for it in (i1, i2))
            rows[name] = dict(ms_per_iter=1000 * (t2 - t1) / (i2 - i1), fixed_ms=1000 * max(0., t1 - i1 * (t2 - t1) / (i2 - i1)))
        except Exception as e: rows[name] = f'failed: {type(e).__name__}: {e}'[:300]
        print(f"  {name}: {rows[name]}", file=sys.stderr)
    del X
    if torch.device(device).type == 'cuda': torch.cuda.empty_cache()
    return rows

def fpk_defaults(X, k):
    "fast-pytorch-kmeans with its defaults: the inertia of its result"
    km = fpk.KMeans(k, mode='euclidean')
    labels = km.fit_predict(X)
    return ((X - km.centroids[labels]) ** 2).sum().item()

def defaults_case(n, d, k, device)->dict:
    "Seconds to a result and the inertia, each library with its defaults, on clustered data"
    X = make_clusters(k, n // k, d, spread=10., seed=0)[1].to(device)
    runs = {'kmeans_nbdev': lambda: KMeans(k, random_state=0).fit(X).inertia_}
    if fpk: runs['fast-pytorch-kmeans'] = lambda: fpk_defaults(X, k)
    out = {}
    for name, f in runs.items():
        if time_left() < 30: out[name] = 'skipped: out of time'; continue
        try:
            sync(device); s = time.perf_counter(); inertia = f(); sync(device)
            out[name] = dict(seconds=time.perf_counter() - s, inertia=inertia)
        except Exception as e: out[name] = f'failed: {type(e).__name__}: {e}'[:300]
        print(f"  defaults {name}: {out[name]}", file=sys.stderr)
    return out

def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--device', default='cuda')
    p.add_argument('--small', action='store_true', help='tiny sizes: a smoke test of this script')
    p.add_argument('--minutes', type=float, default=7.5, help='stop starting new parts after this long')
    p.add_argument('--out', default=str(Path(__file__).with_name('results-gpu.json')))
    args = p.parse_args()
    DEADLINE[0] = time.monotonic() + 60 * args.minutes
    if torch.device(args.device).type == 'cuda' and not torch.cuda.is_available(): sys.exit("CUDA is not available here")
    sizes = [(20_000, 16, 32), (50_000, 16, 64)] if args.small else [(1_000_000, 128, 1024), (10_000_000, 128, 4096)]
    res = dict(device=torch.cuda.get_device_name() if args.device.startswith('cuda') else args.device,
               torch=torch.__version__, peers=sorted(peers()))
    if not args.small: res['notebook_tests'] = notebook_tests()
    res['lloyd'] = {f'{n:,}×{d}, k={k}': lloyd_case(n, d, k, args.device) for n, d, k in sizes}
    res['defaults'] = {f'{n:,}×{d}, k={k}': defaults_case(n, d, k, args.device) for n, d, k in sizes[:1]}
    Path(args.out).write_text(json.dumps(res, indent=1))
    print(json.dumps(res, indent=1))

if __name__ == '__main__': main()
