"The installed package: its top-level names, its import, and its `kmeans_nbdev` command, run as a user would."
import subprocess, sys
from pathlib import Path

exe = Path(sys.executable).parent/'kmeans_nbdev'

def test_top_level_imports():
    from kmeans_nbdev import (make_clusters, plot_data, plot_clusters, calculate_distances, random_centroids,
                              initialize_centroids, kmeans_plusplus, assign_centroids, update_centroids, lloyd,
                              KMeans, MiniBatchKMeans, NotFittedError, inertia_by_k, plot_inertia_by_k)
    centroids, data = make_clusters(seed=0)
    assert KMeans(6, random_state=0).fit(data).cluster_centers_.shape == (6, 2)

def test_import_is_light():
    "Importing the package starts neither matplotlib's pyplot nor scikit-learn (the estimators load them when asked)"
    code = "import sys, kmeans_nbdev; print(sorted(m for m in ('matplotlib.pyplot', 'sklearn') if m in sys.modules))"
    r = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0 and r.stdout.strip() == '[]', r.stdout + r.stderr
    code = "import sys; from kmeans_nbdev import KMeans; print('matplotlib.pyplot' in sys.modules)"
    assert subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, timeout=120).stdout.strip() == 'False'

def test_demo_command(tmp_path):
    r = subprocess.run([exe, 'demo'], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert 'adjusted Rand index vs the true clusters: 1.0000' in r.stdout
    assert (tmp_path/'kmeans_demo.png').read_bytes()[:4] == b'\x89PNG'

def test_demo_options(tmp_path):
    r = subprocess.run([exe, 'demo', '--seed', '3', '--out', 'x.png', '--quiet'], cwd=tmp_path,
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0 and r.stdout == '' and (tmp_path/'x.png').exists()

def test_unknown_subcommand():
    r = subprocess.run([exe, 'nonsense'], capture_output=True, text=True, timeout=120)
    assert r.returncode == 2 and 'usage: kmeans_nbdev' in r.stderr

def test_help_and_version():
    r = subprocess.run([exe, '--help'], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0 and 'demo' in r.stdout and 'fit' in r.stdout
    r = subprocess.run([exe, '--version'], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0 and r.stdout.startswith('kmeans_nbdev ')
