"The scikit-learn contract: `check_estimator`, and the scikit-learn tools a user puts an estimator into."
import pickle, warnings
import joblib, numpy as np, pytest, torch
from sklearn.base import clone
from sklearn.cluster import KMeans as SkKMeans
from sklearn.exceptions import NotFittedError
from sklearn.model_selection import GridSearchCV, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.estimator_checks import check_estimator
from sklearn.utils.validation import check_is_fitted
from kmeans_nbdev import KMeans, MiniBatchKMeans, make_clusters
from kmeans_nbdev.kmeans import WAIVED

X, y = make_clusters(6, 100, seed=0)[1].double().numpy(), np.arange(6).repeat(100)

def failed_checks(estimator):
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        return {r['check_name'] for r in check_estimator(estimator, on_fail=None) if r['status'] == 'failed'}

@pytest.mark.parametrize('cls', [KMeans, MiniBatchKMeans])
def test_check_estimator(cls):
    "Every check passes but the waived ones, which scikit-learn's own KMeans fails as well"
    assert failed_checks(cls()) == WAIVED
    assert WAIVED <= failed_checks(SkKMeans())

@pytest.mark.parametrize('cls', [KMeans, MiniBatchKMeans])
def test_pipeline_ignores_labels_and_passes_weights(cls):
    pipe = lambda: make_pipeline(StandardScaler(), cls(6, random_state=0))
    np.testing.assert_array_equal(pipe().fit(X, y).predict(X), pipe().fit(X).predict(X))
    w = np.random.default_rng(0).integers(1, 4, len(X)).astype(float)
    weighted = pipe().fit(X, **{f'{cls.__name__.lower()}__sample_weight': w})[-1]
    direct = cls(6, random_state=0).fit(StandardScaler().fit_transform(X), sample_weight=w)
    np.testing.assert_allclose(weighted.cluster_centers_, direct.cluster_centers_)

@pytest.mark.parametrize('cls', [KMeans, MiniBatchKMeans])
def test_clone_search_cross_validation(cls):
    km = cls(6, random_state=0)
    assert clone(km).get_params() == km.get_params()
    assert GridSearchCV(cls(random_state=0), {'n_clusters': [2, 6]}, cv=3).fit(X).best_params_ == {'n_clusters': 6}
    assert len(cross_val_score(cls(6, random_state=0), X, cv=3)) == 3

@pytest.mark.parametrize('cls', [KMeans, MiniBatchKMeans])
def test_fitted_checks_and_persistence(cls, tmp_path):
    with pytest.raises(NotFittedError): check_is_fitted(cls(6))
    km = cls(6, random_state=0).fit(X)
    check_is_fitted(km)
    np.testing.assert_array_equal(pickle.loads(pickle.dumps(km)).predict(X), km.predict(X))
    joblib.dump(km, tmp_path/'km.joblib')
    np.testing.assert_array_equal(joblib.load(tmp_path/'km.joblib').predict(X), km.predict(X))

def test_set_output_pandas():
    pd = pytest.importorskip('pandas')
    df = pd.DataFrame(X, columns=['a', 'b'])
    out = KMeans(6, random_state=0).set_output(transform='pandas').fit(df).transform(df)
    assert isinstance(out, pd.DataFrame) and list(out.columns) == [f'kmeans{i}' for i in range(6)]

def test_tensor_path_keeps_tensors():
    t = torch.from_numpy(X).float()
    km = KMeans(6, random_state=0).fit(t)
    assert isinstance(km.cluster_centers_, torch.Tensor) and km.cluster_centers_.dtype == torch.float32
    assert isinstance(km.predict(t), torch.Tensor) and isinstance(km.transform(t), torch.Tensor)
