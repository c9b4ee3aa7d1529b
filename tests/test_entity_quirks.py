"""Regression tests for entity quirks found on the development part of the entity set, one
per quirk, each named after it."""

from __future__ import annotations

from extractor.drugs import (
    annotate_coverage,
    canonical,
    printed_pairs,
    title_pairs_text,
    unknown_generics,
)
from extractor.model import CoverageStatement, Criterion, Entity, Provenance
from extractor.nlp import annotate
from extractor.quantities import text_to_quantities

HERE = Provenance(page=1, bbox=(0.0, 0.0, 1.0, 1.0))


def found(text: str, printed: dict[str, str] | None = None) -> list[tuple[str, str]]:
    return [(e.label, e.text) for e in annotate([text], printed)[0]]


def entity(text: str, label: str) -> Entity:
    return next(e for e in annotate([text])[0] if e.label == label)


def test_iu_per_ml_is_not_milli_iu_per_ml() -> None:
    units = [q.unit for q in text_to_quantities(
        "factor VIII (< 0.01 IU/mL, < 1 IU/dL); erythropoietin ≤ 500 mUnits/mL, ≥ 10 mIU/mL")]
    assert units == ["[iU]/mL", "[iU]/dL", "m[iU]/mL", "m[iU]/mL"]


def test_a_route_and_its_form_are_one_route() -> None:
    assert found("Patient has previously received Gazyva injection for intravenous infusion") \
        == [("drug", "Gazyva"), ("route", "injection"), ("route", "intravenous infusion")]
    assert ("route", "subcutaneous injection") in found(
        "given by subcutaneous injection every 4 weeks")
    assert ("route", "Intravitreal injection") in found("Intravitreal injection of Eylea")


def test_a_name_its_lab_value_follows_is_the_analyte_not_a_drug() -> None:
    assert found("endogenous factor VIII levels less than 1% of normal factor VIII "
                 "(< 0.01 IU/mL, < 1 IU/dL)") == [
        ("lab", "less than 1%"), ("lab", "< 0.01 IU/mL"), ("lab", "< 1 IU/dL")]
    inhibitors = found("history of inhibitors to factor VIII greater than or equal to 0.6 "
                       "Bethesda units (BU)")
    assert inhibitors == [("lab", "greater than or equal to 0.6 Bethesda units")]
    assert ("drug", "factor VIII") in found("a minimum of 150 exposure days to a factor VIII "
                                            "agent")


def test_a_brand_printed_with_its_mark_inside_is_one_name() -> None:
    texts = ["Eylea® HD (aflibercept)", "Eylea HD (aflibercept) is proven"]
    pairs = printed_pairs(texts)
    assert [(e.text, e.name) for e in annotate(texts, pairs)[0]] == [
        ("Eylea® HD", "aflibercept"), ("aflibercept", "aflibercept")]


def test_brands_joined_by_a_slash_are_two_brands() -> None:
    text = "Simponi (golimumab), Xeljanz/Xeljanz XR (tofacitinib)"
    pairs = printed_pairs([text])
    assert pairs["xeljanz xr"] == "tofacitinib" and "xr" not in pairs
    assert [e.text for e in annotate([text], pairs)[0]][-3:] == [
        "Xeljanz", "Xeljanz XR", "tofacitinib"]


def test_a_generic_with_a_usan_qualifier_pairs_with_its_brand() -> None:
    pairs = printed_pairs(["Rebyota (fecal microbiota, live-jslm) is proven",
                           "Adzynma (ADAMTS13, recombinant-krhn)"])
    assert pairs["rebyota"] == "fecal microbiota, live-jslm"
    assert pairs["adzynma"] == "adamts13, recombinant-krhn"


def test_an_ordinary_english_noun_is_no_unknown_generic() -> None:
    text = "NCCN Clinical practice guidelines in oncology (NCCN Guidelines®)."
    assert printed_pairs([text]) == {}
    assert found("Eastern Cooperative Oncology Group (ECOG) Performance Status ≤ 2",
                 printed_pairs([text])) == [("lab", "≤ 2")]


def test_an_abbreviation_the_document_defines_names_its_drug() -> None:
    texts = ["Individual is receiving Temozolomide (TMZ) as the only cancer drug",
             "Individual continues to receive TMZ as the only cancer drug",
             "Serum erythropoietin (EPO) level less than or equal to 500 mUnits/mL"]
    pairs = printed_pairs(texts)
    assert pairs == {"tmz": "temozolomide", "epo": "erythropoietin"}
    assert [[e.text for e in es if e.label == "drug"] for es in annotate(texts, pairs)] == [
        ["Temozolomide", "TMZ"], ["TMZ"], []]


def test_an_abbreviation_is_no_brand_but_an_all_capital_brand_is() -> None:
    statement = CoverageStatement(
        id="s1", kind="proven", text="Temozolomide (TMZ) and QVAR (beclomethasone) are proven.",
        criteria=Criterion(id="c1", text="Temozolomide (TMZ) and QVAR (beclomethasone) are proven.",
                           provenance=HERE),
        provenance=HERE)
    _, drugs = annotate_coverage([statement])
    assert {d.name: d.brands for d in drugs} == {"temozolomide": [],
                                                 "beclomethasone": ["QVAR"]}


def test_a_plain_number_of_things_found_somewhere_is_a_count() -> None:
    count = entity("Prolongation of F-wave latency in 2 nerves", "count")
    assert (count.text, count.value, count.unit, count.comparator) == (
        "2 nerves", 2.0, "nerve", None)
    assert [label for label, _ in found("Type 2 diabetes")] == []


def test_a_route_printed_with_its_abbreviation_is_one_route() -> None:
    assert found("administered as an intravenous (IV) infusion") == [
        ("route", "intravenous (IV) infusion")]
    assert found("Fasenra® (benralizumab) for subcutaneous (SC) route")[-1] == (
        "route", "subcutaneous (SC)")
    assert found("Cinqair® (reslizumab) for intravenous (IV) route")[-1] == (
        "route", "intravenous (IV)")


