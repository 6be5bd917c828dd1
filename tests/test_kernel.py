"The compiled kernel is optional: without a C compiler, or turned off, fits run in plain PyTorch with the same results"
import json, os, subprocess, sys

SCRIPT = """
import json, torch
from kmeans_nbdev import KMeans, make_clusters
from kmeans_nbdev.kernel import load_kernel
_, X = make_clusters(12, 2000, 16, spread=10., seed=0)  # clustered: a fit settles in a few steps
out = dict(kernel=load_kernel() is not None)
for algorithm in ('lloyd', 'hamerly'):  # in float64, where no point is so near a tie that the paths' rounding tips it
    km = KMeans(12, random_state=0, n_init=1, algorithm=algorithm).fit(X.double())
    out[algorithm] = dict(inertia=km.inertia_, n_iter=km.n_iter_, labels=km.labels_.tolist())
km = KMeans(12, random_state=0, n_init=1, algorithm='hamerly').fit(X)  # in float32 a point 2e-6 from a tie goes either way
out['float32'] = dict(inertia=km.inertia_)
_, small = make_clusters(seed=42)  # two features in one chunk: k-means++ and the steps each in one call of the kernel
km = KMeans(6, random_state=0).fit(small)
out['small'] = dict(inertia=km.inertia_, n_iter=km.n_iter_, labels=km.labels_.tolist())
print(json.dumps(out))
"""

def fit_in_fresh_process(**env):
    "Run SCRIPT in a new interpreter with `env` added; its JSON output"
    r = subprocess.run([sys.executable, '-c', SCRIPT], capture_output=True, text=True, env={**os.environ, **env}, timeout=300)
    assert r.returncode == 0, r.stderr[-2000:]
    return json.loads(r.stdout.strip().splitlines()[-1])

def test_no_compiler_falls_back_to_the_same_fit(tmp_path):
    plain = fit_in_fresh_process(CC='no-such-compiler', KMEANS_NBDEV_CACHE=str(tmp_path / 'none'))
    fused = fit_in_fresh_process()  # the usual cache: built by the notebooks' runs, else now
    off = fit_in_fresh_process(KMEANS_NBDEV_KERNEL='torch')
    assert not plain['kernel'] and fused['kernel'] and not off['kernel']  # plain: its empty cache was used, not the usual one
    assert not list(tmp_path.glob('none/*.so'))
    for algorithm in ('lloyd', 'hamerly', 'small'):
        a, b, c = plain[algorithm], fused[algorithm], off[algorithm]
        assert a['labels'] == b['labels'] == c['labels'] and a['n_iter'] == b['n_iter'] == c['n_iter']
        close = 1e-5 if algorithm == 'small' else 1e-9  # float32, float64
        assert abs(a['inertia'] - b['inertia']) <= close * a['inertia'] and a['inertia'] == c['inertia']
    inertia = [r['float32']['inertia'] for r in (plain, fused, off)]
    assert max(inertia) - min(inertia) <= 1e-4 * min(inertia)  # the same clusters, up to the points on a tie

def test_insisting_without_a_compiler_is_a_clear_error(tmp_path):
    env = {**os.environ, 'CC': 'no-such-compiler', 'KMEANS_NBDEV_CACHE': str(tmp_path), 'KMEANS_NBDEV_KERNEL': 'c'}
    r = subprocess.run([sys.executable, '-c', SCRIPT], capture_output=True, text=True, env=env, timeout=300)
    assert r.returncode != 0 and 'could not be built' in r.stderr
