"The installed package: its top-level names and its `kmeans_nbdev` command, run as a user would."
import subprocess, sys
from pathlib import Path

exe = Path(sys.executable).parent/'kmeans_nbdev'

def test_top_level_imports():
    from kmeans_nbdev import (make_clusters, plot_data, calculate_distances, initialize_centroids, kmeans_plusplus,
                              assign_centroids, update_centroids, KMeans)
    centroids, data = make_clusters(seed=0)
    assert KMeans(6, random_state=0).fit(data).cluster_centers_.shape == (6, 2)

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
