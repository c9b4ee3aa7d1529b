"""Batches on one core, on every core and on a Dask cluster give the same outputs in order."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from extractor.cli import cli
from extractor.errors import InputError, PolicyRulesError
from extractor.executors import Executor, run_all
from tests.conftest import SAMPLE


def square_or_fail(n: int) -> int:
    if n == 3:
        raise InputError("three is refused", f"item-{n}")
    return n * n


@pytest.mark.parametrize("jobs", [1, 2])
def test_results_come_back_in_input_order_with_errors_in_place(jobs: int) -> None:
    outcomes = list(run_all(square_or_fail, [5, 3, 1, 4], Executor(jobs=jobs)))
    assert [(o.item, o.result) for o in outcomes] == [(5, 25), (3, None), (1, 1), (4, 16)]
    error = outcomes[1].error
    assert isinstance(error, PolicyRulesError) and str(error) == "item-3: three is refused"


def test_known_results_are_not_sent_out_and_keep_their_place() -> None:
    def known(n: int) -> int | None:
        if n == 3:
            return -3  # known, so the work that would refuse it never sees it
        if n == 4:
            raise InputError("known to be unreadable", "item-4")  # its outcome, unsent
        return None

    outcomes = list(run_all(square_or_fail, [5, 3, 1, 4], Executor(jobs=2), known))
    assert [(o.item, o.result, str(o.error) if o.error else None) for o in outcomes] == [
        (5, 25, None), (3, -3, None), (1, 1, None), (4, None, "item-4: known to be unreadable")]


def test_dask_without_a_scheduler_is_one_clear_error() -> None:
    with pytest.raises(InputError, match="needs --scheduler"):
        list(run_all(square_or_fail, [1], Executor(kind="dask")))


def batch(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for pdf in ("zentorimab-v1.pdf", "zentorimab-v2.pdf"):
        shutil.copyfile(SAMPLE / pdf, folder / pdf)
    (folder / "broken.pdf").write_bytes(b"%PDF-1.7\nnot really")
    return folder


def extract_dir(folder: Path, out: Path, *options: str) -> dict[str, bytes]:
    result = CliRunner().invoke(cli, ["extract", str(folder), "-o", str(out), "--no-cache",
                                      *options])
    assert result.exit_code == 3, result.output  # the broken PDF, after the others
    return {p.name: p.read_bytes() for p in sorted(out.iterdir())}


def test_one_job_two_jobs_and_a_dask_cluster_write_the_same_rule_files(tmp_path: Path) -> None:
    from distributed import LocalCluster

    folder = batch(tmp_path)
    one = extract_dir(folder, tmp_path / "one", "--jobs", "1")
    assert sorted(one) == ["zentorimab-v1.json", "zentorimab-v2.json"]
    assert extract_dir(folder, tmp_path / "two", "--jobs", "2") == one
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster:
        on_dask = extract_dir(folder, tmp_path / "dask", "--executor", "dask",
                              "--scheduler", cluster.scheduler_address)
    assert on_dask == one


def test_the_largest_documents_are_started_first_and_results_keep_input_order(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import concurrent.futures

    from extractor import executors

    files = []
    for name, size in (("small", 10), ("large", 3000), ("medium", 500)):
        files.append(tmp_path / name)
        files[-1].write_bytes(b"x" * size)
    submitted: list[str] = []

    class Pool(concurrent.futures.ThreadPoolExecutor):
        def submit(self, fn, /, *args, **kwargs):  # type: ignore[no-untyped-def]
            submitted.append(args[0].name)
            return super().submit(fn, *args, **kwargs)

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", Pool)
    assert list(executors._on_cores(lambda p: p.name, files, 2)) == ["small", "large", "medium"]
    assert submitted == ["large", "medium", "small"]
