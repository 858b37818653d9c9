"""The data loaders: shapes, checksums, and clear errors."""

from __future__ import annotations

import shutil

import pytest

from mlcourse import datasets
from mlcourse.datasets import REGISTRY, DatasetError, dataset_path

EXPECTED = {
    "load_bike_sharing": (17379, 17),
    "load_titanic": (891, 15),
    "load_penguins": (344, 7),
    "load_taxis": (6433, 14),
    "load_mpg": (398, 9),
    "load_adult": (32561, 15),
    "load_california_housing": (20640, 10),
    "load_sms_spam": (5574, 2),
    "load_german_credit": (1000, 21),
}


@pytest.mark.parametrize("loader, shape", EXPECTED.items())
def test_loader_shape(loader, shape):
    assert getattr(datasets, loader)().shape == shape


def test_registry_rows_match_the_files():
    assert len(datasets.load_bike_sharing("day")) == REGISTRY["bike_sharing_day"].rows
    assert len(datasets.load_adult("test")) == REGISTRY["adult_test"].rows


def test_bike_sharing_content():
    rides = datasets.load_bike_sharing("hour")
    assert (rides["casual"] + rides["registered"] == rides["cnt"]).all()
    assert rides["cnt"].sum() == 3_292_679
    assert str(rides["dteday"].dtype).startswith("datetime64")


def test_adult_labels_are_the_same_in_both_splits():
    assert set(datasets.load_adult("train")["income"]) == {"<=50K", ">50K"}
    assert set(datasets.load_adult("test")["income"]) == {"<=50K", ">50K"}
    assert datasets.load_adult()["workclass"].isna().sum() > 0  # '?' became NaN


def test_sms_spam_labels():
    assert datasets.load_sms_spam()["label"].value_counts().to_dict() == {"ham": 4827, "spam": 747}


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match="freq"):
        datasets.load_bike_sharing("minute")
    with pytest.raises(ValueError, match="split"):
        datasets.load_adult("validation")
    with pytest.raises(DatasetError, match="Unknown dataset"):
        dataset_path("iris")


def test_missing_file_says_how_to_restore(tmp_path, monkeypatch):
    monkeypatch.setenv("MLCOURSE_DATA_DIR", str(tmp_path))
    with pytest.raises(DatasetError, match="(?s)missing.*git checkout"):
        datasets.load_titanic()


def test_altered_file_is_refused(tmp_path, monkeypatch):
    shutil.copytree(datasets.data_dir(), tmp_path / "data")
    monkeypatch.setenv("MLCOURSE_DATA_DIR", str(tmp_path / "data"))
    datasets.load_penguins()  # the intact copy loads
    with open(tmp_path / "data" / "seaborn" / "penguins.csv", "a") as handle:
        handle.write("Adelie,Dream,1,1,1,1,MALE\n")
    with pytest.raises(DatasetError, match="altered"):
        datasets.load_penguins()


def test_verify_all_reports_every_file():
    assert all(problem is None for problem in datasets.verify_all().values())
    assert set(datasets.verify_all()) == set(REGISTRY)
