#!/usr/bin/env python
"""Benchmark kmeans_nbdev against scikit-learn, scikit-learn-intelex, faiss, fast-pytorch-kmeans and fastkmeans.

Run from the repository root: `python bench/run.py` (`--quick` for small sizes only, `--busy` to keep one core busy
with a spinning process for the whole run, `--only PART`; `--only rounds` measures ours and scikit-learn quiet and
busy in alternating rounds, into bench/results-rounds.json). Needs the dev extras; the peers are optional
(`pip install faiss-cpu scikit-learn-intelex fast-pytorch-kmeans fastkmeans`): a missing one is skipped. Writes
bench/results.json (bench/results-busy.json with --busy) and prints markdown tables. Speed is measured here, never in
a test.

- Lloyd iteration: every library gets the same data (uniform, no clusters, so that nobody stops early) and the same
  starting centroids, and runs a fixed number of iterations with tol=0. The time per iteration is differential,
  (t(I2) - t(I1)) / (I2 - I1), so that what a library does once per fit doesn't blur it; that once-per-fit cost is
  reported as "fixed". Each time is the best of a few runs: after a warm-up, each library fits I1 and I2 iterations
  back to back (in alternating order), the libraries taking turns, for a few rounds, so that the two bests are taken
  over the same minutes (the machine's speed drifts) and each is the run least slowed by whatever else ran then.
- The compute floor is the step's matrix products alone (torch.mm, chunked), at this machine's rate.
- Defaults: each library's own defaults (k-means++ seeding, its own stopping rule), to convergence, on clustered
  data: time to result and the inertia reached. A fit of a few milliseconds is the best of many, the libraries
  taking turns over 5 rounds.
- Seeding quality: the k-means++ potential over many seeds, ours against scikit-learn's (mean and standard error).
- Quiet and busy in rounds (`--only rounds`): for each Lloyd case, ours and scikit-learn are timed as above with the
  machine quiet and then with a process spinning on one core (or the other way round: the order alternates from one
  round to the next), for a few rounds, so that a quiet and a busy figure are always minutes apart, not a whole run.
- Peak memory: the largest rise of anonymous resident memory (RssAnon) during one fit, sampled every millisecond in a
  fresh process, relative to the data's size: for each Lloyd case (from the same start), and for a default fit
  (k-means++ seeding, then a few steps) at 1M×64, k=256.
"""
import argparse, importlib.metadata, json, math, os, platform, subprocess, sys, threading, time
from contextlib import contextmanager
from pathlib import Path
import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from kmeans_nbdev import KMeans, as_generator, make_clusters
from kmeans_nbdev.kernel import load_kernel, kernel_plusplus

def optional(name):
    try: return __import__(name)
    except Exception: return None
sklearn, faiss, fpk, fastkmeans = optional('sklearn'), optional('faiss'), optional('fast_pytorch_kmeans'), optional('fastkmeans')
sklearnex = optional('sklearnex')
if sklearn: from sklearn.cluster import KMeans as SkKMeans, kmeans_plusplus as sk_kmeans_plusplus
if sklearnex: from sklearnex.cluster import KMeans as ExKMeans

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

# Each runner fits from `init` for `iters` Lloyd iterations (tol=0) and returns (inertia, iterations run): a library
# that stops when no label changes may run fewer, which the per-iteration time allows for.
def ours(algorithm='lloyd', kernel='auto'):
    def run(X, init, iters):
        os.environ['KMEANS_NBDEV_KERNEL'] = kernel
        try: km = KMeans(len(init), init=init, max_iter=iters, tol=0, algorithm=algorithm).fit(X)
        finally: del os.environ['KMEANS_NBDEV_KERNEL']
        return km.inertia_, km.n_iter_
    return run

def run_sklearn(X, init, iters):
    km = SkKMeans(len(init), init=init.numpy(), n_init=1, max_iter=iters, tol=0, algorithm='lloyd').fit(X.numpy())
    return km.inertia_, km.n_iter_

def run_sklearnex(X, init, iters):
    km = ExKMeans(len(init), init=init.numpy(), n_init=1, max_iter=iters, tol=0).fit(X.numpy())
    return km.inertia_, km.n_iter_

