__version__ = "0.0.1"

from .data import make_clusters, plot_data, plot_clusters, as_generator
from .distance import calculate_distances
from .init import random_centroids, initialize_centroids, kmeans_plusplus
from .lloyd import assign_centroids, update_centroids, has_converged, calculate_inertia, lloyd

# The estimators stand on scikit-learn, whose import takes a second: they are imported when first asked for.
_LAZY = dict(KMeans='kmeans', NotFittedError='kmeans', inertia_by_k='plots', plot_inertia_by_k='plots',
             MiniBatchKMeans='minibatch', SphericalKMeans='cosine', BatchedKMeans='batched', choose_k='choose', plot_choose_k='choose')

def __getattr__(name):
    if name not in _LAZY: raise AttributeError(f"module 'kmeans_nbdev' has no attribute {name!r}")
    import importlib
    if _LAZY[name] in ('kmeans', 'minibatch', 'cosine'): importlib.import_module('.plots', __name__)  # adds KMeans.animate, plot_steps
    return getattr(importlib.import_module(f'.{_LAZY[name]}', __name__), name)

def __dir__(): return sorted([*globals(), *_LAZY])
