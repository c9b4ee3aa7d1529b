"""Clinical entities in criterion text, and the policy-level drug list."""

from __future__ import annotations

import pytest

from extractor.drugs import annotate_coverage, canonical, descriptor_pairs, printed_pairs
from extractor.model import CoverageStatement, Criterion, Entity, Provenance
from extractor.nlp import annotate, annotator
from tests.conftest import corpus_file
from tests.test_criteria import rules

HERE = Provenance(page=1, bbox=(0.0, 0.0, 1.0, 1.0))


def entities(text: str, printed: dict[str, str] | None = None) -> list[Entity]:
    return annotate([text], printed)[0]


def facts(text: str, label: str) -> list[tuple[object, ...]]:
    return [(e.text, e.value, e.value_max, e.unit, e.comparator)
            for e in entities(text) if e.label == label]


def test_the_pipeline_is_built_once_and_has_no_trained_components() -> None:
    assert annotator() is annotator()
    assert annotator().nlp.pipe_names == ["entity_ruler", "quantities"]


def test_regimen_is_a_dose_with_its_route_frequency_and_duration() -> None:
    text = "Initial dosing is administered: 12 mg intravenously daily for 5 consecutive days"
    found = {e.label: e for e in entities(text)}
    assert found["regimen"].text == "12 mg intravenously daily for 5 consecutive days"
    assert (found["dose"].value, found["dose"].unit) == (12.0, "mg")
    assert found["route"].text == "intravenously"
    assert (found["frequency"].text, found["frequency"].unit) == ("daily", "/d")
    assert (found["duration"].value, found["duration"].unit) == (5.0, "d")
    regimen = found["regimen"]
    assert text[regimen.start:regimen.end] == regimen.text


def test_dose_per_weight_and_interval() -> None:
    found = {e.label: e for e in entities("Dosing: 10mg/kg every 4 weeks")}
    assert (found["dose"].value, found["dose"].unit) == (10.0, "mg/kg")
    assert (found["frequency"].value, found["frequency"].unit) == (4.0, "wk")
    assert found["regimen"].text == "10mg/kg every 4 weeks"


def test_authorization_limits_in_time_and_doses() -> None:
    text = "Initial authorization is for no more than 12 months and no more than 5 doses"
    assert facts(text, "limit") == [
        ("no more than 12 months", 12.0, None, "mo", "<="),
        ("no more than 5 doses", 5.0, None, "dose", "<="),
    ]
    assert facts("Authorization will be for 12 months", "limit") == [
        ("12 months", 12.0, None, "mo", "<=")]


def test_durations_keep_their_comparator_and_lead_ins_are_not_counts() -> None:
    text = ("Patient has history of failure following a trial for at least 4 weeks or history of "
            "intolerance to at least two of the following:")
    assert [e.label for e in entities(text)] == ["duration"]
    assert facts(text, "duration") == [("at least 4 weeks", 4.0, None, "wk", ">=")]
    assert facts("Regimen is administered only once within 12 months", "duration") == [
        ("within 12 months", 12.0, None, "mo", "<=")]


def test_ages_and_counts() -> None:
    assert facts("Patient is 18 years of age or older; and", "age") == [
        ("18 years of age or older", 18.0, None, "a", ">=")]
    assert facts("Patient is ≥18 years of age", "age")[0][1:] == (18.0, None, "a", ">=")
    assert facts("aged 2 to 17 years", "age")[0][1:3] == (2.0, 17.0)
    assert facts("Patient has had at least 2 relapses in the previous year", "count") == [
        ("at least 2 relapses", 2.0, None, "relapse", ">=")]


def test_codes_are_kept_only_when_the_code_sets_know_them() -> None:
    found = [(e.text, e.name) for e in entities("Diagnosis of G35 or B99.9Z; billed as J0202")
             if e.label == "code"]
    assert found == [("G35", "ICD-10-CM"), ("J0202", "HCPCS")]


def test_drugs_by_lexicon_not_units_classes_or_abbreviations() -> None:
    text = ("Patient is not receiving Tysabri, immunosuppressants, NSAIDs or 12 mg of "
            "glatiramer acetate")
    drugs = [(e.text, e.name) for e in entities(text) if e.label == "drug"]
    assert ("Tysabri", "natalizumab") in drugs
    assert all(t not in ("immunosuppressants", "NSAIDs", "mg") for t, _ in drugs)