def test_a_route_split_at_its_hyphen_is_still_a_route() -> None:
    assert found("intra-articular injection of hyaluronic acid") == [
        ("route", "intra-articular injection"), ("drug", "hyaluronic acid")]


def test_iv_as_a_route_is_no_roman_numeral_but_in_a_list_of_classes_it_is() -> None:
    assert found("given IV every 4 weeks")[0] == ("route", "IV")
    assert found("NYHA class II, III, or IV heart failure") == [
        ("lab", "II"), ("lab", "III"), ("lab", "IV")]


def test_a_multiple_of_the_upper_limit_of_normal_and_cells_per_microliter() -> None:
    alt = entity("ALT greater than 3 times the upper limit of normal", "lab")
    assert (alt.value, alt.unit, alt.comparator) == (3.0, "{ULN}", ">")
    eos = entity("eosinophils of at least 300 cells per microliter", "lab")
    assert (eos.text, eos.unit, eos.comparator) == (
        "at least 300 cells per microliter", "/uL", ">=")


def test_a_rate_in_digits_keeps_its_number_and_its_cap() -> None:
    rate = entity("no more than 4 times per month", "frequency")
    assert (rate.text, rate.value, rate.unit, rate.comparator) == (
        "no more than 4 times per month", 4.0, "/mo", "<=")
    interval = entity("at least once every 6 months", "frequency")
    assert (interval.value, interval.unit, interval.comparator) == (6.0, "mo", None)


def test_a_hormone_the_document_abbreviates_is_no_drug() -> None:
    texts = ["suppression with gonadotropin-releasing hormone (GnRH) analogs",
             "GnRH analogs are proven for fertility preservation"]
    pairs = printed_pairs(texts)
    assert "gnrh" not in pairs
    assert [e for es in annotate(texts, pairs) for e in es if e.label == "drug"] == []


def test_a_dosage_form_is_no_generic_of_its_own() -> None:
    assert printed_pairs(["Testosterone pellets (Testopel®)", "- pellets (Testopel®)"],
                         products=True) == {
        "testosterone": "testosterone", "testopel": "testosterone"}


def test_a_generic_in_square_brackets_with_its_short_name() -> None:
    text = "Mircera® [methoxy polyethylene glycol-epoetin beta (MPG-epoetin beta)]"
    statement = CoverageStatement(
        id="s1", kind="products", text=text,
        criteria=Criterion(id="c1", text=text, provenance=HERE), provenance=HERE)
    _, drugs = annotate_coverage([statement])
    assert [(d.name, d.brands) for d in drugs] == [
        ("methoxy polyethylene glycol-epoetin beta", ["Mircera"])]


def test_a_salt_alone_is_no_drug() -> None:
    assert found("undecanoate") == []
    assert found("testosterone undecanoate")[0] == ("drug", "testosterone undecanoate")


def test_a_route_printed_before_a_drug_is_no_part_of_its_name() -> None:
    assert canonical("subcutaneous immunoglobulin") == canonical("immune globulin")
    assert canonical("oral vancomycin") == ("vancomycin", None)


def test_prescribing_information_in_brackets_is_no_generic() -> None:
    assert printed_pairs(["Use Soliris® [see prescribing information]"]) == {}


def test_a_drug_the_lexicon_lacks_is_known_by_its_stem() -> None:
    text = "compounded testosterone, estrogen, and progesterone pellets are not proven"
    assert [e.text for e in annotate([text])[0]] == ["testosterone", "progesterone"]
    assert found("Patient has not received zopapogene imadenovec-drba") == [
        ("drug", "zopapogene imadenovec-drba")]


def test_a_stem_is_no_drug_where_a_lab_measures_it_or_the_body_makes_it() -> None:
    assert [label for label, _ in found("Pubertal levels of testosterone in males")] == []
    assert found("serum testosterone level < 300 ng/dL") == [("lab", "< 300 ng/dL")]
    assert found("aldosterone and dehydroepiandrosterone") == []
    assert found("the disease is progressive") == []


def test_a_drug_the_lexicon_files_only_with_its_salt_as_no_drug() -> None:
    assert found("add back therapy (e.g., norethindrone acetate) for 6 months")[0] == (
        "drug", "norethindrone acetate")
    assert found("anti-aquaporin-4 immunoglobulin G (AQP4-IgG) antibodies") == []


def test_brands_listed_with_their_routes_after_the_product_they_are() -> None:
    text = ("Coverage for the following preferred immune globulin products Bivigam® (IV), "
            "Flebogamma® DIF (IV), Gammagard® Liquid (IV, SC), Gamunex®-C (IV, SC), and "
            "Xembify® (SC) is contingent on criteria")
    pairs = printed_pairs([text])
    assert {name for name, generic in pairs.items() if generic == "immune globulin"} == {
        "immune globulin", "bivigam", "flebogamma dif", "gammagard liquid", "gamunex-c",
        "xembify"}
    assert [e.text for e in annotate([text], pairs)[0] if e.label == "drug"] == [
        "immune globulin", "Bivigam", "Flebogamma® DIF", "Gammagard® Liquid", "Gamunex®-C",
        "Xembify"]


def test_a_procedure_a_device_or_a_package_insert_is_no_generic() -> None:
    assert printed_pairs(["1. Saphnelo® [package insert]. Wilmington, DE",
                          "the first group used an HA enriched medium (EmbryoGlue®)",
                          "refusal of an MMA procedure (NightLase® LAUP)",
                          "Omnipod (insulin pump)"]) == {}


