"""Small helpers shared by the estimators: one home for each, as in ``sklearn.utils``.

Part of the library: nothing here imports the course machinery.
"""