def test_printed_pairs_in_both_directions() -> None:
    pairs = printed_pairs([
        "rituximab (Riabni™, Rituxan®, Ruxience®, & Truxima®)",
        "Lemtrada (alemtuzumab) is proven and medically necessary",
        "history of intolerance to interferon β-1a (Avonex® or Rebif®)",
        "Cryopyrin-associated periodic syndrome (CAPS)",
        "agents (e.g., Humira®, Enbrel®)",
    ])
    assert {k: v for k, v in pairs.items() if v == "rituximab"} == {
        "rituximab": "rituximab", "riabni": "rituximab", "rituxan": "rituximab",
        "ruxience": "rituximab", "truxima": "rituximab"}
    assert pairs["lemtrada"] == "alemtuzumab"
    assert pairs["avonex"] == pairs["rebif"] == "interferon β-1a"
    assert "caps" not in pairs and "humira" not in pairs


@pytest.mark.parametrize(("text", "brand", "generic"), [
    ("Camcevi™ (leuprolide mesylate)", "camcevi", "leuprolide mesylate"),
    ("Iluvien® (fluocinolone acetonide intravitreal implant)", "iluvien",
     "fluocinolone acetonide"),
    ("Purified Cortrophin Gel™ (repository corticotropin injection USP)", "purified cortrophin gel",
     "corticotropin"),
    ("Elelyso® (taliglucerase)", "elelyso", "taliglucerase")])
def test_a_generic_printed_with_its_form_or_an_enzyme_stem_pairs_its_brand(
        text: str, brand: str, generic: str) -> None:
    assert printed_pairs([text])[brand] == generic


def test_an_enzyme_stem_needs_a_trademark_and_a_lowercase_phrase_is_no_generic() -> None:
    assert printed_pairs(["Kerecis® (fish skin)", "Phase (disease)", "Case (database)"]) == {}


def test_in_a_drug_policy_a_trademarked_name_is_a_product() -> None:
    texts = ["Enjaymo® is medically necessary", "an oral phosphate agent (e.g., K-Phos®)",
             "For Riabni®, the patient", "per the NCCN Drugs & Biologics Compendium®",
             "AAV5 DetectCDx™", "Omnipod® (insulin pump)"]
    pairs = printed_pairs(texts, products=True)
    # a product the lexicon does not know keeps no generic name
    assert pairs == {"enjaymo": "", "k-phos": "", "riabni": ""}
    assert [(e.label, e.text, e.name) for e in annotate(texts[:1], pairs)[0]] == [
        ("drug", "Enjaymo", None)]
    assert printed_pairs(texts) == {}
    assert printed_pairs(["For® the patient", "Or™"], products=True) == {}


@pytest.mark.parametrize(("descriptor", "pairs"), [
    ("Injection, infliximab-dyyb, biosimilar, (Inflectra), 10 mg",
     [("infliximab-dyyb", ["Inflectra"])]),
    ("Injection, denosumab (jubbonti/wyost), biosimilar, 1 mg",
     [("denosumab", ["jubbonti", "wyost"])]),
    ("Injection, leuprolide, camcevi, 1 mg", [("leuprolide", ["camcevi"])]),
    ("Hyaluronan or derivative, hyalgan, supartz or visco-3, for intra-articular injection, "
     "per dose", [("hyaluronan", ["hyalgan", "supartz", "visco-3"])]),
    ("Injection, immune globulin (gamunex-c/gammaked), non-lyophilized (e.g., liquid), 500 mg",
     [("immune globulin", ["gamunex-c", "gammaked"])]),
    ("Injection, secukinumab, IV, 1 mg", []),
    ("Injection, hyaluronidase, ovine, preservative free, per 1 usp unit", []),
    ("Injection, lenacapavir, 1 mg, FDA-approved prescription, only for use as HIV "
     "pre-exposure prophylaxis (PrEP)", []),
])
def test_hcpcs_descriptors_pair_brands_with_their_generic(
        descriptor: str, pairs: list[tuple[str, list[str]]]) -> None:
    assert list(descriptor_pairs(descriptor)) == pairs


def test_the_text_s_own_pairs_come_before_a_descriptor_s() -> None:
    pairs = printed_pairs(["Jubbonti® (denosumab-bbdz)"],
                          descriptors=["Injection, denosumab (jubbonti/wyost), biosimilar, 1 mg"])
    assert pairs["jubbonti"] == "denosumab-bbdz" and pairs["wyost"] == "denosumab"


def test_a_brand_printed_as_an_ordinary_word_is_that_word() -> None:
    [found] = annotate(["Complete® dressing; complete response"], {"complete": "collagen"})
    assert [e.text for e in found if e.label == "drug"] == ["Complete"]


def test_a_brand_hyphenated_after_a_short_word_has_no_biosimilar_suffix() -> None:
    assert canonical("k-phos") == ("k-phos", None)
    assert canonical("brolucizumab-dbll") == ("brolucizumab", "dbll")