def test_a_brand_of_a_combination_pairs_each_of_its_generics() -> None:
    text = ("[e.g., Advair/AirDuo Respiclick (fluticasone propionate/salmeterol), "
            "Symbicort (budesonide/formoterol)]")
    pairs = printed_pairs([text])
    assert pairs["symbicort"] == "budesonide and formoterol"
    assert pairs["airduo respiclick"] == "fluticasone propionate and salmeterol"
    assert "budesonide/formoterol" not in pairs
    # a combination whose second part the lexicon does not know names no generic
    assert printed_pairs(["Xyzzy (budesonide/quorblat)"]) == {}


def test_a_name_the_document_prints_in_the_plural_is_known_in_the_singular() -> None:
    pairs = printed_pairs(["Alpha1-proteinase inhibitors (Aralast NP™, Glassia™, Prolastin®-C, "
                           "and Zemaira®) are proven"], products=True)
    assert pairs["alpha1-proteinase inhibitor"] == pairs["alpha1-proteinase inhibitors"]


def test_a_maker_in_parentheses_is_no_brand_and_a_mixed_case_name_no_generic() -> None:
    assert printed_pairs(["APIS (SweetBio® Inc.) is an absorbable skin substitute"]) == {}
    assert printed_pairs(["TheraSkin (Solsys™ Medical) is a dermal matrix"]) == {}
    assert printed_pairs(["CarePATCH (ExtremityCare®) is a dehydrated allograft"]) == {}


def test_the_number_of_a_factor_alone_is_no_drug() -> None:
    printed = {"viii": "antihemophilic factor", "ix": "factor ix"}
    assert found("Patient has not developed high-titer factor IX/VIII inhibitors", printed) == []


def test_injectable_before_a_drug_is_its_route() -> None:
    assert ("route", "Injectable") in found("Injectable testosterone is medically necessary")
    assert found("Hemlibra is a self-injectable medication") == [("drug", "Hemlibra")]


def test_a_footnote_mark_makes_no_brand() -> None:
    text = "patients with recurrent cancers as an additional boost (Category 2A recommendation*)."
    assert printed_pairs([text]) == {}


def test_outside_a_drug_policy_a_trademark_after_a_plain_name_is_a_device() -> None:
    text = "- Prostatic urethral lift (Urolift®) to men with LUTS"
    assert printed_pairs([text]) == {}
    assert printed_pairs([text], products=True) == {"urethral lift": "urethral lift",
                                                    "urolift": "urethral lift"}
    # a name with a drug's stem is a drug's wherever it is printed
    assert printed_pairs(["- delandistrogene moxparvovec (Elevidys®) is unproven"])[
        "elevidys"] == "delandistrogene moxparvovec"


def test_antibodies_to_a_drug_and_an_adjusted_value_are_no_drugs() -> None:
    assert ("drug", "antibodies-to-adalimumab") not in found("antibodies-to-adalimumab")
    assert [f for f in found("leptin-adjusted dosing") if f[0] == "drug"] == []


def test_a_gestational_age_in_weeks_and_days_is_one_age() -> None:
    born = entity("pre-term infants born at < 32 weeks, 0 day’s gestation who are ≥ 12 to "
                  "< 24 months of age", "age")
    assert (born.text, born.value, born.unit, born.comparator) == (
        "< 32 weeks, 0 day’s", 32.0, "wk", "<")
    before = entity("Infants born before 29 weeks, 3 days gestation", "age")
    assert (before.text, before.value, before.comparator) == ("before 29 weeks, 3 days",
                                                              29.4286, "<")
    assert entity("gestational age < 32 weeks, 0 days, and a requirement for oxygen",
                  "age").text == "< 32 weeks, 0 days"
    # outside a gestation, weeks and days are two times
    assert found("treated for 12 weeks, 3 days a week") == [
        ("duration", "12 weeks"), ("duration", "3 days")]


def test_a_counted_noun_holds_a_suspended_hyphen_a_severity_range_and_an_abbreviation() -> None:
    def count(text: str) -> tuple[str, str | None]:
        e = entity(text, "count")
        return e.text, e.unit

    assert count("at least one first- or second-degree relative with cancer") == (
        "at least one first- or second-degree relative", "first- or second-degree relative")
    assert count("one or more moderate to severe GPP flares in 12 months") == (
        "one or more moderate to severe GPP flares", "moderate to severe gpp flare")
    assert count("one or more mismatch repair (MMR) proteins") == (
        "one or more mismatch repair (MMR) proteins", "mismatch repair (mmr) protein")
    # a participle that leads a phrase ends the noun; one before the noun is part of it
    assert count("At least one Close Blood Relative diagnosed with cancer") == (
        "At least one Close Blood Relative", "close blood relative")
    assert count("at least 2 spontaneous bleeding episodes") == (
        "at least 2 spontaneous bleeding episodes", "spontaneous bleeding episode")
    assert entity("Greater than or equal to 500 milliseconds (ms) for the GSV", "lab").unit == "ms"


def test_a_second_degree_relative_is_no_time() -> None:
    assert found("At least one second-degree relative") == [
        ("count", "At least one second-degree relative")]


def test_no_sooner_than_is_a_lower_bound() -> None:
    wait = entity("Patient will be given Rystiggo no sooner than 63 days from the start",
                  "duration")
    assert (wait.text, wait.comparator) == ("no sooner than 63 days", ">=")


def test_classes_named_as_alternatives_are_each_a_value_on_the_scale() -> None:
    labs = [(e.text, e.value, e.name) for e in annotate(["Symptomatic NYHA class III or IV"])[0]]
    assert labs == [("III", 3.0, "Symptomatic NYHA class"), ("IV", 4.0, "Symptomatic NYHA class")]
    assert found("NYHA class II-IV heart failure") == []


