"""Every printed item of a Coverage Rationale ends up in exactly one place, under a unique id."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import pytest

from extractor.criteria import Coverage, blocks_to_coverage
from extractor.layout import Line
from extractor.model import CoverageStatement, Criterion, RuleSet
from extractor.sections import Block
from tests.conftest import corpus_file
from tests.lines import line
from tests.test_criteria import rules


def read(*lines: Line) -> Coverage:
    return blocks_to_coverage([Block(title="Coverage Rationale", heading=None, lines=lines)])


def walk(node: Criterion) -> Iterator[Criterion]:
    yield node
    for child in node.children:
        yield from walk(child)


def texts(statement: CoverageStatement) -> list[str]:
    return [n.text for n in walk(statement.criteria)] if statement.criteria else []


def every_id(found: RuleSet | Coverage) -> Counter[str]:
    statements = found.coverage if isinstance(found, RuleSet) else found.statements
    ids = Counter(s.id for s in statements)
    ids.update(n.id for s in statements if s.criteria for n in walk(s.criteria))
    return ids


def test_an_item_that_is_no_statement_and_no_note_is_an_unplaced_item_issue() -> None:
    found = read(
        line("See Benefit Considerations", top=80),
        line("Drug is medically necessary when all of the following are met:", top=100),
        line("Diagnosis of MS; and", x0=54, level=1, bullet="image", top=112),
        line("Age 18 or older", x0=54, level=1, bullet="image", top=124),
        line("The program was started in 2019 with three sites.", top=140),
    )
    assert [s.text for s in found.statements] == [
        "Drug is medically necessary when all of the following are met:"]
    assert [(n.kind, n.text) for n in found.notes] == [("reference", "See Benefit Considerations")]
    assert [(i.kind, i.message) for i in found.issues] == [
        ("unplaced_item", "The program was started in 2019 with three sites.")]


def test_a_list_without_a_statement_above_is_reported_item_by_item() -> None:
    found = read(
        line("The program was started in 2019 with three sites.", top=100),
        line("Site A", x0=54, level=1, bullet="image", top=112),
        line("Site B", x0=54, level=1, bullet="image", top=124),
    )
    assert found.statements == []
    assert [i.message for i in found.issues if i.kind == "unplaced_item"] == [
        "The program was started in 2019 with three sites.", "Site A", "Site B"]


def test_a_paragraph_leading_a_list_is_a_statement_of_requirements() -> None:
    found = read(
        line("The therapy evaluation report must include all of the following:", top=100),
        line("A statement of the medical history; and", x0=54, level=1, bullet="image", top=112),
        line("A clear diagnosis", x0=54, level=1, bullet="image", top=124),
    )
    (statement,) = found.statements
    assert statement.kind == "other" and statement.criteria is not None
    assert (statement.criteria.op, len(statement.criteria.children)) == ("all", 2)
    assert found.issues == []


def test_an_unplaced_item_is_shortened_in_its_issue() -> None:
    long = "An account of the history of the program " * 10
    (issue,) = read(line(long.strip(), top=100)).issues
    assert issue.kind == "unplaced_item" and len(issue.message) == 120
    assert issue.message.endswith("…") and issue.page == 1


def test_rows_of_a_table_left_over_are_table_notes_with_their_wrapped_cells() -> None:
    found = read(
        line("Drug is medically necessary when all of the following are met:", top=80),
        line("Diagnosis of RA; and", x0=54, level=1, bullet="image", top=92),
        line("Age 18 or older", x0=54, level=1, bullet="image", top=104),
        line("", cells=(("Actemra", 36.0), ("tocilizumab", 150.0), ("800 mg", 260.0)), top=130),
        line("(1 mg per unit)", x0=260, top=142),
        line("00409-6562-20", x0=150, top=170),
    )
    assert [n.kind for n in found.notes] == ["table", "table", "table"]
    assert found.issues == []


def test_a_lead_in_wrapped_over_three_lines_keeps_its_list() -> None:
    last = line("patients who meet all of the following criteria:", top=122)
    found = read(
        line("Adzynma is proven and medically necessary for the prophylactic or on-demand",
             top=100),
        line("enzyme replacement therapy of congenital thrombotic thrombocytopenic purpura in",
             top=111),
        last.model_copy(update={"bbox": (36.0, 122.0, 250.0, 132.0)}),  # ends short
        line("Diagnosis of cTTP; and", x0=54, level=1, bullet="image", top=136),
        line("Prescribed by a hematologist", x0=54, level=1, bullet="image", top=148),
    )
    (statement,) = found.statements
    assert statement.text.endswith("who meet all of the following criteria:")
    assert statement.criteria is not None and statement.criteria.op == "all"
    assert len(statement.criteria.children) == 2 and found.issues == []


def test_a_footnote_with_no_space_after_its_star_is_a_note() -> None:
    found = read(
        line("Screening mammography is proven and medically necessary for:", top=100),
        line("Individuals aged 40 and older*", x0=54, level=1, bullet="image", top=112),
        line("Individuals with a known mutation", x0=54, level=1, bullet="image", top=124),
        line("*Screening can begin at age 30 for individuals with a known mutation.", top=140),
    )
    assert found.statements[0].criteria is not None
    assert len(found.statements[0].criteria.children) == 2
    assert [n.kind for n in found.notes] == ["note"] and found.issues == []


def test_a_statement_keeps_the_sentences_that_follow_it() -> None:
    (statement,) = read(line(
        "Coverage for Prolia will be provided contingent on the criteria below. Members must "
        "change therapy to Jubbonti unless they meet the criteria.", top=100)).statements
    assert statement.text.endswith("Members must change therapy to Jubbonti unless they meet "
                                   "the criteria.")


def test_explanation_and_disclaimer_paragraphs_are_notes_not_statements() -> None:
    found = read(
        line("This policy does not apply to members of Medicare plans.", top=80),
        line("Drug is unproven and not medically necessary for the treatment of gout.", top=100),
        line("Drug is unproven for the above conditions because studies are small.", top=120),
    )
    assert [s.kind for s in found.statements] == ["unproven"]
    assert [n.kind for n in found.notes] == ["disclaimer", "explanation"]


def test_a_statement_inside_an_indication_bullet_is_a_statement_under_that_indication() -> None:
    found = read(
        line("Drug is proven for:", bold=True, top=100),
        line("Bullous disease", x0=54, level=1, bullet="image", top=112),
        line("Drug is medically necessary for bullous disease when all of the following are met:",
             x0=54, level=1, bold=True, top=132),
        line("Diagnosis of bullous disease; and", x0=72, level=2, bullet="image", top=144),
        line("Failure of corticosteroids", x0=72, level=2, bullet="image", top=156),
        line("Kawasaki disease", x0=54, level=1, bullet="image", top=168),
    )
    proven_for, necessary = found.statements
    assert proven_for.criteria is not None and proven_for.criteria.op == "any"
    assert [c.text for c in proven_for.criteria.children] == ["Bullous disease",
                                                              "Kawasaki disease"]
    assert necessary.heading_path == ["Bullous disease"]
    assert necessary.criteria is not None and necessary.criteria.op == "all"
    assert len(necessary.criteria.children) == 2 and found.issues == []


def test_repeated_siblings_and_statements_get_unique_stable_ids() -> None:
    lines = (
        line("Drug is medically necessary when one of the following is met:", top=100),
        line("Both of the following:", x0=54, level=1, bullet="image", top=112),
        line("Diagnosis of MS", x0=72, level=2, bullet="image", top=124),
        line("Age 18 or older", x0=72, level=2, bullet="image", top=136),
        line("Both of the following:", x0=54, level=1, bullet="image", top=148),
        line("Diagnosis of MS", x0=72, level=2, bullet="image", top=160),
        line("Age 12 or older", x0=72, level=2, bullet="image", top=172),
        line("Drug is medically necessary when one of the following is met:", top=190),
        line("Diagnosis of NMOSD", x0=54, level=1, bullet="image", top=202),
    )
    found = read(*lines)
    assert max(every_id(found).values()) == 1
    assert every_id(read(*lines)) == every_id(found)
    first, _ = found.statements
    alone = read(*lines[:4]).statements[0]
    assert alone.id == first.id and first.criteria is not None and alone.criteria is not None
    assert first.criteria.children[0].id == alone.criteria.children[0].id


def test_products_the_policy_refers_to_are_an_any_of_products() -> None:
    found = read(
        line("This policy refers to the following testosterone products:", top=100),
        line("Aveed (testosterone undecanoate)", x0=54, level=1, bullet="image", top=112),
        line("Testopel (testosterone pellets)", x0=54, level=1, bullet="image", top=124),
    )
    (products,) = found.statements
    assert products.kind == "products" and products.criteria is not None
    assert products.criteria.op == "any" and len(products.criteria.children) == 2
    assert found.issues == []


# Real pages: one regression test per quirk, named after it.

def rules_of(name: str) -> RuleSet:
    return rules(corpus_file(name))


@pytest.mark.corpus
def test_reconstructive_and_cosmetic_statements_brow_ptosis() -> None:
    coverage = rules_of("uhc-comm-medical_brow-ptosis-eyelid-repair_2026-01-01.pdf").coverage
    kinds = {s.text.split(" is ")[0].split(" are ")[0]: s.kind for s in coverage}
    assert kinds["Internal Browpexy for any condition"] == "unproven"
    assert kinds["Brow ptosis repair and repair of the eyelid"] == "proven"
    assert len(coverage) >= 6


@pytest.mark.corpus
def test_cosmetic_orthognathic_surgery_is_a_statement() -> None:
    coverage = rules_of("uhc-comm-medical_orthognathic-jaw-surgery_2026-01-01.pdf").coverage
    assert {"proven", "unproven"} <= {s.kind for s in coverage}


@pytest.mark.corpus
def test_indicated_for_individuals_who_provide_documentation_gender_dysphoria() -> None:
    coverage = rules_of("uhc-comm-medical_gender-dysphoria-treatment_2026-01-01.pdf").coverage
    (indicated,) = [s for s in coverage if "may be indicated for individuals" in s.text]
    assert indicated.criteria is not None and len(indicated.criteria.children) == 3
    assert len(texts(indicated)) == 23


@pytest.mark.corpus
def test_must_have_been_tried_and_should_be_discontinued_npwt() -> None:
    coverage = rules_of("uhc-comm-medical_negative-pressure-wound-therapy_2026-01-01.pdf").coverage
    tried = [s for s in coverage if "must have been tried" in s.text]
    stop = [s for s in coverage if "should be discontinued" in s.text]
    assert len(tried) == len(stop) == 1
    assert tried[0].criteria is not None and len(tried[0].criteria.children) == 6
    assert stop[0].criteria is not None and stop[0].criteria.op == "any"
    assert stop[0].heading_path == []


@pytest.mark.corpus
def test_documentation_requirements_are_statements_habilitative_services() -> None:
    rules_ = rules_of(
        "uhc-comm-medical_habilitative-services-outpatient-rehabilitation-therapy_2026-01-01.pdf")
    assert not [i for i in rules_.issues if i.kind == "unplaced_item"]
    assert sum(len(texts(s)) for s in rules_.coverage) >= 69


@pytest.mark.corpus
def test_disclaimer_paragraph_is_no_statement_therapeutic_equivalent() -> None:
    rules_ = rules_of(
        "uhc-comm-drug_medical-benefit-therapeutic-equivalent-excluded-drugs_2025-10-01.pdf")
    assert not [s for s in rules_.coverage if "Policies express" in s.text]
    assert any(n.kind == "disclaimer" and "Policies express" in n.text
               for n in rules_.coverage_notes)
    (excluded,) = [s for s in rules_.coverage if "will be" in s.text and s.criteria]
    assert excluded.criteria is not None and len(texts(excluded)) == 8


@pytest.mark.corpus
def test_statement_inside_indication_bullet_immune_globulin() -> None:
    coverage = rules_of("uhc-comm-drug_immune-globulin-ivig-scig_2026-01-01.pdf").coverage
    bullous = [s for s in coverage if s.text.startswith(
        "Immune globulin is medically necessary for the treatment of autoimmune bullous")]
    assert len(bullous) == 1 and bullous[0].heading_path[-1].startswith(
        "Autoimmune bullous diseases")
    proven_for = [s for s in coverage if s.text == "Immune globulin is proven for:"]
    assert proven_for and all(
        not any("medically necessary" in t for t in texts(s)) for s in proven_for)


@pytest.mark.corpus
def test_contingent_coverage_keeps_its_second_sentence_esa() -> None:
    coverage = rules_of("uhc-comm-drug_erythropoiesis-stimulating-agents_2025-04-01.pdf").coverage
    (contingent,) = [s for s in coverage if s.text.startswith("Coverage for Epogen or Procrit")]
    assert "In order to continue coverage, members" in contingent.text


@pytest.mark.corpus
def test_products_the_policy_refers_to_feed_drugs_testosterone() -> None:
    rules_ = rules_of("uhc-comm-drug_testosterone-replacement-supp-therapy_2026-01-01.pdf")
    (products,) = [s for s in rules_.coverage if s.kind == "products"]
    assert products.criteria is not None and products.criteria.op == "any"
    leaves = {c.id for c in products.criteria.children}
    assert leaves & {c for d in rules_.drugs for c in d.criteria}


@pytest.mark.corpus
def test_footnote_star_paragraph_is_a_note_breast_imaging() -> None:
    rules_ = rules_of("uhc-comm-medical_breast-imaging-screening-diagnosing-cancer_2026-02-01.pdf")
    every = [t for s in rules_.coverage for t in texts(s)]
    assert not [t for t in every if t.startswith("*")]
    assert any(n.kind == "note" and n.text.startswith("*") for n in rules_.coverage_notes)


SAMPLE = (
    "uhc-comm-drug_immune-globulin-ivig-scig_2026-01-01.pdf",
    "uhc-comm-medical_gender-dysphoria-treatment_2026-01-01.pdf",
    "uhc-comm-drug_ustekinumab_2026-01-01.pdf",
    "uhc-comm-drug_lemtrada-alemtuzumab_2025-10-01.pdf",
    "uhc-comm-medical_negative-pressure-wound-therapy_2026-01-01.pdf",
)


@pytest.mark.corpus
@pytest.mark.parametrize("name", SAMPLE)
def test_node_ids_are_unique_within_a_rule_file(name: str) -> None:
    repeated = {i: n for i, n in every_id(rules_of(name)).items() if n > 1}
    assert repeated == {}


@pytest.mark.corpus
def test_evidence_and_references_printed_in_a_coverage_rationale_are_notes() -> None:
    """Omnibus codes prints, per code, its evidence ("Bhardwaj et al.(2020) used ...",
    "According to the manufacturer, ...") and references ("da Cruz L, Dorn JD, ... 2016
    Oct;123(10):2248-54."): explanation and reference notes, not unplaced items."""
    ruleset = rules_of("uhc-comm-medical_omnibus-codes_2026-01-01.pdf")
    kinds = {n.kind for n in ruleset.coverage_notes if n.text.startswith("da Cruz L, Dorn JD")}
    assert kinds == {"reference"}
    kinds = {n.kind for n in ruleset.coverage_notes
             if n.text.startswith("According to the manufacturer")}
    assert kinds == {"explanation"}
    unplaced = [i for i in ruleset.issues if i.kind == "unplaced_item"]
    assert len(unplaced) < 60  # 371 before evidence and references were told apart


@pytest.mark.corpus
def test_sub_headings_in_a_typeface_used_later_are_inner_esa() -> None:
    """ESA prints "Diagnosis-Specific Criteria" in bold Georgia, the indications under it in
    bold italic Georgia and "Patients Receiving Dialysis" under those in bold Arial, all of one
    size: the typeface a section uses first for its headings is the outer."""
    coverage = rules_of("uhc-comm-drug_erythropoiesis-stimulating-agents_2025-04-01.pdf").coverage
    paths = {tuple(s.heading_path) for s in coverage if s.kind == "proven"}
    assert ("Diagnosis-Specific Criteria", "Anemia Due to Chronic Kidney Disease",
            "Patients Not Receiving Dialysis", "Initial Therapy") in paths
    assert ("Diagnosis-Specific Criteria", "Anemia Due to Cancer Chemotherapy",
            "Initial Therapy") in paths


@pytest.mark.corpus
def test_preferred_product_criteria_heading_is_in_the_path_infliximab() -> None:
    coverage = rules_of("uhc-comm-drug_infliximab-remicade-inflectra_2026-02-01.pdf").coverage
    (preferred,) = [s for s in coverage if s.text.startswith("Treatment with Remicade")]
    assert preferred.heading_path[:2] == ["Preferred Product", "Medical Necessity Plans"]
    assert preferred.heading_path[2].startswith("Preferred Product Criteria")


@pytest.mark.corpus
def test_policy_addresses_the_following_products_esa() -> None:
    coverage = rules_of("uhc-comm-drug_erythropoiesis-stimulating-agents_2025-04-01.pdf").coverage
    (products,) = [s for s in coverage if s.kind == "products"]
    assert products.criteria is not None and products.criteria.op == "any"
    assert len(products.criteria.children) == 5


@pytest.mark.corpus
def test_pointer_after_a_sentence_is_a_reference_infliximab() -> None:
    """ "There may be other conditions ... . Refer to the Benefit Considerations section ..." """
    ruleset = rules_of("uhc-comm-drug_infliximab-remicade-inflectra_2026-02-01.pdf")
    assert not [i for i in ruleset.issues if i.kind == "unplaced_item"]
    assert any(n.kind == "reference" and n.text.startswith("There may be other conditions")
               for n in ruleset.coverage_notes)


@pytest.mark.corpus
def test_cells_of_a_table_led_in_by_a_statement_are_table_notes_chemotherapy() -> None:
    """A four-column regimen table: cells wrap, columns hold lists, a row's cells are read one
    after the other; its bold header row is neither a heading nor a criterion."""
    ruleset = rules_of(
        "uhc-comm-medical_chemotherapy-observation-inpatient-hospitalization_2026-01-01.pdf")
    tables = [n.text for n in ruleset.coverage_notes if n.kind == "table"]
    assert "Vasopressor support with dopamine" in tables
    assert "Methylprednisolone 50 mg" in tables
    assert all(not s.heading_path for s in ruleset.coverage)
    inpatient = [s for s in ruleset.coverage if s.text.startswith("An inpatient stay")]
    assert inpatient and inpatient[0].criteria is None
    unplaced = [i.message for i in ruleset.issues if i.kind == "unplaced_item"]
    assert len(unplaced) <= 1  # the paragraph of background above the statement


@pytest.mark.corpus
def test_a_table_under_a_lead_in_gives_no_criteria_oncology() -> None:
    """ "Below are UnitedHealthcare preferred oncology products:" over a three-column table:
    its rows are table notes, and the cells of its first column wrapped under a row too."""
    ruleset = rules_of("uhc-comm-drug_oncology-medication-clinical-coverage-policy_2026-01-01.pdf")
    (below,) = [s for s in ruleset.coverage if s.text.startswith("Below are")]
    assert below.criteria is None
    tables = [n.text for n in ruleset.coverage_notes if n.kind == "table"]
    assert "Zirabev (bevacizumab-bvzr)" in tables and "hyaluronidase-tqjs)" in tables
    assert not [i for i in ruleset.issues if i.kind == "unplaced_item"]


@pytest.mark.corpus
def test_a_cell_wrapped_in_the_first_column_is_the_tables_clotting_factors() -> None:
    ruleset = rules_of("uhc-comm-drug_clotting-factors-coagulant-blood-products_2026-01-01.pdf")
    assert any(n.kind == "table" and n.text == "acid (siRNA)" for n in ruleset.coverage_notes)


@pytest.mark.corpus
def test_evidence_and_references_in_other_words_are_notes_omnibus() -> None:
    """References with "Available at:", "[Internet]", a year or a town and state at their end,
    and descriptions of a technology with no article ("CAD systems are adjunctive tools")."""
    ruleset = rules_of("uhc-comm-medical_omnibus-codes_2026-01-01.pdf")
    def kinds(start: str) -> set[str]:
        return {n.kind for n in ruleset.coverage_notes if n.text.startswith(start)}

    assert kinds("Zoll Medical Corporation, Corporate Headquarters") == {"reference"}
    assert kinds("Computer aided detection (CAD) systems") == {"explanation"}
    assert len([i for i in ruleset.issues if i.kind == "unplaced_item"]) < 20


@pytest.mark.corpus
def test_a_figure_dash_printed_apart_is_no_table_cell_testosterone() -> None:
    """ "‒ Both of the following:" is printed with its dash set apart, in two spans: it is a
    criterion of the list, not a row of a table."""
    ruleset = rules_of("uhc-comm-drug_testosterone-replacement-supp-therapy_2026-01-01.pdf")
    every = [t for s in ruleset.coverage for t in texts(s)]
    assert any(t.endswith("Both of the following:") for t in every)
    assert not [n for n in ruleset.coverage_notes if n.kind == "table"]


@pytest.mark.corpus
def test_upright_heading_is_outer_to_an_italic_one_used_first_rituximab() -> None:
    """Rituximab's first headings are the bold italic Georgia plan headings; the bold upright
    Georgia "Diagnosis-Specific Criteria" after them is still their sibling, not their child."""
    coverage = rules_of("uhc-comm-drug_rituxan-rituximab_2026-01-01.pdf").coverage
    itp = [s for s in coverage if "immune thrombocytopenic purpura when" in s.text]
    assert itp and itp[0].heading_path[0] == "Diagnosis-Specific Criteria"
