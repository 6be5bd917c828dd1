__version__ = "0.0.1"

from .data import make_clusters, plot_data, plot_clusters, as_generator
from .distance import calculate_distances
from .init import random_centroids, initialize_centroids, kmeans_plusplus
from .lloyd import assign_centroids, update_centroids, has_converged, calculate_inertia, lloyd
from .kmeans import KMeans, NotFittedError
from .plots import inertia_by_k, plot_inertia_by_k
from .minibatch import MiniBatchKMeans