def test_a_bound_on_the_patients_lesions_is_a_count_not_a_cap_on_care() -> None:
    lesions = entity("Has up to 10 lesions or cumulative tumor volume of less than 15 cubic "
                     "centimeters (cc)", "count")
    assert (lesions.text, lesions.unit, lesions.comparator) == ("up to 10 lesions", "lesion", "<=")
    volume = entity("cumulative tumor volume of less than 15 cubic centimeters (cc)", "lab")
    assert (volume.value, volume.unit, volume.name) == (15.0, "cm3", "cumulative tumor volume")
    assert entity("Authorization for up to 10 fractions", "limit").unit == "fraction"


def test_a_range_in_words_after_its_scale_is_a_lab_value() -> None:
    status = entity("Eastern Cooperative Oncology Group (ECOG) performance status of zero to two",
                    "lab")
    assert (status.text, status.value, status.value_max, status.name) == (
        "zero to two", 0.0, 2.0, "Eastern Cooperative Oncology Group (ECOG) performance status")
    assert found("at least two of the following") == []


def test_an_abbreviation_in_parentheses_stays_with_the_analyte_it_names() -> None:
    assert entity("Crohn's Disease Activity Index (CDAI) score > 220", "lab").name == \
        "Crohn's Disease Activity Index (CDAI) score"
    assert entity("left ventricular ejection fraction (LVEF) < 40%", "lab").name == \
        "left ventricular ejection fraction (LVEF)"
    # a long lead is cut at a word, never inside one
    fev1 = entity("Significant Chronic Pulmonary Disease as defined by a forced expiratory volume "
                  "(FEV1) % predicted of < 60", "lab")
    assert fev1.name is not None and fev1.name.split()[0] in ("Disease", "Significant")


def test_the_title_pairs_a_brand_with_its_generic_in_title_capitals() -> None:
    title = title_pairs_text("Tzield® (Teplizumab-Mzwv)")
    assert title == "Tzield® (teplizumab-mzwv)"
    assert printed_pairs([title], products=True)["tzield"] == "teplizumab-mzwv"
    # brands in a title's parenthesis stay brands; a title with none is unchanged
    assert title_pairs_text("Denosumab (Prolia® & Xgeva®)") == "Denosumab (Prolia® & Xgeva®)"
    assert title_pairs_text("Botulinum Toxins A and B") == "Botulinum Toxins A and B"


def test_a_devices_sterile_water_is_no_drug() -> None:
    assert found("a balloon that circulates sterile water through the catheter") == []


def test_a_plain_number_of_things_had_or_given_is_a_count() -> None:
    assert found("Patient has already received one initial dose of Spevigo") == [
        ("count", "one initial dose")]
    assert ("count", "two consecutive uric acid levels") in found(
        "Patient has not had two consecutive uric acid levels above 6 mg/dL")
    assert ("count", "one vitamin D analog") in found(
        "intolerance to one vitamin D analog (e.g., calcitriol)")
    # a number that labels, an adjective, or a phrase cut short counts nothing
    for text in ("Diagnosis of type 2 diabetes", "three dimensional (3D) printed models",
                 "One pre-treatment calculated free or bioavailable testosterone level",
                 "One maximally-dosed (appropriately adjusted for age) ICS product",
                 "a single dose of Rebyota"):
        assert [label for label, _ in found(text) if label in ("count", "limit")] == [], text
    assert ("count", "One other therapy") in found("One other therapy used in the management")


def test_what_an_authorization_is_for_or_a_lifetime_may_have_is_a_cap() -> None:
    limit = entity("Authorization will be issued for 3 induction doses", "limit")
    assert (limit.text, limit.value, limit.unit, limit.comparator) == (
        "3 induction doses", 3.0, "induction dose", "<=")
    once = entity("medically necessary for one treatment per lifetime", "limit")
    assert (once.text, once.value, once.comparator) == ("one treatment", 1.0, "<=")


def test_an_excretion_normalized_to_body_surface_is_a_lab_value() -> None:
    labs = [(e.text, e.unit, e.comparator) for e in annotate([
        "Increased urinary oxalate excretion [e.g., greater than 1 mmol/1.73 m2 per day "
        "(90 mg/1.73 m2 per day)]; excretion ≥ 0.7 mmol/24 hours/1.73 m2"])[0]]
    assert labs == [("greater than 1 mmol/1.73 m2 per day", "mmol/{1.73_m2}/d", ">"),
                    ("90 mg/1.73 m2 per day", "mg/{1.73_m2}/d", None),
                    ("≥ 0.7 mmol/24 hours/1.73 m2", "mmol/{1.73_m2}/d", ">=")]


def test_a_change_in_percentage_points_is_a_lab_value_of_the_thing_changed() -> None:
    lab = entity("trough level has increased by at least 10 percentage points from baseline",
                 "lab")
    assert (lab.text, lab.unit, lab.comparator, lab.name) == (
        "at least 10 percentage points", "%", ">=", "trough level")


def test_a_bound_said_again_after_an_age_stays_in_its_span() -> None:
    age = entity("Patient is at least 2 years of age and older", "age")
    assert (age.text, age.value, age.comparator) == ("at least 2 years of age and older", 2.0,
                                                     ">=")


def test_an_immunoglobulin_class_names_an_antibody_not_a_product() -> None:
    assert found("Diagnosis of Immunoglobulin G4-related disease (IgG4-RD)") == []
    assert found("Immune globulin") == [("drug", "Immune globulin")]


def test_a_counted_noun_keeps_its_plural_mark_and_joined_adjectives() -> None:
    organs = entity("Involvement of at least 1 or more organ(s) in a manner", "count")
    assert (organs.text, organs.unit) == ("at least 1 or more organ(s)", "organ")
    wound = entity("Patient has at least one recurrent or chronic open wound", "count")
    assert (wound.text, wound.unit) == ("at least one recurrent or chronic open wound",
                                        "recurrent or chronic open wound")