def test_routes_written_as_one_word_and_not_the_organ_they_name() -> None:
    texts = ["sodium hyaluronate for intraarticular injection", "administered intravesically",
             "elevated intraocular pressure", "intraventricular hemorrhage"]
    routes = [[e.text for e in found if e.label == "route"] for found in annotate(texts)]
    assert routes == [["intraarticular injection"], ["intravesically"], [], []]


def test_clotting_factors_given_are_drugs_measured_or_inhibited_are_not() -> None:
    texts = ["a minimum of 50 exposure days to a factor IX agent", "recombinant factor VIIa",
             "factor IX activity less than 2%", "history of inhibitors to factor IX",
             "Factor Xa inhibitors", "anti-factor Xa level", "factor VIII deficiency",
             "ALA dehydratase deficient porphyria"]
    drugs = [[e.name for e in found if e.label == "drug"] for found in annotate(texts)]
    assert drugs == [["factor ix"], ["factor viia"], [], [], [], [], [], []]


def node(text: str, *children: Criterion) -> Criterion:
    return Criterion(id=text[:12], text=text, op="all" if children else None,
                     children=list(children), provenance=HERE)


def test_drug_list_names_generics_with_printed_brands_and_criteria() -> None:
    tree = node("Lemtrada (alemtuzumab) is proven when all of the following are met:",
                node("rituximab (Riabni™, Rituxan®, Ruxience®, & Truxima®)"),
                node("Patient is not receiving Rituxan with alemtuzumab"))
    statement = CoverageStatement(id="s", kind="proven", text=tree.text, criteria=tree,
                                  provenance=HERE)
    [annotated], drugs = annotate_coverage([statement])
    by_name = {d.name: d for d in drugs}
    assert list(by_name) == ["alemtuzumab", "rituximab"]
    assert by_name["alemtuzumab"].brands == ["Lemtrada"]
    assert by_name["rituximab"].brands == ["Riabni", "Rituxan", "Ruxience", "Truxima"]
    assert by_name["rituximab"].criteria == [tree.children[0].id, tree.children[1].id]
    assert annotated.criteria is not None
    assert [e.label for e in annotated.criteria.children[0].entities] == ["drug"] * 5


def test_lemtrada_drugs_and_entities() -> None:
    ruleset = rules(corpus_file("uhc-comm-drug_lemtrada-alemtuzumab_2025-10-01.pdf"))
    names = [d.name for d in ruleset.drugs]
    assert names[0] == "alemtuzumab"
    assert {"interferon beta-1a", "glatiramer acetate", "rituximab", "ublituximab"} <= set(names)
    roles = {d.name: d.role for d in ruleset.drugs}
    assert roles["alemtuzumab"] == "subject"
    assert roles["rituximab"] == roles["ublituximab"] == "prerequisite"
    root = ruleset.coverage[0].criteria
    assert root is not None
    naive = root.children[1].children[0]
    labels = {e.label for child in naive.children[1:] for e in child.entities}
    assert {"regimen", "dose", "route", "frequency", "duration", "limit"} <= labels


def test_drug_roles_from_where_they_are_named() -> None:
    tree = node("Briumvi is medically necessary when all of the following criteria are met:",
                node("History of failure, contraindication, or intolerance to rituximab"),
                Criterion(id="none", text="Patient is not receiving Briumvi in combination "
                          "with any of the following:", op="none", provenance=HERE,
                          children=[node("natalizumab"), node("brolucizumab-dbll")]),
                node("Members must change therapy to ocrelizumab"))
    statement = CoverageStatement(id="s", kind="proven", text=tree.text, criteria=tree,
                                  provenance=HERE)
    products = CoverageStatement(
        id="p", kind="products", text="This policy applies to the following products:",
        criteria=Criterion(id="list", text="The following:", op="any", provenance=HERE,
                           children=[node("Briumvi (ublituximab-xiiy)"), node("brolucizumab")]),
        provenance=HERE)
    _, drugs = annotate_coverage([statement, products], (),
                                 ["Briumvi (ublituximab-xiiy) is an anti-CD20 antibody"])
    roles = {(d.name, d.suffix): (d.role, d.roles) for d in drugs}
    assert roles[("ublituximab", "xiiy")][0] == "subject"
    assert roles[("rituximab", None)] == ("prerequisite", ["prerequisite"])
    assert roles[("natalizumab", None)] == ("excluded_combination", ["excluded_combination"])
    assert roles[("ocrelizumab", None)] == ("alternative", ["alternative"])
    # one drug, with its suffix, though also named bare
    assert roles[("brolucizumab", "dbll")] == ("subject", ["subject", "excluded_combination"])
    assert all(d.role for d in drugs)
