"""Preprocessing transformers written from scratch (notebook 03 explains them).

Each one mirrors its scikit-learn twin (same parameters, attributes and output), works
inside ``Pipeline`` and ``ColumnTransformer`` and supports ``set_output(transform="pandas")``.
"""

from mlcourse.preprocessing._encoders import OneHotEncoder, OrdinalEncoder
from mlcourse.preprocessing._imputer import SimpleImputer
from mlcourse.preprocessing._polynomial import PolynomialFeatures
from mlcourse.preprocessing._scalers import MinMaxScaler, StandardScaler

__all__ = [
    "MinMaxScaler",
    "OneHotEncoder",
    "OrdinalEncoder",
    "PolynomialFeatures",
    "SimpleImputer",
    "StandardScaler",
]