def test_a_bound_on_a_measure_named_after_it_is_that_measures_value() -> None:
    lab = entity("antibody titer higher than 1:1200 or > 1 optical density value by ELISA", "lab")
    labs = [(e.text, e.unit, e.name) for e in annotate(
        ["antibody titer higher than 1:1200 or > 1 optical density value by ELISA"])[0]]
    assert lab.unit == "{titer}" and labs[1] == ("> 1", None, "optical density value")
    # a number of measures is a count; a level of the spine is no measure
    assert found("at least 2 elevated blood pressure readings")[0][0] == "count"
    assert found("Performed at more than one spinal level")[0][0] == "count"


def test_a_hormone_named_as_what_a_test_measures_is_no_drug() -> None:
    assert found("Hormone testing (e.g., beta-human chorionic gonadotropin, thyroid "
                 "function studies)") == []
    assert found("Insulin autoantibody (IAA)") == []
    assert found("Hyaluronan binding assay (HBA)") == []
    assert found("Prior therapy (e.g., methotrexate)") == [("drug", "methotrexate")]


def test_von_willebrand_factor_given_as_a_product_is_a_drug() -> None:
    assert ("drug", "von Willebrand Factor Complex") in found(
        "Factor VIII (plasma-derived)/von Willebrand Factor Complex (plasma-derived) (Wilate)")
    assert ("drug", "Von Willebrand factor") in found(
        "Von Willebrand factor (recombinant) (Vonvendi) is proven")
    assert [label for label, _ in found("von Willebrand factor activity less than 30 IU/dL")] \
        == ["lab"]


def test_a_change_of_a_score_in_points_is_a_lab_value_of_that_score() -> None:
    lab = entity("maintenance of at least a 2-point improvement (reduction in score) in the "
                 "MG-ADL score from pre-treatment baseline", "lab")
    assert (lab.text, lab.value, lab.unit, lab.comparator, lab.name) == (
        "at least a 2-point", 2.0, None, ">=", "MG-ADL score")
    assert found("pain based on an 11-point numeric scale at baseline") == []


def test_copies_per_ml_is_a_viral_load_and_a_timed_glucose_test_no_duration() -> None:
    lab = entity("viral suppression (HIV-1 RNA less than 50 copies per mL)", "lab")
    assert (lab.text, lab.unit, lab.comparator) == ("less than 50 copies per mL", "{copies}/mL",
                                                    "<")
    assert found("2-hour post-prandial plasma glucose level ≥ 140 mg/dL and < 200 mg/dL") == [
        ("lab", "≥ 140 mg/dL and < 200 mg/dL")]


def test_a_route_word_in_a_procedures_name_is_no_route() -> None:
    assert found("Percutaneous and endoscopic epidural lysis of adhesions") == []
    assert found("given by epidural injection") == [("route", "epidural injection")]


def test_a_products_strength_and_its_form_are_a_dose_and_a_route_not_a_regimen() -> None:
    assert found("Treprostinil 100mg/20mL Solution for Injection (00703-0686)") == [
        ("drug", "Treprostinil"), ("dose", "100mg/20mL"), ("route", "Solution for Injection")]
    assert entity("Treprostinil 100mg/20mL Solution for Injection", "dose").unit == "mg/(20.mL)"
    assert entity("Remodulin 2.5mg/mL Solution for Injection", "dose").unit == "mg/mL"
    assert ("regimen", "12 mg intravenously daily for 5 consecutive days") in found(
        "12 mg intravenously daily for 5 consecutive days")


def test_a_globulin_raised_against_cells_is_a_product_with_one_name() -> None:
    drugs = [(e.text, e.name) for e in annotate(
        ["cyclosporine, anti-thymocyte globulin or antithymocyte globulin (equine)"])[0]
        if e.label == "drug"]
    assert drugs == [("cyclosporine", "cyclosporine"),
                     ("anti-thymocyte globulin", "anti-thymocyte globulin"),
                     ("antithymocyte globulin", "anti-thymocyte globulin")]
    assert found("sex-hormone binding globulin (SHBG)") == []


def test_a_coagulation_factor_is_named_as_printed_not_as_one_of_its_products() -> None:
    names = [(e.text, e.name) for e in annotate(
        ["Factor VIII (recombinant) (Advate) and Factor VIIa"])[0] if e.label == "drug"]
    assert names[0] == ("Factor VIII", "factor viii") and ("Factor VIIa", "factor viia") in names
    assert found("Patient does not have a history of inhibitors to factor VIII") == []


def test_a_generic_named_with_its_make_is_no_brand() -> None:
    text = ("Goserelin acetate (Zoladex), Von Willebrand factor (recombinant) (Vonvendi) and "
            "Factor VIIa")
    statement = CoverageStatement(id="s1", kind="proven", text=text,
                                  criteria=Criterion(id="c1", text=text, provenance=HERE),
                                  provenance=HERE)
    _, drugs = annotate_coverage([statement], other_texts=["Factor VIIa (eptacog alfa)"])
    brands = {d.name: d.brands for d in drugs}
    assert brands["goserelin"] == ["Zoladex"] and brands["von willebrand factor"] == []
    assert not any("Factor VIIa" in b for b in brands.values())


