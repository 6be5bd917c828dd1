#!/usr/bin/env python
"""Benchmark kmeans_nbdev against scikit-learn, faiss-cpu and fast-pytorch-kmeans, side by side in one process.

Run from the repository root: `python bench/run.py` (add `--quick` for small sizes only). Needs the dev extras plus
`pip install faiss-cpu fast-pytorch-kmeans`; a missing peer is skipped, not fatal. Writes bench/results.json and prints
markdown tables. Every library gets the same data and the same initial centroids.

- Lloyd iteration time is differential: (t(I2 iterations) - t(I1 iterations)) / (I2 - I1), each the best of a few runs
  after a warm-up, so that fixed per-fit costs (validation, copies, thread start-up) don't blur it; the fixed cost is
  t(I1) - I1 * per-iteration. tol=0 and unstructured data, so that nobody stops early (checked via n_iter where a
  library reports it).
- The compute floor is a bare torch.mm of the same shapes (chunked, so that it needs no n x k output).
- Peak memory is the largest rise of anonymous resident memory (RssAnon) during one fit, sampled every millisecond in
  a fresh process (after a small warm-up fit), relative to the data's size.
"""
import argparse, json, math, os, platform, subprocess, sys, threading, time
from pathlib import Path
import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from kmeans_nbdev import KMeans, kmeans_plusplus, as_generator
from kmeans_nbdev.engine import chunk_rows
from kmeans_nbdev.kernel import load_kernel

try: import sklearn; from sklearn.cluster import KMeans as SkKMeans, kmeans_plusplus as sk_kmeans_plusplus
except ImportError: sklearn = None
try: import faiss
except ImportError: faiss = None
try: import fast_pytorch_kmeans
except ImportError: fast_pytorch_kmeans = None

def rss_anon():
    "Anonymous resident memory of this process, in bytes"
    for line in open('/proc/self/status'):
        if line.startswith('RssAnon:'): return int(line.split()[1]) * 1024
    return 0

class PeakMemory:
    "Context manager sampling RssAnon every millisecond; `.peak` is the largest rise over the start, in bytes"
    def __enter__(self):
        self.base, self.peak, self.running = rss_anon(), 0, True
        self.thread = threading.Thread(target=self._sample, daemon=True); self.thread.start(); return self
    def _sample(self):
        while self.running: self.peak = max(self.peak, rss_anon() - self.base); time.sleep(0.001)
    def __exit__(self, *a): self.running = False; self.thread.join(); self.peak = max(self.peak, rss_anon() - self.base)

def best(f, repeat):
    "Best wall time of `f()` over `repeat` runs, after one warm-up run; returns (seconds, last result)"
    res = f(); times = []
    for _ in range(repeat):
        s = time.perf_counter(); res = f(); times.append(time.perf_counter() - s)
    return min(times), res

# Each runner fits from `init` for exactly `iters` Lloyd iterations (tol=0) and returns (inertia, n_iter or None).
def run_ours(X, init, iters):
    km = KMeans(len(init), init=init, n_init=1, max_iter=iters, tol=0, algorithm='lloyd').fit(X)
    return km.inertia_, km.n_iter_

def run_ours_plain(X, init, iters):
    "kmeans_nbdev without its compiled kernel: the plain PyTorch pass"
    os.environ['KMEANS_NBDEV_KERNEL'] = 'torch'
    try: return run_ours(X, init, iters)
    finally: del os.environ['KMEANS_NBDEV_KERNEL']

def run_sklearn(X, init, iters, algorithm='lloyd'):
    km = SkKMeans(len(init), init=init.numpy(), n_init=1, max_iter=iters, tol=0, algorithm=algorithm).fit(X.numpy())
    return km.inertia_, km.n_iter_

def run_faiss(X, init, iters):
    km = faiss.Kmeans(X.shape[1], len(init), niter=iters, verbose=False, seed=0,
                      max_points_per_centroid=len(X), min_points_per_centroid=1)
    km.train(X.numpy(), init_centroids=init.numpy())
    return float(km.obj[-1]), None  # faiss reports the objective of the assignment in its last iteration

def run_fpk(X, init, iters):
    km = fast_pytorch_kmeans.KMeans(len(init), max_iter=iters, tol=-1, mode='euclidean')
    labels = km.fit_predict(X, centroids=init.clone())
    return ((X - km.centroids[labels]) ** 2).sum().item(), None