def run_faiss(X, init, iters):
    km = faiss.Kmeans(X.shape[1], len(init), niter=iters, verbose=False, seed=0, max_points_per_centroid=len(X),
                      min_points_per_centroid=1)
    km.train(np.ascontiguousarray(X.numpy(), dtype=np.float32), init_centroids=init.float().numpy())
    return float(km.obj[-1]), iters  # faiss reports the objective of its last iteration's assignment

def run_fpk(X, init, iters):
    km = fpk.KMeans(len(init), max_iter=iters, tol=-1, mode='euclidean')
    labels = km.fit_predict(X, centroids=init.clone())
    return ((X - km.centroids[labels]) ** 2).sum().item(), iters

def run_fastkmeans(X, init, iters):
    km = fastkmeans.FastKMeans(X.shape[1], len(init), niter=iters, tol=-1, device='cpu', seed=0, verbose=False,
                               max_points_per_centroid=None)
    km.train(X.float().numpy())
    return None, iters  # fastkmeans takes no starting centroids: its time is comparable, its inertia is not

def floor_mm(X, init, iters):
    "The step's matrix products alone, chunk by chunk, over the threads as kmeans_nbdev's pass splits the rows"
    from kmeans_nbdev.inputs import as_source
    from kmeans_nbdev.engine import FullPass
    from kmeans_nbdev.init import torch_serial, in_tasks
    p = FullPass(as_source(X), len(init))
    ct = init.T.contiguous()
    def work(i, t):
        out = p.ws[t]['table']
        for a, b in p.chunks(i): torch.mm(X[a:b], ct, out=out[:b - a])
    for _ in range(iters):
        if p.threads == 1:  # PyTorch's own threads share each product
            for i in range(len(p.tasks)): work(i, 0)
        else:
            with torch_serial(): in_tasks(work, len(p.tasks), p.threads)  # threads own chunks, as in the pass
    return None, iters

def floor_big(X, init, iters):
    "The step's matrix product as one big torch.mm with PyTorch's own threads (memory aside, the best GEMM rate)"
    out, ct = torch.empty(len(X), len(init), dtype=X.dtype), init.T.contiguous()
    for _ in range(iters): torch.mm(X, ct, out=out)
    return None, iters

def peers(dtype):
    "The libraries to compare on data of `dtype`, by name"
    out = {'ours (default: auto)': ours('auto'), 'ours, Lloyd': ours('lloyd')}
    if load_kernel() is not None and dtype == torch.float32: out['ours, Lloyd, no C kernel'] = ours('lloyd', 'torch')
    if sklearn: out['scikit-learn'] = run_sklearn
    if sklearnex: out['scikit-learn-intelex'] = run_sklearnex
    if faiss and dtype == torch.float32: out['faiss'] = run_faiss
    if fpk and dtype == torch.float32: out['fast-pytorch-kmeans'] = run_fpk
    if fastkmeans and dtype == torch.float32: out['fastkmeans'] = run_fastkmeans
    out['compute floor (chunked torch.mm)'] = floor_mm
    out['compute floor (one big torch.mm)'] = floor_big
    return out

def make_data(n, d, k, dtype=torch.float32):
    "Uniform data with no cluster structure (so that Lloyd keeps moving), and k of its points as the start"
    g = as_generator(0)
    X = torch.rand(n, d, generator=g, dtype=dtype)
    return X, X[torch.randperm(n, generator=g)[:k]].clone()

def paired(runs:dict, repeat:int)->dict:
    "Best wall times of f1 and of f2 for each of `runs` (name -> (f1, f2)), over `repeat` rounds after a warm-up"
    for f1, f2 in runs.values(): f1(); f2()
    times = {name: ([], []) for name in runs}
    for r in range(repeat):
        for name, fs in runs.items():  # each library's two fits back to back, the libraries taking turns
            for which in ((0, 1) if r % 2 == 0 else (1, 0)):  # the order alternates
                s = time.perf_counter(); fs[which](); times[name][which].append(time.perf_counter() - s)
    return {name: (min(t1), min(t2)) for name, (t1, t2) in times.items()}

def peak_memory(name, n, d, k, dtype, iters):
    "Peak extra anonymous memory of one fit, in a fresh process (so that no freed memory is reused)"
    env = dict(os.environ, MALLOC_MMAP_THRESHOLD_='65536')  # the same glibc setting for every library: freed big blocks go back
    r = subprocess.run([sys.executable, __file__, '--mem-child', name, str(n), str(d), str(k), str(dtype).split('.')[-1],
                        str(iters)], capture_output=True, text=True, env=env, timeout=3600)
    return int(r.stdout.strip().splitlines()[-1]) if r.returncode == 0 else None