def test_a_capitalized_name_listed_with_drugs_is_a_drug_of_unknown_generic() -> None:
    drugs = [(e.text, e.name) for e in annotate(
        ["one phosphate binder (e.g., PhosLo, Fosrenol, Renvela, Renagel, etc.)"])[0]
        if e.label == "drug"]
    assert drugs == [("PhosLo", "calcium acetate"), ("Fosrenol", "lanthanum"),
                     ("Renvela", None), ("Renagel", "sevelamer")]
    assert ("drug", "Zemplar") in found("a vitamin D analog (e.g., calcitriol, Hectorol, Zemplar)")
    # a name of hyphened or numbered words, a brand ending like a plural
    assert [e.text for e in annotate(["(Durolane, Gel-One, GenVisc 850, Hymovis, Visco-3)"])[0]
            ] == ["Durolane", "Gel-One", "GenVisc 850", "Hymovis", "Visco-3"]
    # no payer program, no word the lexicon files as a class, no sentence's first word, no
    # plural, no common word of a heading's capitals
    for text, word in (("Rituxan, Medicare and Truxima", "Medicare"),
                       ("Ribavirin and Interferon Therapy", "Interferon Therapy"),
                       ("given with Eylea. Therefore, bevacizumab is divided", "Therefore"),
                       ("methotrexate, Corticosteroids", "Corticosteroids"),
                       ("Methotrexate And Other Therapies", "Other Therapies")):
        assert ("drug", word) not in found(text)


def test_a_brand_the_lexicon_lacks_is_paired_by_the_brand_beside_it() -> None:
    texts = ["Methotrexate (Rheumatrex, Trexall)"]
    assert [(e.text, e.name) for e in annotate(texts, printed_pairs(texts))[0]] == [
        ("Methotrexate", "methotrexate"), ("Rheumatrex", "methotrexate"),
        ("Trexall", "methotrexate")]


def test_a_brand_of_unknown_generic_is_an_issue_not_a_listed_drug() -> None:
    text = "Dual therapy (e.g., Anoro Ellipta, Bevespi Aerosphere (glycopyrrolate/formoterol))"
    statement = CoverageStatement(id="s1", kind="proven", text=text,
                                  criteria=Criterion(id="c1", text=text, provenance=HERE),
                                  provenance=HERE)
    annotated, drugs = annotate_coverage([statement])
    assert "anoro ellipta" not in [d.name for d in drugs] and "glycopyrrolate" in [
        d.name for d in drugs]
    issues = unknown_generics(annotated)
    assert [(i.kind, i.page, i.message.split(":")[0]) for i in issues] == [
        ("generic_unknown", 1, "Anoro Ellipta")]


def test_a_biologic_is_paired_with_the_name_its_label_gives_in_brackets() -> None:
    pairs = printed_pairs([
        "Factor VIII (plasma-derived) / von Willebrand Factor Alphanate® [antihemophilic "
        "factor (human)]",
        "Factor VIIa (recombinant) NovoSeven® RT [coagulation factor VIIa (recombinant)]",
        "Sevenfact® [coagulation factor VIIa (recombinant)-jncw]",
        "Alprolix® [coagulation factor IX (recombinant), Fc fusion protein]",
        "Koāte®-DVI [antihemophilic factor (human)]",
        "Saphnelo® [package insert]"], products=True)
    assert pairs["alphanate"] == pairs["koāte-dvi"] == "antihemophilic factor (human)"
    assert "factor alphanate" not in pairs
    assert pairs["novoseven rt"] == "coagulation factor viia (recombinant)"
    assert canonical(pairs["sevenfact"]) == ("coagulation factor viia (recombinant)", "jncw")
    assert pairs["alprolix"] == "coagulation factor ix (recombinant), fc fusion protein"
    assert pairs["saphnelo"] == "anifrolumab-fnia"


def test_clinical_measures_have_their_ucum_units() -> None:
    for text, printed, unit in (
            ("serum potassium below 3.5 mEq/L", "below 3.5 mEq/L", "meq/L"),
            ("a PaCO2 of 7 kPa or higher", "7 kPa or higher", "kPa"),
            ("hearing loss of less than 10 dB", "less than 10 dB", "dB"),
            ("Resting heart rate greater than 100 beats per minute",
             "greater than 100 beats per minute", "/min"),
            ("body temperature above 38.3°C", "above 38.3°C", "Cel"),
            ("a Cobb angle of 40 degrees or greater", "40 degrees or greater", "deg")):
        lab = entity(text, "lab")
        assert (lab.text, lab.unit) == (printed, unit)
    # a test's condition and an adjective's number are no values
    assert [e.text for e in annotate(["Cold agglutinin titer ≥ 64 at 4°C",
                                      "two doses of 360-degree ultrasound energy"])[1]] == [
        "two doses"]
    assert found("Cold agglutinin titer ≥ 64 at 4°C") == [("lab", "≥ 64")]


def test_a_bare_range_after_an_analytes_abbreviation_is_its_value() -> None:
    lab = entity("Moderate (AHI 15-30) to severe (AHI > 30) sleep apnea", "lab")
    assert (lab.text, lab.value, lab.value_max, lab.name) == ("15-30", 15.0, 30.0, "AHI")
    assert found("a pH higher than 7.35") == [("lab", "higher than 7.35")]
    assert found("Bristol Stool Scale type 6-7") == []


def test_iv_after_a_dose_per_weight_is_a_route_not_a_numeral() -> None:
    assert ("route", "IV") in found("Leqembi 10 mg/kg IV every two weeks")
    for text in ("Bethesda III/IV nodules", "NYHA class II-IV", "class II, III, or IV"):
        assert not [e for e in annotate([text])[0] if e.label == "route"]


def test_a_maximum_dose_is_a_cap() -> None:
    limit = entity("a maximum dose of 1,000 mg", "limit")
    assert (limit.text, limit.value, limit.unit, limit.comparator) == (
        "a maximum dose of 1,000 mg", 1000.0, "mg", "<=")


def test_prior_qualifies_what_is_counted_unless_prior_to() -> None:
    count = entity("history of at least 2 prior therapies", "count")
    assert (count.text, count.unit) == ("at least 2 prior therapies", "prior therapy")
    assert entity("after 2 or more lines of treatment", "count").unit == "line of treatment"
    assert found("received 2 doses prior to enrollment") == [("count", "2 doses")]