def run_broadcast(X, init, iters):
    "The tutorial's version: broadcast distances, loop over clusters for the means"
    c = init.clone()
    for _ in range(iters):
        labels = ((X[:, None] - c[None]) ** 2).sum(-1).argmin(1)
        c = torch.stack([X[labels == j].mean(0) if (labels == j).any() else c[j] for j in range(len(c))])
    return ((X - c[((X[:, None] - c[None]) ** 2).sum(-1).argmin(1)]) ** 2).sum().item(), None

def floor_mm(X, init, iters):
    "A bare chunked torch.mm of the step's shapes, `iters` times: no library can do a step faster"
    rows = chunk_rows(X.shape[1], len(init))  # the same chunks as kmeans_nbdev
    out = torch.empty(rows, len(init)); ct = init.T.contiguous()
    for _ in range(iters):
        for s in range(0, len(X), rows):
            xc = X[s:s + rows]; torch.mm(xc, ct, out=out[:len(xc)])
    return None, None

def per_iteration(runner, X, init, i1, i2, repeat):
    "Differential time per iteration, fixed cost, inertia after i2 iterations, n_iter check"
    t1, _ = best(lambda: runner(X, init, i1), repeat)
    t2, (inertia, n_iter) = best(lambda: runner(X, init, i2), repeat)
    per = (t2 - t1) / (i2 - i1)
    return dict(ms_per_iter=1000 * per, fixed_ms=1000 * (t1 - i1 * per), inertia=inertia, n_iter=n_iter)

def make_data(n, d, k):
    "The Lloyd cases' data: uniform, no cluster structure, so Lloyd keeps moving; and k random points as the start"
    g = as_generator(0)
    X = torch.rand(n, d, generator=g)
    return X, X[torch.randperm(n, generator=g)[:k]].clone()

def peak_memory(name, n, d, k, iters):
    "Peak extra anonymous memory of one fit, measured in a fresh process so that no freed memory is reused"
    import subprocess
    # glibc keeps freed heap blocks below its (adaptive) mmap threshold, so resident memory would count memory no
    # longer in use; a fixed threshold returns big blocks when freed. The same setting for every library.
    env = dict(os.environ, MALLOC_MMAP_THRESHOLD_='65536')
    r = subprocess.run([sys.executable, __file__, '--mem-child', name, str(n), str(d), str(k), str(iters)],
                       capture_output=True, text=True, env=env)
    return int(r.stdout.strip().splitlines()[-1]) if r.returncode == 0 else float('nan')

def mem_child(name, n, d, k, iters):
    X, init = make_data(n, d, k)
    runner = PEERS()[name]
    runner(X[:10 * k], init, 1)  # warm up: thread pools and first-use allocations are not the fit's memory
    with PeakMemory() as pm: runner(X, init, iters)
    print(pm.peak)

def lloyd_case(n, d, k, i1, i2, repeat, peers):
    X, init = make_data(n, d, k)
    rows = {}
    for name, runner in peers.items():
        if name == 'tutorial broadcast' and n * k * d > 5e7: continue
        if name == 'fast-pytorch-kmeans' and n * k > 3e8: continue
        r = per_iteration(runner, X, init, i1, i2, repeat if name != 'fast-pytorch-kmeans' else 1)
        if name != 'torch.mm floor': r['peak_mem_frac'] = peak_memory(name, n, d, k, i1) / (X.numel() * 4)
        rows[name] = r
        print(f"  {name}: {r['ms_per_iter']:.1f} ms/iter", file=sys.stderr)
    return rows

def seeding_case(n, d, k, repeat):
    g = as_generator(0)
    X = torch.rand(n, d, generator=g)
    res = {'kmeans_nbdev kmeans_plusplus': 1000 * best(lambda: kmeans_plusplus(X, k, as_generator(0)), repeat)[0]}
    if sklearn: res['scikit-learn kmeans_plusplus'] = 1000 * best(lambda: sk_kmeans_plusplus(X.numpy(), k, random_state=0), repeat)[0]
    return res

