"""The words entity rules are written with: units, routes, frequencies, code shapes, and what
marks a name as a drug, a class, a salt or a substance the body makes. One place for each list;
nlp.py, drug_names.py and drugs.py import them."""

from __future__ import annotations

import re

TIME_UNITS = ["day", "days", "week", "weeks", "month", "months", "year", "years", "hour",
              "hours", "minute", "minutes", "wk", "wks", "mo", "mos", "yr", "yrs"]
DOSE_UNITS = ["mg", "mcg", "µg", "μg", "g", "gm", "gram", "grams", "ml", "l", "unit", "units",
              "iu", "meq", "mmol", "mg/kg", "mcg/kg", "mg/m2", "mg/m²", "units/kg", "iu/kg",
              "ng", "mbq", "mci", "million"]
ROUTES = ["intravenously", "intravenous", "iv", "subcutaneously", "subcutaneous", "sc", "sq",
          "subq", "orally", "oral", "intramuscularly", "intramuscular", "im", "intravitreally",
          "intravitreal", "intrathecally", "intrathecal", "topically", "topical",
          "intradermally", "intradermal", "intranasally", "intranasal", "intra-articular",
          "intralesional", "intralesionally", "inhaled", "infusion", "injection",
          "intraarticular", "intraarticularly", "intraocular", "intraperitoneal",
          "intravesical", "intravesically", "intracavernosal", "intratympanic", "intradiscal",
          "transdermal", "sublingual", "sublingually", "subdermal", "intracameral",
          "intraventricular", "intracerebroventricular", "epidural", "epidurally", "injectable",
          "subretinal", "suprachoroidal", "subconjunctival", "retrobulbar", "intracavernous",
          "intralymphatic", "intrasynovial", "transmucosal", "parenteral", "parenterally"]
ROUTE_ADJECTIVES = [r for r in ROUTES if not r.endswith("ly") and r not in (
    "infusion", "injection", "inhaled")]
ROUTE_ADVERBS = [r for r in ROUTES if r.endswith("ly")]
FORMS_GIVEN = ["infusion", "infusions", "injection", "injections"]
# a medicine's dosage form, printed after its route: "intravitreal implant", "oral tablets"
DOSAGE_FORMS = ["implant", "implants", "tablet", "tablets", "capsule", "capsules", "solution",
                "suspension", "spray", "sprays", "drops", "patch", "patches", "film", "films",
                "cream", "ointment", "gel", "lotion", "foam", "emulsion", "aerosol", "powder",
                "inhaler", "inhalers", "suppository", "suppositories", "insert", "inserts", "ring"]
# the part of the body a medicine is given through, a route only before a dosage form or
# "use": "nasal spray", "for ophthalmic use" (not "nasal polyps", "rectal cancer")
ORGAN_ROUTES = ["nasal", "ophthalmic", "otic", "rectal", "vaginal", "buccal", "inhalation",
                "nebulized", "cutaneous", "urethral"]
# a medical device is no dosage form, even one put in through a route: "Nasal Implant"
DEVICE_FORMS = {"implant", "implants", "ring", "insert", "inserts"}
ROUTE_USE = ["use", "route", "administration"]
# what a product is prepared as, named with the way it is given: "Solution for Injection"
PREPARATIONS = ["solution", "suspension", "powder", "emulsion", "concentrate", "lyophilized"]
# "intra-articular" is three tokens: intra, -, articular
INTRA = ["articular", "arterial", "vitreal", "lesional", "dermal", "muscular", "venous",
         "thecal", "nasal", "ocular", "vesical", "cavernosal", "tympanic", "tumoral"]
FREQUENCY_WORDS = ["daily", "weekly", "monthly", "annually", "yearly", "nightly", "biweekly",
                   "bimonthly", "quarterly", "hourly"]
TIMES = ["once", "twice", "thrice"]
ICD10 = re.compile(r"[A-TV-Z]\d[0-9A-Z](?:\.[0-9A-Z]{1,4})?")
HCPCS = re.compile(r"[A-V]\d{4}")
CPT = re.compile(r"\d{4}[0-9FTU]")
# classes of biologic that are dispensed as products in their own right
PRODUCT_CLASSES = {"immunoglobulins", "immunoglobulins, intravenous"}
SALTS = {"acetate", "carbonate", "hydrochloride", "hcl", "cypionate", "enanthate", "undecanoate",
         "pamoate", "mesylate", "diaspartate", "sodium", "potassium", "sulfate", "phosphate",
         "citrate", "tartrate", "maleate", "succinate", "fumarate", "propionate", "furoate",
         "dipropionate", "mofetil", "pegol", "besylate", "bromide", "chloride", "acetonide",
         "hyclate", "lactate", "embonate", "valerate", "palmitate", "decanoate", "dimeglumine"}