DEFAULTS = {'ours': lambda X, k, iters: KMeans(k, random_state=0, max_iter=iters).fit(X),
            'scikit-learn': lambda X, k, iters: SkKMeans(k, random_state=0, max_iter=iters).fit(X.numpy()),
            'scikit-learn-intelex': lambda X, k, iters: ExKMeans(k, random_state=0, max_iter=iters).fit(X.numpy())}

def mem_child(name, n, d, k, dtype, iters):
    "Print the peak extra memory of one fit: a peer from `init` (see `peers`), or 'default NAME' (seeding included)"
    dtype = getattr(torch, dtype)
    X, init = make_data(n, d, k, dtype)
    if name.startswith('default '):
        fit = DEFAULTS[name[len('default '):]]
        run = lambda X, init, iters: fit(X, len(init), iters)
    else: run = peers(dtype)[name]
    run(X[:min(n, max(10 * k, 2**15))], init, 1)  # warm up, on rows enough for every thread to start (see pass_threads):
    # thread pools and first-use allocations (MKL's buffers for each thread, say) are not the fit's memory
    with PeakMemory() as pm: run(X, init, iters)
    print(pm.peak)

def default_memory_case(n, d, k, iters=5):
    "Peak extra memory of a default fit (k-means++ seeding, then `iters` steps: the peak comes early), over the data's size"
    libs = [lib for lib, m in (('ours', True), ('scikit-learn', sklearn), ('scikit-learn-intelex', sklearnex)) if m]
    peaks = {lib: peak_memory(f'default {lib}', n, d, k, torch.float32, iters) for lib in libs}
    return {lib: None if p is None else p / (n * d * 4) for lib, p in peaks.items()}

def lloyd_case(n, d, k, dtype, i1, i2, repeat, reps=1, memory=True, libs=None):
    "ms per iteration, fixed cost, inertia and peak memory of every library (or of `libs`) on one shape (a timing: `reps` fits)"
    X, init = make_data(n, d, k, dtype)
    libs = {name: run for name, run in peers(dtype).items() if not (name == 'fast-pytorch-kmeans' and n * k > 3e8)
            and (libs is None or name in libs)}
    rows = timed_fits({name: (lambda it, run=run: run(X, init, it)) for name, run in libs.items()}, i1, i2, repeat, reps)
    for name in rows:
        if memory and not name.startswith('compute floor'):
            peak = peak_memory(name, n, d, k, dtype, i1)
            rows[name]['peak_mem_frac'] = None if peak is None else peak / (X.numel() * X.element_size())
    return rows

def defaults_case(name, X, k, repeat=1, libs=None):
    "Each library with its own defaults, to its own convergence: seconds and inertia (only `libs`, if given)"
    runs = {'ours': lambda: KMeans(k, random_state=0).fit(X)}
    if sklearn: runs['scikit-learn'] = lambda: SkKMeans(k, random_state=0).fit(X.numpy())
    if sklearnex: runs['scikit-learn-intelex'] = lambda: ExKMeans(k, random_state=0).fit(X.numpy())
    order, best = [lib for lib in runs if not libs or lib in libs], {}
    # A short fit is timed `repeat` times in each of 5 rounds, the libraries taking turns (in alternating order), so
    # that every best comes from the same seconds: best of 20 back to back spans some 40 ms, and on this machine one
    # such window has taken a third as long again as another.
    for r in range(5 if repeat > 1 else 1):
        for lib in order if r % 2 == 0 else order[::-1]:
            for _ in range(repeat):
                s = time.perf_counter(); km = runs[lib](); t = time.perf_counter() - s
                if lib not in best or t < best[lib][0]: best[lib] = t, km
    out = {}
    for lib in order:
        t, km = best[lib]
        out[lib] = dict(seconds=t, inertia=float(km.inertia_), n_iter=int(km.n_iter_))
        print(f"  defaults, {name}, {lib}: {t:.4f} s, inertia {km.inertia_:.6g}", file=sys.stderr)
    return out

