"""extract(path) -> RuleSet: reads the input and wires the stages together."""

from __future__ import annotations

import hashlib
import itertools
import time
from pathlib import Path

from extractor.codes import blocks_to_codes
from extractor.criteria import blocks_to_coverage
from extractor.deadline import check_deadline, time_limit
from extractor.drugs import annotate_coverage, title_pairs_text, unknown_generics
from extractor.engines import DEFAULT_ENGINE, Engine
from extractor.errors import LimitError, NotAPolicyError
from extractor.files import read_input
from extractor.history import blocks_to_history
from extractor.items import lines_to_items
from extractor.layout import Document, lines_to_provenance
from extractor.layout.read import bytes_to_document
from extractor.metadata import sections_to_policy
from extractor.model import (
    Issue,
    Policy,
    Provenance,
    RuleSet,
    Section,
    Source,
)
from extractor.sections import Sections, block_text, document_to_sections

CODE_SECTIONS = r"^Applicable Codes|Codes?$|^Coding|Coverage Summary"
HISTORY_SECTIONS = r"^Policy History|Revision (History|Information)"
COVERAGE_SECTIONS = r"^Coverage Rationale"


def extract(path: Path | str, engine: Engine = DEFAULT_ENGINE,
            timeout: float | None = None) -> RuleSet:
    """Read a policy document and return its rules; a PDF's pages are read with ``engine``,
    and the whole reading takes at most ``timeout`` seconds (None: no limit)."""
    path, since = Path(path), time.monotonic()
    data = read_input(path)
    with time_limit(timeout, path, since):
        doc = bytes_to_document(path, data, engine)
    return document_rules(doc, data, path, timeout, since)


def document_rules(doc: Document, data: bytes, path: Path, timeout: float | None = None,
                   since: float | None = None) -> RuleSet:
    """The rules of a document read from `data`, the bytes of the file at path; the reading
    takes at most ``timeout`` seconds counted from ``since`` (a time.monotonic(); default now)."""
    with time_limit(timeout, path, since):
        try:
            return _ruleset(doc, data, path)
        except LimitError as exc:
            raise LimitError(exc.message, exc.path or path) from exc


def warm() -> None:
    """Build what reading any document needs (the spaCy pipeline), so that a reading forked
    from this process starts with it."""
    from extractor.nlp import annotator

    annotator()


def _ruleset(doc: Document, data: bytes, path: Path) -> RuleSet:
    return document_to_ruleset(doc, Source(
        file=path.name,
        sha256=hashlib.sha256(data).hexdigest(),
        pages=doc.pages,
        format=doc.format,
    ), path)


def document_to_ruleset(doc: Document, source: Source, path: Path | None = None) -> RuleSet:
    """Run every extractor over a document's lines."""
    check_deadline()
    sections = document_to_sections(doc)
    policy = sections_to_policy(doc, sections)
    _check_is_policy(policy, sections, path)
    codes, code_issues = blocks_to_codes(list(sections.blocks), CODE_SECTIONS)
    check_deadline()
    found = blocks_to_coverage(sections.find(COVERAGE_SECTIONS))
    printed = _sections(sections)
    check_deadline()
    coverage, drugs = annotate_coverage(
        found.statements, _coverage_items(sections),
        itertools.chain([title_pairs_text(policy.title or "")],
                        (line for s in printed for line in s.text.splitlines())),
        products="drug" in (policy.policy_type or "").lower(),
        descriptors=[c.description for c in codes if c.system == "HCPCS" and c.description])
    check_deadline()
    return RuleSet(
        policy=policy,
        source=source,
        sections=printed,
        coverage=coverage,
        coverage_notes=found.notes,
        drugs=drugs,
        codes=codes,
        revision_history=blocks_to_history(sections.find(HISTORY_SECTIONS)),
        issues=_missing(policy) + found.issues + code_issues + unknown_generics(coverage),
    )


def _coverage_items(sections: Sections) -> list[tuple[str, Provenance]]:
    return [(item.text, lines_to_provenance(item.lines))
            for block in sections.find(COVERAGE_SECTIONS)
            for item in lines_to_items(list(block.lines))]


def _check_is_policy(policy: Policy, sections: Sections, path: Path | None) -> None:
    if policy.number is None and not sections.find(r"Coverage|Polic|Criteria|Indications"):
        raise NotAPolicyError("no policy number and no coverage section: not a policy", path)


def _sections(sections: Sections) -> list[Section]:
    return [
        Section(title=b.title, page=b.page, provenance=b.provenance, text=block_text(b.lines))
        for b in sections.blocks
    ]


def _missing(policy: Policy) -> list[Issue]:
    wanted = {"number": policy.number, "title": policy.title,
              "effective_date": policy.effective_date}
    return [
        Issue(kind="missing_metadata", message=f"no {name.replace('_', ' ')} found", page=1)
        for name, value in wanted.items() if value is None
    ]