CLASS_AFTER = {"analog", "analogs", "analogue", "analogues", "agonist", "agonists", "antagonist",
               "antagonists", "inhibitor", "inhibitors", "blocker", "blockers", "preparations",
               "products", "agents", "lowering", "modulator", "modulators", "reuptake"}
# Substances the body makes and lab analytes: the lexicon knows them, a policy measures them.
ENDOGENOUS = {"alkaline phosphatase", "serotonin", "norepinephrine", "dopamine", "histamine",
              "triiodothyronine", "thyroxine", "angiopoietin-1", "uric acid", "adiponectin",
              "osteopontin", "mevalonic acid", "glutamic acid", "lactoferrin", "acetylcholine",
              "zinc protoporphyrin", "estrogen", "estrogens", "luteinizing hormone", "cortisol",
              "gonadotropin-releasing hormone", "gonadotropin releasing hormone", "glucose",
              "deoxyadenosine triphosphate", "carbon monoxide", "carbon dioxide", "creatinine",
              "bilirubin", "ferritin", "hemoglobin", "cholesterol", "triglycerides",
              "interleukin-6", "tumor necrosis factor", "cocaine", "medical cannabis",
              "aldosterone", "dehydroepiandrosterone"}
# A name joined to one of these is an adjective: "insulin-treated", "factor X-directed".
PARTICIPLES = re.compile(r"-(?:treated|directed|releasing|associated|induced|related|naive|"
                         r"naïve|dependent|resistant|refractory|based|containing|mediated|"
                         r"experienced|exposed|free|like|specific|positive|negative|"
                         r"adjusted)$", re.I)
NAME_PREFIXES = re.compile(r"^(?:pre|post|anti|non|antibod(?:y|ies)-to)-", re.I)
FORMS = ["intramuscular", "subcutaneous", "intravenous", "oral", "injection", "topical",
         "implant", "pellets", "extended-release", "repository"]
# how a product is supplied, printed around its generic: "(fluocinolone acetonide intravitreal
# implant)", "(repository corticotropin injection USP)"
PACKAGING = {*FORMS, *ROUTE_ADJECTIVES, "injection", "injections", "infusion", "implant",
             "implants", "for", "usp", "gel", "solution", "suspension", "powder", "lyophilized",
             "liquid", "ophthalmic", "kit", "vial", "vials", "prefilled", "syringe", "depot"}
LAB_AFTER = {"level", "levels", "concentration", "concentrations", "deficiency", "activity",
             "test", "testing", "antibody", "antibodies", "receptor", "receptors", "count",
             "value", "values", "ratio", "gene", "mutation", "variant", "assay", "titer", "titers",
             "index", "autoantibody", "autoantibodies", "binding"}
LAB_BEFORE = {"serum", "plasma", "urine", "urinary", "blood", "fecal", "stool", "anti",
              "endogenous", "circulating"}
NOT_A_DRUG_AFTER = LAB_AFTER | CLASS_AFTER
# the lexicon's names that a policy prints for no drug: a device's "sterile water"
NOT_DRUGS = {*DOSE_UNITS, *TIME_UNITS, *ROUTES, "water", "sterile water"}
GREEK = {"α": "alfa", "β": "beta", "γ": "gamma", "δ": "delta", "ω": "omega", "κ": "kappa"}
# what a parenthesis after a brand can name that is no drug: "procedure (NightLase® LAUP)",
# "HA enriched medium (EmbryoGlue®)", "Omnipod (insulin pump)", "Saphnelo® [package insert]"
NOT_A_GENERIC = {"procedure", "procedures", "medium", "media", "pump", "pumps", "device",
                 "devices", "insert", "kit", "monitor", "sensor", "test", "assay", "label",
                 "labeling", "website"}
# the words of a maker's name, printed in parentheses after its product: "APIS (SweetBio® Inc.)",
# "TheraSkin (Solsys™ Medical)"
COMPANY_WORDS = {"inc", "inc.", "llc", "ltd", "ltd.", "corp", "corp.", "corporation", "co.",
                 "company", "gmbh", "ag", "plc", "medical", "pharmaceuticals", "pharma",
                 "biologics", "therapeutics", "laboratories", "labs", "biosciences",
                 "technologies", "sciences", "healthcare", "surgical", "biotech", "lifesciences"}

# the endings of English nouns, which a drug's name does not have: "guidelines in oncology"
ENGLISH_NOUN = re.compile(r"(?:ology|ologies|tion|tions|ment|ments|ness|ity|ities|ance|ence|"
                          r"ics|ing|ship|ism)$")
# capitalized words listed beside drugs that name no product
NOT_BRANDS = {"medicare", "medicaid", "tricare"}
