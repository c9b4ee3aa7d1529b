"""The rule file: pydantic models of everything written to disk or passed between stages."""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    field_validator,
    model_serializer,
)

from extractor.limits import MAX_TREE_DEPTH

SCHEMA_VERSION = "1.0"

CodeSystem = Literal["HCPCS", "CPT", "CDT", "ICD-10-CM", "ICD-10-PCS", "Revenue", "NDC", "Other"]
SourceFormat = Literal["pdf", "markdown", "html"]


class Model(BaseModel):
    """Base of every rule-file model: strict keys, frozen values."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Provenance(Model):
    """Where an item is printed: 1-based page and (x0, top, x1, bottom) in PDF points.

    For a text rendition (Markdown, HTML) the page is 1, `line` is the 1-based line of the
    file and the bbox is in characters: (first column, line - 1, last column, line).
    """

    page: int
    bbox: tuple[float, float, float, float]
    line: int | None = Field(default=None, description="1-based line of a text rendition")

    @model_serializer(mode="wrap")
    def _omit_absent_line(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        data: dict[str, Any] = handler(self)
        if data.get("line") is None:
            data.pop("line", None)
        return data


class Policy(Model):
    number: str | None = None
    title: str | None = None
    effective_date: str | None = Field(default=None, description="ISO 8601 date")
    payer: str | None = None
    line_of_business: str | None = None
    policy_type: str | None = None
    related_policies: list[str] = []
    provenance: Provenance | None = None


class Source(Model):
    file: str
    sha256: str
    pages: int
    format: SourceFormat


class Section(Model):
    """A top-level section of the document with its plain text."""

    title: str
    page: int
    provenance: Provenance
    text: str = ""


class Icd10Check(Model):
    """What the current ICD-10-CM code set says of a printed code."""

    valid: bool
    billable: bool
    official_description: str | None = None


class Code(Model):
    system: CodeSystem
    code: str
    description: str
    page: int
    provenance: Provenance
    table: str = Field(description="the printed header of the code column")
    group: str | None = Field(default=None, description="the label row the code is listed under")
    columns: dict[str, str] = Field(
        default={}, description="further cells of the row, by the header of their column"
    )
    is_range: bool = False
    icd10: Icd10Check | None = None


class RevisionChange(Model):
    """The items a revision entry lists under one section (and sub-heading) of the policy."""

    section: str | None
    subsection: str | None = None
    items: list[str]


class RevisionEntry(Model):
    date: str | None = Field(description="ISO 8601 date")
    date_text: str
    changes: list[RevisionChange]
    archived_previous: str | None = Field(
        default=None, description='the version the entry says it archived ("2025D0023X")'
    )
    archived_versions: list[str] = Field(
        default=[], description="every version it names, when it archives more than one"
    )
    provenance: Provenance


EntityLabel = Literal[
    "drug", "dose", "route", "frequency", "duration", "regimen", "limit", "count", "age",
    "weight", "lab", "code"]
ENTITY_LABELS = """What a mention is, so an engine can map it to patient or claim data:

- drug: a product or substance; `name` is the generic name.
- dose: an amount of drug given ("12 mg", "10 mg/kg") or a product's strength ("2.5mg/mL",
  "100mg/20mL": mg/(20.mL)), unless it is capped (then a limit).
- route: how it is given, with its form and abbreviation as printed ("intravenously",
  "subcutaneous injection", "intravenous (IV) infusion", "intra-articular injection",
  "Solution for Injection").
