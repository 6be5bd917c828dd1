"What the notebooks can't show well: the progress bar, which tqdm.auto draws as a widget inside Jupyter."
from kmeans_nbdev import KMeans, make_clusters

def test_verbose_shows_progress(capsys):
    _, data = make_clusters(seed=42)
    for algorithm, shows in (('lloyd', 'inertia='), ('hamerly', 'looked=')):
        km = KMeans(6, random_state=0, verbose=True, algorithm=algorithm).fit(data)
        err = capsys.readouterr().err
        assert 'start 1/1' in err and shows in err and f'{km.n_iter_}step' in err.replace(' ', '')

def test_quiet_by_default(capsys):
    _, data = make_clusters(seed=42)
    KMeans(6, random_state=0).fit(data)
    assert capsys.readouterr() == ('', '')