def converge_case(n, d, k, repeat):
    "Time to converge from the same start with tol=1e-4, on data with cluster structure"
    from kmeans_nbdev import make_clusters
    _, X = make_clusters(k, n // k, d, spread=10., seed=0)
    init = kmeans_plusplus(X, k, as_generator(1))
    res = {}
    for alg in ('lloyd', 'hamerly'):
        t, km = best(lambda: KMeans(k, init=init, n_init=1, algorithm=alg).fit(X), repeat)
        res[f'kmeans_nbdev {alg}'] = dict(seconds=t, inertia=km.inertia_, n_iter=km.n_iter_)
    if sklearn:
        for alg in ('lloyd', 'elkan'):
            t, km = best(lambda: SkKMeans(k, init=init.numpy(), n_init=1, algorithm=alg).fit(X.numpy()), repeat)
            res[f'scikit-learn {alg}'] = dict(seconds=t, inertia=km.inertia_, n_iter=km.n_iter_)
    return res

def out_of_core_case(gb=2.0, budget=2**28, d=64, k=64, i1=1, i2=3):
    "Seconds per Lloyd iteration and peak anonymous memory, fitting a memory-mapped .npy file of `gb` GB"
    import tempfile
    path = Path(tempfile.mkdtemp())/'big.npy'
    n = int(gb * 2**30) // (4 * d)
    mm = np.lib.format.open_memmap(path, mode='w+', dtype=np.float32, shape=(n, d))
    g = np.random.default_rng(0)
    for s in range(0, n, 2**20): mm[s:s + 2**20] = g.random((min(2**20, n - s), d), dtype=np.float32)
    mm.flush(); del mm
    env = dict(os.environ, MALLOC_MMAP_THRESHOLD_='65536')
    r = subprocess.run([sys.executable, __file__, '--ooc-child', str(path), str(k), str(budget), str(i1), str(i2)],
                       capture_output=True, text=True, env=env)
    path.unlink()
    if r.returncode: return dict(error=r.stderr[-500:])
    res = json.loads(r.stdout.strip().splitlines()[-1])
    return dict(file_gb=gb, rows=n, d=d, k=k, budget_mb=budget / 2**20, **res)

def ooc_child(path, k, budget, i1, i2):
    X = np.load(path, mmap_mode='r')
    init = np.array(X[:k])
    times = {}
    with PeakMemory() as pm:
        for it in (i1, i2):
            s = time.perf_counter(); KMeans(k, init=init, max_iter=it, tol=0, algorithm='lloyd', chunk_bytes=budget).fit(X)
            times[it] = time.perf_counter() - s
    per = (times[i2] - times[i1]) / (i2 - i1)
    print(json.dumps(dict(s_per_iter=per, fixed_s=times[i1] - i1 * per, peak_anon_mb=pm.peak / 2**20)))

DIST_SCRIPT = """
import json, sys, time, numpy as np, torch, torch.distributed as dist
from kmeans_nbdev import KMeans
n, d, k, i1, i2 = map(int, sys.argv[1:6])
world = int(__import__('os').environ.get('WORLD_SIZE', '1'))
if world > 1: dist.init_process_group('gloo')
rank = dist.get_rank() if world > 1 else 0
X = torch.rand(n, d, generator=torch.Generator().manual_seed(0))
init = X[:k].clone()
shard = X[rank * n // world:(rank + 1) * n // world].clone(); del X
def t(it):
    best = 1e9
    for _ in range(2):
        s = time.perf_counter(); km = KMeans(k, init=init, max_iter=it, tol=0, algorithm='lloyd').fit(shard)
        best = min(best, time.perf_counter() - s)
    return best, km
(t1, _), (t2, km) = t(i1), t(i2)
if rank == 0: print(json.dumps(dict(processes=world, threads_each=torch.get_num_threads(), ms_per_iter=1000 * (t2 - t1) / (i2 - i1), inertia=km.inertia_)))
if world > 1: dist.destroy_process_group()
"""

def distributed_case(n=400_000, d=32, k=64, i1=2, i2=6):
    "Lloyd iteration time on the same data: one process with all threads, and two gloo processes of one thread each"
    import tempfile, socket
    script = Path(tempfile.mkdtemp())/'dist_bench.py'; script.write_text(DIST_SCRIPT)
    out = []
    for nproc in (1, 2):
        with socket.socket() as sk: sk.bind(('127.0.0.1', 0)); port = sk.getsockname()[1]
        cmd = [sys.executable, '-m', 'torch.distributed.run', f'--nproc_per_node={nproc}', '--master_addr=127.0.0.1',
               f'--master_port={port}', str(script)] if nproc > 1 else [sys.executable, str(script)]
        r = subprocess.run(cmd + list(map(str, (n, d, k, i1, i2))), capture_output=True, text=True, timeout=600)
        out.append(json.loads(r.stdout.strip().splitlines()[-1]) if r.returncode == 0 else dict(processes=nproc, error=r.stderr[-500:]))
    return dict(n=n, d=d, k=k, runs=out)

def table(rows, ref_names=('scikit-learn lloyd', 'faiss-cpu', 'torch.mm floor')):
    refs = [r for r in ref_names if r in rows]
    lines = ['| library | ms/iter | fixed ms | ' + ' | '.join(f'x {r}' for r in refs) + ' | peak mem / data | inertia |',
             '|---' * (5 + len(refs)) + '|']
    for name, r in rows.items():
        ratios = ' | '.join(f"{r['ms_per_iter'] / rows[x]['ms_per_iter']:.2f}" for x in refs)
        mem = f"{r['peak_mem_frac']:.2f}" if 'peak_mem_frac' in r else ''
        inertia = f"{r['inertia']:.6g}" if r.get('inertia') is not None else ''
        lines.append(f"| {name} | {r['ms_per_iter']:.1f} | {r['fixed_ms']:.0f} | {ratios} | {mem} | {inertia} |")
    return '\n'.join(lines)

def PEERS():
    "The libraries found, by name"
    peers = {'kmeans_nbdev': run_ours}
    if load_kernel() is not None: peers['kmeans_nbdev, plain PyTorch'] = run_ours_plain
    if sklearn: peers['scikit-learn lloyd'] = run_sklearn
    if faiss: peers['faiss-cpu'] = run_faiss
    if fast_pytorch_kmeans: peers['fast-pytorch-kmeans'] = run_fpk
    peers['tutorial broadcast'] = run_broadcast
    peers['torch.mm floor'] = floor_mm
    return peers

def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--quick', action='store_true', help='small sizes only, for a smoke test')
    p.add_argument('--out', default=str(Path(__file__).with_name('results.json')))
    p.add_argument('--mem-child', nargs=5, help=argparse.SUPPRESS)
    p.add_argument('--ooc-child', nargs=5, help=argparse.SUPPRESS)
    p.add_argument('--only', choices=['lloyd', 'scale'], help='run only one part')
    args = p.parse_args()
    if args.mem_child:
        name, *sizes = args.mem_child
        return mem_child(name, *map(int, sizes))
    if args.ooc_child:
        path, *sizes = args.ooc_child
        return ooc_child(path, *map(int, sizes))
    peers = PEERS()
    cases = [(50_000, 2, 6, 3, 8, 3)] if args.quick else \
            [(200_000, 32, 64, 3, 8, 3), (1_000_000, 64, 256, 2, 5, 2), (50_000, 2, 6, 3, 8, 3)]
    env = dict(python=platform.python_version(), torch=torch.__version__, threads=torch.get_num_threads(),
               compiled_kernel=load_kernel() is not None,
               cpu=platform.processor() or platform.machine(), cores=os.cpu_count(),
               sklearn=getattr(sklearn, '__version__', None), faiss=getattr(faiss, '__version__', None),
               fast_pytorch_kmeans=getattr(fast_pytorch_kmeans, '__version__', 'installed' if fast_pytorch_kmeans else None))
    out = Path(args.out)
    results = json.loads(out.read_text()) if args.only and out.exists() else {}
    results['env'] = env
    if args.only != 'scale':
        results.update(lloyd={}, seeding={}, converge={})
        for n, d, k, i1, i2, rep in cases:
            key = f"n={n} d={d} k={k}"
            print(f"Lloyd iteration, {key}", file=sys.stderr)
            results['lloyd'][key] = lloyd_case(n, d, k, i1, i2, rep, peers)
        sn, sd, sk = (50_000, 2, 6) if args.quick else (200_000, 32, 64)
        results['seeding'][f"n={sn} d={sd} k={sk}"] = seeding_case(sn, sd, sk, 2)
        results['converge'][f"n={sn} d={sd} k={sk}"] = converge_case(sn, sd, sk, 2)
    if args.only != 'lloyd':
        print("out-of-core and distributed", file=sys.stderr)
        results['out_of_core'] = out_of_core_case(0.1 if args.quick else 2.0, 2**24 if args.quick else 2**28)
        results['distributed'] = distributed_case(*((40_000, 8, 16) if args.quick else ()))
    out.write_text(json.dumps(results, indent=1))
    print(f"# kmeans_nbdev benchmark\n\n{env}\n")
    for key, rows in results.get('lloyd', {}).items(): print(f"## Lloyd iteration, {key}\n\n{table(rows)}\n")
    for key, rows in results.get('seeding', {}).items():
        print(f"## k-means++ seeding, {key}\n\n" + '\n'.join(f"- {n}: {ms:.0f} ms" for n, ms in rows.items()) + '\n')
    for key, rows in results.get('converge', {}).items():
        print(f"## Time to converge (tol=1e-4, same start), {key}\n\n" +
              '\n'.join(f"- {n}: {r['seconds']:.3f} s, {r['n_iter']} iterations, inertia {r['inertia']:.6g}" for n, r in rows.items()))
    if 'out_of_core' in results: print(f"\n## Out-of-core\n\n{results['out_of_core']}")
    if 'distributed' in results: print(f"\n## Distributed\n\n{results['distributed']}")

if __name__ == '__main__': main()
