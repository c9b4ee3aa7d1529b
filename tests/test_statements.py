"""Statement kinds by what they say, and the paragraphs of a Coverage Rationale that are none."""

from __future__ import annotations

import pytest

from extractor.headings import heading_name
from extractor.statements import (
    leftover_kind,
    note_kind,
    scope_then_statement,
    statement_kind,
)


@pytest.mark.parametrize(("text", "kind"), [
    ("Brow ptosis repair is considered reconstructive and medically necessary when:", "proven"),
    ("Eyelid surgery may be considered reconstructive and medically necessary when all of the "
     "following are met:", "proven"),
    ("Internal Browpexy for any condition is considered cosmetic and not medically necessary.",
     "unproven"),
    ("Orthognathic surgery is considered cosmetic when performed to improve appearance.",
     "unproven"),
    ("Surgical treatment may be indicated for individuals who provide the following "
     "documentation:", "other"),
    ("Alyglo and Panzyga are typically excluded from coverage.", "other"),
    ("A complete wound therapy program, meeting the following criteria, must have been tried, "
     "or considered and ruled out prior to initiation of NPWT:", "other"),
    ("NPWT should be discontinued when any of the following criteria are present:", "other"),
    ("This service requires prior authorization.", "other"),
    ("This policy refers to the following testosterone products:", "products"),
    ("Drug is not medically necessary for maintenance therapy.", "unproven"),
    ("Drug is proven and medically necessary for the treatment of MS.", "proven"),
    ("Orthognathic surgery is not considered Reconstructive and medically necessary for all "
     "other indications.", "unproven"),
    ("A medication will be subject to medical drug exclusion when it is listed.", "other"),
    ("Vyvgart Hytrulo for self-administered injection is obtained under the pharmacy benefit.",
     "other"),
    ("TenJet is not reasonable and necessary for the treatment of tendinopathy.", "unproven"),
    ("This policy refers only to the following complement inhibitor products:", "products"),
    ("Ilumya for self-administered injection should be obtained under the pharmacy benefit.",
     "other"),
    ("Any approved product not listed by name will be considered non-preferred.", "other"),
    ("Prior authorization is required for procedures listed in the Applicable Codes section.",
     "other"),
    ("Benefits are available for fertility preservation for medical reasons.", "other"),
    ("The list of proven indications follows.", None),
])
def test_statement_kinds_by_meaning(text: str, kind: str | None) -> None:
    assert statement_kind(text) == kind


@pytest.mark.parametrize(("text", "kind"), [
    ("*Screening can begin at age 25 for individuals with a known mutation.", "note"),
    ("* Tomosynthesis is considered part of a mammogram.", "note"),
    ("Note: This policy applies to adults.", "note"),
    ("See Benefit Considerations", "reference"),
    ("Click here to view the InterQual® criteria.", "reference"),
    ("This Medical Policy does not apply to cognitive therapy.", "disclaimer"),
    ("Medical Benefit Drug Policies express the determination of whether a health service is "
     "proven to be effective.", "disclaimer"),
    ("Drug X is unproven for the above conditions because the evidence is insufficient.",
     "explanation"),
    ("For the purpose of this policy, a visit is defined as one session.", "definition"),
    ("Imaavy has been added to the Review at Launch program. Some members may not be eligible.",
     "disclaimer"),
    ("“Natalizumab” will be used to refer to all natalizumab products.", "definition"),
    ("For coverage guidelines, refer to the Medical Policy titled Surgery of the Hip.",
     "reference"),
    ("Medicare does not have an NCD for surgery of the ankle. LCDs/LCAs do not exist.",
     "reference"),
    ("Preferred Product Criteria (For Medicare reviews, refer to the CMS section*.)", "heading"),
    ("For Zoladex, there is no clinical data on the effect of treatment.", "explanation"),
    ("For the criteria below, the term “GnRH analogs” will be used in this policy.",
     "definition"),
    ("This policy provides information about the use of certain medications.", "disclaimer"),
    ("The information below indicates additional requirements for those indications.",
     "explanation"),
    ("†For quality purposes only, this information will not be considered.", "note"),
    ("Also, refer to the Repeat Testing section below.", "reference"),
    ("This policy refers to Entyvio (vedolizumab) injection for intravenous infusion.",
     "disclaimer"),
    ("The table below shows the FDA approved products and their labeled dosage:", "explanation"),
    ("Efficacy for these conditions has not been described in adequately designed studies.",
     "explanation"),
    ("*Rituxan Hycela is unproven and not medically necessary for non-oncology indications.",
     None),
    ("*Any approved product not listed by name will be considered non-preferred.", "note"),
    ("Diagnosis of multiple sclerosis", None),
    ("Drug is proven for the treatment of MS.", None),
])
def test_paragraphs_that_are_not_criteria(text: str, kind: str | None) -> None:
    assert note_kind(text) == kind


@pytest.mark.parametrize(("text", "kind"), [
    ("Genetic counseling is strongly recommended prior to testing.", "note"),
    ("While a beneficial effect has been reported, none have shown results in trials.",
     "explanation"),
    ("Intensive Insulin Therapy", "heading"),
    ("Requests should be documented using the certification form.", None),
])
def test_paragraphs_left_over_once_statements_are_read(text: str, kind: str | None) -> None:
    assert leftover_kind(text) == kind


def test_a_scope_sentence_followed_by_a_benefit_rule_is_a_statement_paragraph() -> None:
    assert scope_then_statement(
        "This policy refers to Leqembi for intravenous infusion. Leqembi for self-administered "
        "injection is obtained under the pharmacy benefit.")
    assert not scope_then_statement("This policy refers to Leqembi for intravenous infusion.")
    assert scope_then_statement(
        "Note: This policy applies to individuals 19 years of age or older. IMRT is covered "
        "without further review for individuals younger than 19 years of age.")
    assert not scope_then_statement(
        "Medical Benefit Drug Policies express the determination of whether a health service is "
        "proven. They are also used to decide whether a service is medically necessary.")


@pytest.mark.parametrize(("printed", "name"), [
    ("Preferred Product Criteria (For Medicare reviews, refer to the CMS section**.)",
     "Preferred Product Criteria"),
    ("Medical Necessity Criteria (for Medicare reviews, refer to the CMS section*)",
     "Medical Necessity Criteria"),
    ("Dermatology (See Note)", "Dermatology"),
    ("Multiple myeloma (MM)", "Multiple myeloma (MM)"),
    ("(see below)", "(see below)"),
])
def test_heading_pointer_in_brackets_is_not_part_of_its_name(printed: str, name: str) -> None:
    assert heading_name(printed) == name