def seeding_case(n, d, k, seeds):
    "k-means++: time of one seeding, and the potential's mean and standard error over `seeds` seeds"
    X = torch.rand(n, d, generator=as_generator(0))
    pot = lambda c: torch.cdist(X, torch.as_tensor(c)).min(1).values.pow(2).sum().item()
    out = {}
    libs = {'ours': lambda s: kernel_plusplus(X, k, as_generator(s))}  # KMeans's k-means++
    if sklearn: libs['scikit-learn'] = lambda s: sk_kmeans_plusplus(X.numpy(), k, random_state=s)[0]
    for lib, f in libs.items():
        times, pots = [], []
        for s in range(seeds):
            t = time.perf_counter(); c = f(s); times.append(time.perf_counter() - t); pots.append(pot(c))
        pots = np.array(pots)
        out[lib] = dict(ms=1000 * float(np.median(times)), potential=float(pots.mean()), se=float(pots.std() / math.sqrt(seeds)))
    return out

def out_of_core_case(gb, budget, d=64, k=64, i1=1, i2=3):
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
    return dict(file_gb=gb, rows=n, d=d, k=k, budget_mb=budget / 2**20, **json.loads(r.stdout.strip().splitlines()[-1]))

def ooc_child(path, k, budget, i1, i2):
    X = np.load(path, mmap_mode='r')
    init, times = np.array(X[:k]), {}
    with PeakMemory() as pm:
        for it in (i1, i2):
            s = time.perf_counter(); KMeans(k, init=init, max_iter=it, tol=0, algorithm='lloyd', chunk_bytes=budget).fit(X)
            times[it] = time.perf_counter() - s
    per = (times[i2] - times[i1]) / (i2 - i1)
    print(json.dumps(dict(s_per_iter=per, fixed_s=max(0, times[i1] - i1 * per), peak_anon_mb=pm.peak / 2**20)))

