import subprocess
import sys

from extractor.dates import to_iso
from extractor.layout.normalize import assign_levels, repair_split_words
from tests.lines import line


def test_split_word_is_joined_when_a_lone_letter_starts_it() -> None:
    lines = [line("history of i ntolerance to at least two")]
    assert repair_split_words(lines)[0].text == "history of intolerance to at least two"


def test_split_word_is_joined_when_the_joined_form_occurs_elsewhere() -> None:
    lines = [line("the patient is ambul atory"), line("ambulatory care")]
    assert repair_split_words(lines)[0].text == "the patient is ambulatory"


def test_real_words_are_not_joined() -> None:
    lines = [line("a typical case of vitamin d deficiency"), line("typical deficiency")]
    assert repair_split_words(lines)[0].text == "a typical case of vitamin d deficiency"


def test_capital_i_is_a_word() -> None:
    lines = [line("Type I ntolerance")]
    assert repair_split_words(lines)[0].text == "Type I ntolerance"


def test_levels_follow_bullet_positions() -> None:
    lines = [
        line("lead", x0=36),
        line("first", x0=54, bullet="image"),
        line("wrapped first", x0=54),
        line("second", x0=72, bullet="o"),
        line("third", x0=90, bullet="glyph"),
    ]
    assert [x.level for x in assign_levels(lines)] == [0, 1, 1, 2, 3]


def test_dates_to_iso() -> None:
    assert to_iso("Effective 10/01/2025") == "2025-10-01"
    assert to_iso("Effective Date: October 1, 2025") == "2025-10-01"
    assert to_iso("Sept. 3 2024") == "2024-09-03"
    assert to_iso("13/45/2025") is None
    assert to_iso("no date") is None


def test_possessive_s_is_not_a_split_word() -> None:
    lines = [line("Harada's disease, right eye"), line("Crohn's disease")]
    assert repair_split_words(lines)[0].text == "Harada's disease, right eye"


def test_right_aligned_text_is_not_a_deep_level() -> None:
    lines = [
        line("See Benefit Considerations", x0=450),
        line("first", x0=54, bullet="image"),
        line("second", x0=72, bullet="o"),
    ]
    assert [x.level for x in assign_levels(lines)] == [0, 1, 2]


def test_split_words_join_left_to_right_whatever_the_hash_seed() -> None:
    # "th e" joins to "the" first; "e current" is then no pair ("current" printed once)
    lines = [line("the authors concluded that th e current study, as the others did")]
    assert repair_split_words(lines)[0].text == (
        "the authors concluded that the current study, as the others did")
    probe = ("from tests.lines import line\n"
             "from extractor.layout.normalize import repair_split_words\n"
             "print(repair_split_words([line('the authors concluded that th e current study,"
             " as the others did')])[0].text)")
    seen = {subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                           env={"PYTHONHASHSEED": str(seed), "PATH": ""}, check=True).stdout
            for seed in range(6)}
    assert seen == {"the authors concluded that the current study, as the others did\n"}