def test_a_brand_of_three_words_is_paired_whole_but_not_a_headings_words() -> None:
    pairs = printed_pairs(["Purified Cortrophin Gel (repository corticotropin injection USP)",
                           "Proven Indications Xolair (omalizumab)", "Treatment With Xolair "
                           "(omalizumab)", "Xeljanz/Xeljanz XR (tofacitinib)"], products=True)
    assert pairs["purified cortrophin gel"] == "corticotropin"
    assert "xeljanz xr" in pairs and not [k for k in pairs if k.startswith(
        ("proven", "with", "indications", "xeljanz xeljanz"))]


def test_intervals_in_capitals_or_named_as_such_are_frequencies() -> None:
    for text, printed, value in (("300 mg Q2W", "Q2W", 2.0), ("dosed Q4W", "Q4W", 4.0),
                                 ("administered at 2-week intervals", "2-week intervals", 2.0)):
        frequency = entity(text, "frequency")
        assert (frequency.text, frequency.value, frequency.unit) == (printed, value, "wk")
    assert found("Diagnosis code Q43.1") == [("code", "Q43.1")]


def test_over_a_period_is_the_past_it_spans() -> None:
    duration = entity("two exacerbations over a 12-month period", "duration")
    assert (duration.value, duration.unit, duration.comparator) == (12.0, "mo", "<=")
    assert entity("symptoms over 6 months", "duration").comparator == ">"


def test_a_scores_value_in_points_is_a_lab_value() -> None:
    lab = entity("Schwartz Score ≥ 1.5 points", "lab")
    assert (lab.text, lab.value, lab.unit, lab.comparator, lab.name) == (
        "≥ 1.5 points", 1.5, None, ">=", "Schwartz Score")
    assert found("at least 3 points") == [("count", "at least 3 points")]


def test_a_salt_named_before_its_drug_names_the_drug() -> None:
    drugs = [(e.text, e.name) for e in annotate(
        ["treated with sodium phenylbutyrate and taurursodiol"])[0] if e.label == "drug"]
    assert drugs == [("sodium phenylbutyrate", "sodium phenylbutyrate"),
                     ("taurursodiol", "taurursodiol")]


def test_ratios_to_creatinine_and_gene_therapy_doses_have_their_units() -> None:
    assert entity("urine albumin-to-creatinine ratio > 300 mg/g", "lab").unit == "mg/g"
    assert entity("UPCR ≥ 1 g/g", "lab").unit == "g/g"
    for text, printed, value, unit in (
            ("a dose of 1.1 × 10^14 vector genomes per kilogram",
             "1.1 × 10^14 vector genomes per kilogram", 1.1, "10*14.{vg}/kg"),
            ("6 x 10¹³ vg/kg body weight", "6 x 10¹³ vg/kg", 6.0, "10*13.{vg}/kg")):
        dose = entity(text, "dose")
        assert (dose.text, dose.value, dose.unit) == (printed, value, unit)


def test_a_brand_with_a_second_name_is_that_product() -> None:
    for text, printed in (("Vyvgart Hytrulo is proven", "Vyvgart Hytrulo"),
                          ("Ocrevus Zunovo is medically necessary", "Ocrevus Zunovo"),
                          ("Xolair Prescribing Information", "Xolair"),
                          ("Stelara Crohn’s disease", "Stelara"),
                          ("Soliris REMS program", "Soliris"), ("Remicade Medicare", "Remicade")):
        assert entity(text, "drug").text == printed


def test_a_participle_after_a_plural_ends_what_is_counted() -> None:
    count = entity("one or more documented exacerbations requiring oral corticosteroids", "count")
    assert (count.text, count.unit) == ("one or more documented exacerbations",
                                        "documented exacerbation")
    assert entity("two spontaneous bleeding episodes", "count").unit == \
        "spontaneous bleeding episode"


def test_how_long_an_approval_lasts_is_a_cap_but_not_the_fdas() -> None:
    for text in ("Continuation of therapy will be approved for 1 year",
                 "Approval length: 12 months", "approved for a duration of 6 months"):
        assert entity(text, "limit").comparator == "<="
    assert found("Leqembi is FDA approved for the treatment of AD for 18 months")[-1] == (
        "duration", "18 months")


def test_the_bounds_of_an_age_printed_in_two_units_are_both_ages() -> None:
    assert [(e.label, e.text, e.unit, e.comparator) for e in annotate(
        ["from 6 months to less than 2 years of age", "aged ≥ 3 months to < 18 years"])[0]] == [
        ("age", "6 months", "mo", ">="), ("age", "less than 2 years of age", "a", "<")]
    assert [(e.label, e.text) for e in annotate(["aged ≥ 3 months to < 18 years"])[0]] == [
        ("age", "≥ 3 months"), ("age", "< 18 years")]
    # a range is of one unit: "6 months to 2 years" is two values
    assert [(e.text, e.value, e.value_max, e.unit) for e in annotate(
        ["treatment from 6 months to 2 years"])[0]] == [
        ("6 months", 6.0, None, "mo"), ("2 years", 2.0, None, "a")]


def test_a_route_and_its_dosage_form_are_one_route() -> None:
    assert ("route", "subretinal injection") in found("subretinal injection of Luxturna")
    assert ("route", "intravitreal implant") in found("dexamethasone intravitreal implant 0.7 mg")
    assert ("route", "oral tablets") in found("cabotegravir oral tablets for 1 month")
    assert ("route", "intramuscularly (IM)") in found("given intramuscularly (IM) once")
    assert ("route", "by mouth") in found("taken by mouth twice daily")
    # a part of the body is a route only with a medicine's form or use
    assert ("route", "nasal spray") in found("esketamine nasal spray")
    assert ("route", "ophthalmic") in found("cyclosporine for ophthalmic use")
    assert [label for label, _ in found("Nasal polyps with rectal cancer, buccal mucosa")] == []
    assert found("Latera Absorbable Nasal Implant") == []


