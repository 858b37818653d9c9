"""Naive Bayes: ours against scikit-learn's, Gaussian on numbers, multinomial on SMS word counts."""

from harness import Case
from sklearn import naive_bayes as sk_nb
from sklearn.datasets import make_classification
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.model_selection import train_test_split

from mlcourse.datasets import load_sms_spam
from mlcourse.naive_bayes import GaussianNB, MultinomialNB


def numeric():
    X, y = make_classification(
        n_samples=30_000, n_features=30, n_informative=15, n_classes=5, random_state=0
    )
    return train_test_split(X, y, test_size=10_000, random_state=0)


def sms_counts():
    df = load_sms_spam()
    text_train, text_test, y_train, y_test = train_test_split(
        df["text"], df["label"].to_numpy(), test_size=0.25, stratify=df["label"], random_state=0
    )
    vectorizer = CountVectorizer().fit(text_train)  # the counting is not what we time
    return vectorizer.transform(text_train), vectorizer.transform(text_test), y_train, y_test


def accuracy(model, X_test, y_test):
    return model.score(X_test, y_test)


CASES = [
    Case(
        name="GaussianNB (5 classes)",
        ours=lambda: GaussianNB(),
        theirs=lambda: sk_nb.GaussianNB(),
        data=numeric,
        score=accuracy,
        target=3,
        repeats=7,
    ),
    Case(
        name="MultinomialNB SMS spam (sparse counts)",
        ours=lambda: MultinomialNB(),
        theirs=lambda: sk_nb.MultinomialNB(),
        data=sms_counts,
        score=accuracy,
        target=3,
        repeats=7,
    ),
]
