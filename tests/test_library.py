"""The library's names, as `extractor/__init__.py` exports them."""

from __future__ import annotations

import subprocess
import sys

import extractor


def test_every_exported_name_is_what_it_says() -> None:
    for name in extractor.__all__:
        value = getattr(extractor, name)
        assert not isinstance(value, type(extractor)), name


def test_diff_stays_the_function_after_its_module_is_imported() -> None:
    # extractor.report imports the module extractor.diff before `diff` is asked for
    code = ("import extractor.report\n"
            "from extractor import render, diff\n"
            "print(diff.__module__, callable(diff))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.split() == ["extractor.diff", "True"]