def test_a_percent_beside_a_dosage_form_is_a_products_strength() -> None:
    for text in ("cyclosporine ophthalmic emulsion 0.05%", "lidocaine 5% patch"):
        assert entity(text, "dose").unit == "%"
    assert entity("Hematocrit less than 33%", "lab").unit == "%"


def test_a_product_lists_bare_names_are_its_products() -> None:
    lead = "This policy refers to the following adalimumab products:"
    items = ["Zorvexa", "Quintalis®", "Kelmora XR", "Hadlima (adalimumab-bwwd)"]
    statement = CoverageStatement(
        id="s1", kind="products", text=lead, provenance=HERE,
        criteria=Criterion(id="r", text=lead, op="any", provenance=HERE, children=[
            Criterion(id=f"c{i}", text=t, provenance=HERE) for i, t in enumerate(items)]))
    annotated, drugs = annotate_coverage([statement], products=True)
    names = {e.text: e.name for c in annotated[0].criteria.children for e in c.entities}
    assert names["Zorvexa"] == names["Quintalis"] == names["Kelmora XR"] == "adalimumab"
    assert {"Zorvexa", "Quintalis", "Kelmora XR"} <= {b for d in drugs for b in d.brands}
    # the same list in a medical policy may name devices: not read
    annotated, _ = annotate_coverage([statement])
    assert "Zorvexa" not in {e.text for c in annotated[0].criteria.children for e in c.entities}


def test_an_unbranded_biologic_is_paired_with_its_brand() -> None:
    pairs = printed_pairs(["ustekinumab-aekn (unbranded Selarsdi)"])
    assert pairs["selarsdi"] == "ustekinumab-aekn"


def test_multiples_of_normal_and_parts_per_billion_are_lab_units() -> None:
    for text, unit in (("Spleen volume greater than 15 multiples of normal (MN)", "{MN}"),
                       ("Liver volume ≥ 1.25 MN", "{MN}"), ("FeNO ≥ 25 ppb", "[ppb]")):
        assert entity(text, "lab").unit == unit


def test_a_name_bounded_by_a_concentration_is_an_analyte() -> None:
    assert found("Pre-treatment growth hormone (GH) ≥ 1 µg/L") == [("lab", "≥ 1 µg/L")]
    assert ("drug", "methotrexate") in found("methotrexate ≥ 15 mg weekly")


def test_a_rate_over_a_number_of_periods() -> None:
    frequency = entity("not to exceed 2 injections per eye per 12 months", "frequency")
    assert (frequency.text, frequency.value, frequency.unit) == ("per 12 months", 12.0, "mo")
    frequency = entity("given twice per 12 months", "frequency")
    assert (frequency.value, frequency.unit) == (2.0, "/(12.mo)")
    assert entity("once per week", "frequency").unit == "/wk"


def test_a_square_printed_with_a_caret_and_a_tumors_mutational_burden() -> None:
    assert [(q.unit, q.unit_text) for q in text_to_quantities(
        "BMI ≥ 40 kg/m^2; 375 mg/m^2; eGFR ≥ 30 mL/min/1.73 m^2")] == [
        ("kg/m2", "kg/m^2"), ("mg/m2", "mg/m^2"), ("mL/min/{1.73_m2}", "mL/min/1.73 m^2")]
    assert entity("TMB ≥ 10 mutations/megabase", "lab").unit == "{mutations}/{Mb}"


def test_one_brand_alone_in_parentheses_after_a_known_generic() -> None:
    text = "Nirsevimab-alip (Beyfortus) for infants"
    assert printed_pairs([text], products=True)["beyfortus"] == "nirsevimab-alip"
    assert "beyfortus" not in printed_pairs([text])  # outside a drug policy a device's name
    # an abbreviation in parentheses is no brand
    assert printed_pairs(["exhaled nitric oxide (FeNO)", "immunoglobulin G (IgG)"],
                         products=True) == {}


def test_a_maximum_printed_as_a_label_caps_and_a_schedules_times_are_no_duration() -> None:
    limit = entity("Maximum dose: 10 mg/kg every 8 weeks", "limit")
    assert (limit.value, limit.unit, limit.comparator) == (10.0, "mg/kg", "<=")
    for text in ("5 mg/kg at 0, 2 and 6 weeks, then every 8 weeks",
                 "300 mg at weeks 0, 2, and 6 weeks"):
        assert "duration" not in [label for label, _ in found(text)]
    assert found("treated for 6 weeks") == [("duration", "6 weeks")]


def test_a_two_word_name_printed_with_a_hyphen() -> None:
    assert entity("Patient is receiving concurrent interferon-beta", "drug").name == \
        "interferon-beta"
    # a name that stands for another keeps its own: tbo-filgrastim is no filgrastim
    assert entity("after tbo-filgrastim", "drug").name == "tbo-filgrastim"


def test_a_bound_said_before_the_word_age() -> None:
    for text, comparator in (("Patient is under age 18", "<"), ("Patient is over age 65", ">"),
                             ("diagnosed prior to age 18", "<"),
                             ("onset before age 8 years in females", "<"),
                             ("not before age 25", ">=")):
        assert entity(text, "age").comparator == comparator


def test_an_interval_keeps_the_bound_said_of_how_often_it_comes() -> None:
    frequency = entity("Dosing is no more frequent than once every 4 weeks", "frequency")
    assert (frequency.value, frequency.unit, frequency.comparator) == (4.0, "wk", ">=")
    assert entity("no less frequently than every 6 months", "frequency").comparator == "<="
    assert entity("at least once every 6 months", "frequency").comparator is None


def test_a_grade_on_a_scale_of_pluses_keeps_its_plus() -> None:
    assert found("Immunoglubulin G (IgG) DAT ≤ 1 +") == [("lab", "≤ 1 +")]
    assert entity("Proteinuria ≥ 2+ on dipstick", "lab").text == "≥ 2+"