DIST_SCRIPT = """
import json, os, sys, time, torch, torch.distributed as dist
from kmeans_nbdev import KMeans
n, d, k, i1, i2 = map(int, sys.argv[1:6])
world = int(os.environ.get('WORLD_SIZE', '1'))
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

@contextmanager
def spinning(on:bool=True):
    "A context in which a second process spins on one core (nothing when `on` is false)"
    p = subprocess.Popen([sys.executable, '-c', 'while True: pass']) if on else None
    if p: time.sleep(0.5)  # let it start
    try: yield
    finally:
        if p: p.kill(); p.wait()

ROUND_LIBS = ('ours (default: auto)', 'ours, Lloyd', 'scikit-learn')

def rounds_case(n, d, k, dtype, i1, i2, repeat, reps, rounds, libs=ROUND_LIBS)->list:
    "ms per iteration of `libs` on one shape, quiet and busy, in `rounds` rounds whose order alternates"
    X, init = make_data(n, d, k, dtype)
    runs = {name: (lambda it, run=run: run(X, init, it)) for name, run in peers(dtype).items() if name in libs}
    out = []
    for r in range(rounds):
        rec = {}
        for mode in (('quiet', 'busy') if r % 2 == 0 else ('busy', 'quiet')):
            print(f" round {r + 1}, {mode}", file=sys.stderr)
            with spinning(mode == 'busy'): rows = timed_fits(runs, i1, i2, repeat, reps)
            rec[mode] = {name: row['ms_per_iter'] for name, row in rows.items()}
        out.append(rec)
    return out

def timed_fits(runs:dict, i1:int, i2:int, repeat:int, reps:int=1)->dict:
    "ms per iteration and fixed ms of `runs` (name -> run(iters) -> (inertia, iterations run)), from paired fits (a timing: `reps` fits)"
    ran = {i1: {}, i2: {}}
    def fit(name, run, iters):
        def f():
            for _ in range(reps): ran[iters][name] = run(iters)
        return f
    t = paired({name: (fit(name, run, i1), fit(name, run, i2)) for name, run in runs.items()}, repeat)
    out = {}
    for name, (t1, t2) in t.items():
        (_, n1), (inertia, n2) = ran[i1][name], ran[i2][name]
        per = (t2 - t1) / max(1, n2 - n1) / reps
        out[name] = dict(ms_per_iter=1000 * per, fixed_ms=1000 * max(0., t1 / reps - n1 * per), inertia=inertia,
                         iterations=(n1, n2))
        print(f"  {name}: {out[name]['ms_per_iter']:.2f} ms/iter", file=sys.stderr)
    return out

def cosine_case(n, d, k, i1=2, i2=10, repeat=4):
    "Spherical K-means from the same start: ours, fast-pytorch-kmeans' cosine mode, scikit-learn on the normalised rows"
    from kmeans_nbdev import SphericalKMeans
    g = as_generator(0)
    X = torch.nn.functional.normalize(torch.randn(n, d, generator=g), dim=1)
    init = X[torch.randperm(n, generator=g)[:k]].clone()
    def ours(it):
        km = SphericalKMeans(k, init=init, max_iter=it, tol=0).fit(X)
        return km.inertia_, km.n_iter_
    runs = {'ours (SphericalKMeans)': ours}
    if fpk:
        def fpk_cos(it):
            fpk.KMeans(k, max_iter=it, tol=-1, mode='cosine').fit_predict(X, centroids=init.clone()); return None, it
        runs['fast-pytorch-kmeans (cosine)'] = fpk_cos
    if sklearn:
        def sk(it):
            km = SkKMeans(k, init=init.numpy(), n_init=1, max_iter=it, tol=0, algorithm='lloyd').fit(X.numpy())
            return km.inertia_, km.n_iter_
        runs['scikit-learn (Euclidean, normalised rows)'] = sk
    return timed_fits(runs, i1, i2, repeat)

def batched_case(B, n, d, k, i1=2, i2=10, repeat=4):
    "B independent problems from the same starts: ours in one batch, fast-pytorch-kmeans' MultiKMeans, scikit-learn one by one"
    from kmeans_nbdev import BatchedKMeans
    g = as_generator(0)
    X = torch.rand(B, n, d, generator=g)
    init = torch.stack([x[torch.randperm(n, generator=g)[:k]] for x in X])
    def ours(it):
        km = BatchedKMeans(k, init=init, max_iter=it, tol=0).fit(X)
        return float(torch.as_tensor(km.inertia_).sum()), int(torch.as_tensor(km.n_iter_).max())
    runs = {'ours (BatchedKMeans)': ours}
    if fpk:
        def fpk_multi(it):
            fpk.MultiKMeans(k, max_iter=it, tol=-1).fit_predict(X, centroids=init.clone()); return None, it
        runs['fast-pytorch-kmeans (MultiKMeans)'] = fpk_multi
    if sklearn:
        def sk(it):
            fits = [SkKMeans(k, init=c.numpy(), n_init=1, max_iter=it, tol=0, algorithm='lloyd').fit(x.numpy()) for x, c in zip(X, init)]
            return sum(f.inertia_ for f in fits), max(f.n_iter_ for f in fits)
        runs['scikit-learn, one problem at a time'] = sk
    return timed_fits(runs, i1, i2, repeat)

def machine()->dict:
    "What the figures were measured on"
    cpu = next((l.split(':', 1)[1].strip() for l in open('/proc/cpuinfo') if l.startswith('model name')), platform.machine())
    mem = next((int(l.split()[1]) // 2**20 for l in open('/proc/meminfo') if l.startswith('MemTotal')), None)
    def version(m, dist):  # the installed distribution's version (sklearnex's own __version__ is a placeholder)
        if not m: return None
        try: return importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError: return getattr(m, '__version__', 'installed')
    return dict(cpu=cpu, cores=os.cpu_count(), memory_gb=mem, load_before=os.getloadavg()[0], python=platform.python_version(),
                torch=torch.__version__, threads=torch.get_num_threads(), compiled_kernel=load_kernel() is not None,
                sklearn=version(sklearn, 'scikit-learn'), sklearnex=version(sklearnex, 'scikit-learn-intelex'),
                faiss=version(faiss, 'faiss-cpu'), fast_pytorch_kmeans=version(fpk, 'fast-pytorch-kmeans'),
                fastkmeans=version(fastkmeans, 'fastkmeans'))

# The iterations I1 < I2 are far enough apart that I2 - I1 iterations take much longer than a fit's fixed cost varies
CASES = [  # name, n, d, k, dtype, i1, i2, repeat, reps
    ('tutorial 1500×2, k=6', 1500, 2, 6, torch.float32, 1, 11, 40, 20),  # its labels settle at step 12: measure below that, 20 fits at a time; ours' step (a few µs) is near the resolution: best of 40
    ('50k×2, k=6', 50_000, 2, 6, torch.float32, 2, 42, 15, 1),
    ('200k×32, k=64, float32', 200_000, 32, 64, torch.float32, 2, 12, 10, 1),  # a fit is a tenth of a second: best of 10
    ('200k×32, k=64, float64', 200_000, 32, 64, torch.float64, 2, 12, 10, 1),
    ('1M×64, k=256', 1_000_000, 64, 256, torch.float32, 1, 4, 4, 1),
    ('100k×768, k=1024 (embeddings)', 100_000, 768, 1024, torch.float32, 1, 3, 4, 1),
    ('5M×8, k=16', 5_000_000, 8, 16, torch.float32, 1, 21, 3, 1),  # sklearn's fixed cost (0.5-1 s) varies by more than several of its steps: 20 steps apart (with 10, its step once came out far under its usual time)
]
QUICK = [('tutorial 1500×2, k=6', 1500, 2, 6, torch.float32, 2, 6, 3, 50), ('50k×2, k=6', 50_000, 2, 6, torch.float32, 2, 8, 3, 5),
         ('20k×32, k=64, float64', 20_000, 32, 64, torch.float64, 2, 6, 3, 3)]

def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--quick', action='store_true', help='small sizes only, for a smoke test')
    p.add_argument('--busy', action='store_true', help='keep one core busy with a spinning process during the run')
    p.add_argument('--only', choices=['lloyd', 'defaults', 'memory', 'seeding', 'scale', 'features', 'rounds'], help='run only one part')
    p.add_argument('--rounds', type=int, default=4, help='with --only rounds: how many rounds of quiet and busy')
    p.add_argument('--cases', help='with --only lloyd, defaults or rounds: only the cases whose names start with one of these (comma-separated), merged into the results')
    p.add_argument('--libs', help='with --only lloyd or defaults: only these libraries (names as in the tables, separated by semicolons: the names hold commas), merged into the results')
    p.add_argument('--out', default=None)
    p.add_argument('--mem-child', nargs=6, help=argparse.SUPPRESS)
    p.add_argument('--ooc-child', nargs=5, help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.mem_child:
        name, n, d, k, dtype, iters = args.mem_child
        return mem_child(name, int(n), int(d), int(k), dtype, int(iters))
    if args.ooc_child:
        path, *sizes = args.ooc_child
        return ooc_child(path, *map(int, sizes))
    if args.busy and args.only == 'rounds': p.error('--only rounds starts and stops the spinning process itself: leave out --busy')
    out = Path(args.out or Path(__file__).with_name('results-rounds.json' if args.only == 'rounds' else
                                                   'results-busy.json' if args.busy else 'results.json'))
    results = json.loads(out.read_text()) if args.only and out.exists() else {}
    libs = None if not args.libs else [l.strip() for l in args.libs.split(';')]
    with spinning(args.busy):
        if (args.cases or args.libs) and 'machine' in results:  # merged into an earlier run: say what was re-run, and the load then
            results.setdefault('reruns', []).append(dict(only=args.only, cases=args.cases, libs=args.libs, **machine()))
        else:
            results['machine'] = machine()
            if args.only: results['reruns'] = [r for r in results.get('reruns', []) if r['only'] != args.only]  # that part is whole again
        results['busy'] = args.busy
        if args.only in (None, 'lloyd'):
            results['lloyd'] = results.get('lloyd', {}) if args.cases or args.libs else {}
            for name, n, d, k, dtype, i1, i2, repeat, reps in (QUICK if args.quick else CASES):
                if args.cases and not any(name.startswith(c.strip()) for c in args.cases.split(',')): continue
                print(f"Lloyd iteration, {name}", file=sys.stderr)
                rows = lloyd_case(n, d, k, dtype, i1, i2, repeat, reps, memory=not (args.busy or args.quick), libs=libs)
                results['lloyd'][name] = {**results['lloyd'].get(name, {}), **rows} if libs else rows
        if args.only == 'rounds':
            results['rounds'] = results.get('rounds', {}) if args.cases else {}
            for name, n, d, k, dtype, i1, i2, repeat, reps in (QUICK if args.quick else CASES):
                if args.cases and not any(name.startswith(c.strip()) for c in args.cases.split(',')): continue
                print(f"Quiet and busy rounds, {name}", file=sys.stderr)
                results['rounds'][name] = rounds_case(n, d, k, dtype, i1, i2, repeat, reps, args.rounds)
        if args.only in (None, 'defaults'):
            old, new = results.get('defaults', {}) if libs or args.cases else {}, {}
            datasets = {'tutorial 1500×2, k=6': lambda: (make_clusters(seed=42)[1], 6, 20)}
            if not args.quick:
                datasets['200k×32, k=64'] = lambda: (make_clusters(64, 200_000 // 64, 32, spread=10., seed=0)[1], 64, 1)
                datasets['100k×768, k=1024 (embeddings)'] = lambda: (
                    make_clusters(1024, 100_000 // 1024 + 1, 768, spread=2., seed=0)[1][:100_000], 1024, 1)
            for case, make in datasets.items():
                if args.cases and not any(case.startswith(c.strip()) for c in args.cases.split(',')): continue
                X, k, repeat = make()
                new[case] = defaults_case(case.split(',')[0], X, k, repeat=repeat, libs=libs)
            results['defaults'] = {case: {**old.get(case, {}), **new.get(case, {})} for case in {**old, **new}}
        if args.only in (None, 'memory') and not args.busy:
            print("Peak memory of a default fit", file=sys.stderr)
            size = (20_000, 16, 16) if args.quick else (1_000_000, 64, 256)
            results['memory'] = {f'{size[0]:,}×{size[1]}, k={size[2]}': default_memory_case(*size)}
        if args.only in (None, 'seeding'):
            n, d, k, seeds = (20_000, 32, 64, 5) if args.quick else (200_000, 32, 64, 20)
            results['seeding'] = {f'{n // 1000}k×{d}, k={k}, {seeds} seeds': seeding_case(n, d, k, seeds)}
        if args.only in (None, 'features'):
            print("Cosine and batched", file=sys.stderr)
            cos, bat = ((5_000, 16, 16), (4, 2_000, 8, 16)) if args.quick else ((100_000, 64, 64), (16, 20_000, 16, 32))
            results['features'] = {f'cosine, {cos[0]:,}×{cos[1]}, k={cos[2]}': cosine_case(*cos),
                                   f'batched, {bat[0]} problems of {bat[1]:,}×{bat[2]}, k={bat[3]}': batched_case(*bat)}
        if args.only in (None, 'scale') and not args.busy:
            results['out_of_core'] = out_of_core_case(0.1 if args.quick else 2.0, 2**24 if args.quick else 2**28)
            results['distributed'] = distributed_case(*((40_000, 8, 16) if args.quick else ()))
    out.write_text(json.dumps(results, indent=1))
    print(json.dumps(results['machine']))
    for name, rows in results.get('lloyd', {}).items():
        fastest = min(r['ms_per_iter'] for lib, r in rows.items() if lib in ('scikit-learn', 'scikit-learn-intelex', 'faiss'))
        print(f"\n## {name}\n\n| library | ms/iter | × fastest peer | fixed ms | peak mem / data |\n|---|---|---|---|---|")
        for lib, r in rows.items():
            mem = '' if r.get('peak_mem_frac') is None else f"{r['peak_mem_frac']:.2f}"
            ratio = f"{r['ms_per_iter'] / fastest:.2f}" if fastest > 0 else '–'
            print(f"| {lib} | {r['ms_per_iter']:.2f} | {ratio} | {r['fixed_ms']:.0f} | {mem} |")
    for name, rows in results.get('defaults', {}).items():
        print(f"\n## defaults, {name}\n\n" + '\n'.join(f"- {lib}: {r['seconds']:.3f} s, inertia {r['inertia']:.6g}, {r['n_iter']} iterations" for lib, r in rows.items()))
    for name, rows in results.get('seeding', {}).items():
        print(f"\n## k-means++, {name}\n\n" + '\n'.join(f"- {lib}: {r['ms']:.0f} ms, potential {r['potential']:.6g} ± {r['se']:.3g}" for lib, r in rows.items()))
    for name, rows in results.get('memory', {}).items():
        print(f"\n## peak memory of a default fit / data, {name}\n\n" + '\n'.join(f"- {lib}: {r}" for lib, r in rows.items()))
    for name, rounds in results.get('rounds', {}).items():
        ratio = lambda r, m: min(r[m][o] for o in ROUND_LIBS[:2]) / r[m]['scikit-learn']
        print(f"\n## {name}: ours (best of default and Lloyd) / scikit-learn, per round\n\n"
              + '\n'.join(f"- quiet {ratio(r, 'quiet'):.2f}, busy {ratio(r, 'busy'):.2f}" for r in rounds))
    for part in ('out_of_core', 'distributed'):
        if part in results: print(f"\n## {part}\n\n{results[part]}")

if __name__ == '__main__': main()
