"""mlcourse.preprocessing against scikit-learn.preprocessing / sklearn.impute.

A transformer has no accuracy, so the "score" column is the mean of the transformed test
data: equal scores mean the two produce the same output.
"""

import numpy as np
from harness import Case
from sklearn import impute as sk_impute
from sklearn import preprocessing as sk_preprocessing

from mlcourse import preprocessing
from mlcourse.datasets import load_adult, load_california_housing

ADULT_CATEGORIES = ["workclass", "education", "marital_status", "occupation", "relationship",
                    "race", "sex", "native_country"]


def housing(with_nans=False):
    """California housing's numeric columns: 15,000 rows to fit, the rest to transform."""
    def data():
        X = load_california_housing().drop(columns="ocean_proximity").dropna().to_numpy(float)
        if with_nans:
            X = X.copy()
            X[np.random.default_rng(0).random(X.shape) < 0.1] = np.nan
        return X[:15000], X[15000:], None, None
    return data


def adult_categories():
    """Eight text columns of the Adult census data (some missing)."""
    frame = load_adult()[ADULT_CATEGORIES]
    return frame.iloc[:24000], frame.iloc[24000:], None, None


def mean_output(model, X, y):
    return float(np.nanmean(np.asarray(model.transform(X), dtype=float)))


def both(name, **params):
    """Factories for our class and scikit-learn's, with the same parameters."""
    theirs = getattr(sk_preprocessing, name, None) or getattr(sk_impute, name)
    return (lambda: getattr(preprocessing, name)(**params)), (lambda: theirs(**params))


CASES = [
    Case("StandardScaler (10 % NaN)", *both("StandardScaler"), housing(True), mean_output, 3),
    Case("MinMaxScaler", *both("MinMaxScaler"), housing(), mean_output, 3),
    Case("SimpleImputer (median)", *both("SimpleImputer", strategy="median"), housing(True),
         mean_output, 3),
    Case("SimpleImputer (most_frequent)", *both("SimpleImputer", strategy="most_frequent"),
         housing(True), mean_output, 3),
    Case("OneHotEncoder (adult, 8 text columns)",
         *both("OneHotEncoder", handle_unknown="ignore", sparse_output=False),
         adult_categories, mean_output, 3),
    Case("OrdinalEncoder (adult, 8 text columns)",
         *both("OrdinalEncoder", handle_unknown="use_encoded_value", unknown_value=-1),
         adult_categories, mean_output, 3),
    Case("PolynomialFeatures (degree 3)", *both("PolynomialFeatures", degree=3), housing(),
         mean_output, 3),
]
