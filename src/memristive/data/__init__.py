"""Datasets: embedded ``digits``; ``mnist`` / ``fashion-mnist`` from IDX files."""

from memristive.data.datasets import DATASETS, Dataset, load_dataset
from memristive.data.idx import read_idx

__all__ = ["DATASETS", "Dataset", "load_dataset", "read_idx"]
