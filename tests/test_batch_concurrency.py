"""How many reviews a batch runs at once: offline ones no more than the CPUs it may use."""

from __future__ import annotations

from core.batch import default_concurrency, usable_cpus
from core.config import Settings


def test_offline_batches_run_no_more_reviews_at_once_than_there_are_cpus() -> None:
    many = Settings(max_concurrent_reviews=64)
    assert default_concurrency(many, "offline") == min(64, usable_cpus())
    assert usable_cpus() >= 1
    one = Settings(max_concurrent_reviews=1)
    assert default_concurrency(one, "offline") == 1  # the setting still caps it


def test_model_batches_keep_max_concurrent_reviews_they_mostly_wait_on_the_network() -> None:
    settings = Settings(max_concurrent_reviews=64, huggingface_api_key="hf_x")
    assert default_concurrency(settings, "huggingface") == 64
    assert default_concurrency(settings, "auto") == 64  # a key set: auto means the model
    assert default_concurrency(settings, "offline") == min(64, usable_cpus())