- frequency: how often; a `unit` "wk" with `value` 4 is an interval ("every 4 weeks"), a
  `unit` "/wk" with `value` 2 a rate ("twice weekly"); a rate keeps its cap ("no more than 4
  times per month": 4 /mo, <=), an interval the bound said of it ("no more frequently than
  every 12 weeks": 12 wk, >=); a rate over several periods has them in its unit ("twice per
  12 months": 2 /(12.mo)).
- duration: a length of time of a treatment, a trial or a history ("at least 3 months",
  "within 12 months").
- regimen: a dose with its frequency, duration or cap, and its route; spans the entities it
  is made of (a dose and a route alone are no regimen).
- limit: a cap on an authorization's length, a dose or a count of doses ("no more than 12
  months", "not to exceed 4200 mg/week", "up to 10 fractions"), and what an authorization is
  for or a lifetime may have ("issued for 3 induction doses", "one treatment per lifetime").
- count: how many of something the patient has had or has ("at least 2 relapses"), bounded
  from above too ("up to 10 lesions") or not at all ("received one initial dose": no
  `comparator`); `unit` is the thing counted, singular ("relapse", "motor nerve").
- age: the patient's age; `unit` "a" (years), "mo", or "wk" for a gestational age ("< 32
  weeks, 0 days").
- weight: the patient's body weight ("> 30 kg").
- lab: a measured value of the patient (laboratory value, score, test result, BMI), or its
  change ("at least a 2-point improvement in the MG-ADL score": no `unit`; "10 percentage
  points": %); `name` is the analyte or test as printed ("IgG", "platelet count").
- code: a code the code sets know; `name` is the code system.
"""
Comparator = Literal["<", "<=", "=", ">=", ">"]


def _unwrapped(doc: str) -> str:
    """A list written for the source's line width, one line per item for the schema."""
    return re.sub(r"\n(?!\n|- )\s*", " ", doc).strip()


class Entity(Model):
    """A structured mention in a criterion's text: a drug, a dose, a duration, a limit, ...

    A regimen ("12 mg intravenously daily for 5 consecutive days") spans the dose, route,
    frequency and duration entities it is made of; they are listed too. A range ("2 to 17
    years", "≥ 1% ≤ 2%") has `value` and `value_max`, both bounds included, and no comparator.
    """

    label: EntityLabel = Field(description=_unwrapped(ENTITY_LABELS))
    text: str = Field(description="as printed")
    start: int = Field(description="character offset of the mention in the criterion text")
    end: int
    value: float | None = Field(default=None, description="the number, e.g. 12 for '12 months'")
    value_max: float | None = Field(default=None, description="upper bound of a range")
    unit: str | None = Field(
        default=None, description="UCUM where UCUM has one: mg, ug, [iU], U, mL, mg/kg, mg/m2, "
        "mg/wk, mg/dL, g/dL, 10*9/L, /mm3, /uL, [iU]/mL, [iU]/dL, m[iU]/mL, %, kg, kg/m2, min, "
        "h, d, wk, mo, a; {ULN}: a multiple of the upper limit of normal; "
        "frequency: an interval (wk) or a rate (/wk); count and limit of things: the thing, "
        "singular and lowercase (relapse, dose, fraction)")
    unit_text: str | None = Field(default=None, description="the unit as printed")
    comparator: Comparator | None = Field(
        default=None, description="'at least' and 'or more' are >=, 'no more than', 'up to' "
        "and 'within' are <=, 'less than' is <; null for a range or a plain value")
    name: str | None = Field(
        default=None, description="drug: the generic name (null for a brand whose generic "
        "neither the document prints nor the lexicon knows; see the `generic_unknown` issue); "
        "code: the code system; lab: the analyte or test")


Operator = Literal["all", "any", "at_least", "none"]


class Criterion(Model):
    """A node of a coverage logic tree: a leaf when it has no children.

    An inner node holds when: `all` - every child holds; `any` - at least one child holds;
    `at_least` - at least `min` children hold; `none` - no child holds (a negated list: "is not
    receiving X in combination with any of the following").
    """

    id: str = Field(description="unique within the rule file; stable across versions")
    text: str
    op: Operator | None = Field(
        default=None, description="inner nodes: all | any | at_least (with min) | none (no "
        "child may hold); leaves: null")
    min: int | None = Field(default=None, description="with at_least: how many must hold")
    children: list[Criterion] = []
    entities: list[Entity] = []
    provenance: Provenance


StatementKind = Literal["proven", "unproven", "other", "products"]
NoteKind = Literal[
    "heading", "note", "reference", "disclaimer", "explanation", "definition", "table"]


class CoverageStatement(Model):
    """A statement of the Coverage Rationale, with its criteria as a logic tree."""

    id: str = Field(description="unique within the rule file; stable across versions")
    kind: StatementKind = Field(description=(
        "proven: proven and/or medically necessary, including 'considered reconstructive and "
        "medically necessary'; "
        "unproven: unproven, not medically necessary, investigational, experimental, or "
        "'considered cosmetic and not medically necessary'; "
        "other: a benefit or process rule that is neither: covered, approved, indicated, "
        "requires prior authorization, excluded from coverage, criteria that must have been "
        "tried first or that end coverage, documentation requirements; "
        "products: the products (drugs, devices) the policy applies to, as the leaves of an "
        "'any' node"))
    heading_path: list[str] = Field(
        default=[], description="the sub-headings the statement is printed under, outer first")
    text: str = Field(description="the statement as printed: its lead-in for a list")
    criteria: Criterion | None = None
    provenance: Provenance

    @field_validator("criteria")
    @classmethod
    def _not_too_deep(cls, criteria: Criterion | None) -> Criterion | None:
        if criteria is not None and criterion_depth(criteria) > MAX_TREE_DEPTH:
            raise ValueError(f"criteria nested deeper than {MAX_TREE_DEPTH} levels")
        return criteria


def criterion_depth(root: Criterion) -> int:
    """Levels of a tree, counted without recursion (a hostile tree may be very deep)."""
    depth, level = 0, [root]
    while level:
        depth += 1
        level = [child for node in level for child in node.children]
    return depth


class CoverageNote(Model):
    """A printed item of the Coverage Rationale that is not a coverage criterion.

    With the statements' trees and the issues of kind unplaced_item, these account for every
    item the Coverage Rationale prints.
    """

    kind: NoteKind = Field(description=(
        "heading: a sub-heading (its text is in the heading_path of the statements under it); "
        "note: a printed note ('Note: ...', '*...'); "
        "reference: a pointer elsewhere ('See Benefit Considerations', 'Click here ...'); "
        "disclaimer: what the policy says of itself (whom it applies to, what it expresses); "
        "explanation: why something is so ('... unproven for the above conditions because ...'); "
        "definition: what a term means in the policy; "
        "table: a row of a table printed in the section (codes, dose limits), with the lines "
        "its cells wrap onto"))
    text: str
    provenance: Provenance


DrugRole = Literal["subject", "alternative", "prerequisite", "excluded_combination",
                   "mentioned"]
DRUG_ROLES = """What a drug is to the policy, strongest first (a drug seen in several roles
takes the first):

- subject: a product the policy governs (named in a coverage statement or its product list).
- alternative: a preferred product a member must use or change to instead.
- prerequisite: a drug the patient must have tried, failed or be unable to take first.
- excluded_combination: a drug the policy's product may not be given with (a `none` list,
  "not in combination with").
- mentioned: named in passing (a history, a note, a definition).
"""
ROLE_PRECEDENCE: tuple[DrugRole, ...] = (
    "subject", "alternative", "prerequisite", "excluded_combination", "mentioned")


class Drug(Model):
    name: str = Field(description="the generic name, without a biosimilar's suffix")
    suffix: str | None = Field(
        default=None, description="a biosimilar's four-letter suffix: 'dbll' of "
        "'brolucizumab-dbll'")
    role: DrugRole = Field(default="mentioned",
                           description=f"the strongest of `roles`. {_unwrapped(DRUG_ROLES)}")
    roles: list[DrugRole] = Field(
        default=[], description="every role the drug has in the document, strongest first "
        "(see `role`)")
    brands: list[str] = []
    criteria: list[str] = []
    provenance: Provenance


class Issue(Model):
    """Something that looked odd while extracting; recorded rather than silently guessed."""

    kind: str = Field(description=(
        "what was odd, e.g. unplaced_item: a Coverage Rationale item placed neither in a "
        "statement nor in coverage_notes (the message is its text, shortened); "
        "operator_inferred, operator_conflict, mixed_connectors: how a list's operator was read; "
        "generic_unknown: a drug named only by a brand whose generic neither the document "
        "prints nor the lexicon knows, so it is no entry of `drugs`"))
    message: str
    page: int | None = None


class RuleSet(Model):
    """One policy version as machine-readable rules."""

    schema_version: str = SCHEMA_VERSION
    policy: Policy
    source: Source
    sections: list[Section]
    coverage: list[CoverageStatement] = []
    coverage_notes: list[CoverageNote] = Field(
        default=[], description="the Coverage Rationale's items that are not criteria")
    drugs: list[Drug] = []
    codes: list[Code] = []
    revision_history: list[RevisionEntry] = []
    issues: list[Issue] = []
