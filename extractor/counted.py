"""What a number counts: the noun phrase printed after it ("2 relapses", "one recurrent or
chronic open wound", "at least 1 or more organ(s)"), its singular, and whether a number with no
bound before it is a count at all ("received one initial dose", not "type 2 diabetes")."""

from __future__ import annotations

import re

# the words that end the thing counted: "2 doses of", "one or more"
NOUN_STOP = {"of", "the", "a", "an", "and", "or", "to", "in", "on", "for", "with", "at", "by",
             "from", "per", "as", "is", "are", "was", "be", "that", "which", "who", "than",
             "more", "less", "fewer", "greater", "times", "time", "within", "after", "before",
             "during", "since", "over", "following", "but", "not", "if", "when",
             "where", "x", "has", "have", "had", "been",
             "must", "should", "will", "may", "can", "under", "plus", "including", "each",
             "every", "mg", "mcg", "increase", "decrease", "improvement", "reduction",
             "change", "above", "below", "exceeding"}
# where a plain number of things is a count: "in 2 nerves", "involving 3 joints"
COUNT_LEAD = re.compile(r"\b(?:in|across|affecting|involving)\s+$", re.I)
# what a plain number of things follows: the start of a text, a parenthesis, or a verb or
# preposition that has or gives them ("received one initial dose", "to one non-biologic DMARD")
PLAIN_COUNT_LEAD = re.compile(r"(?:^|\(|\b(?:in|of|to|with|for|received|receiving|had|has|have|"
                              r"having|taken|tried|failed|completed|using|after|[a-z]{3,}ed))\s*$",
                              re.I)
# a number that is no count without a bound: "a single dose" is an authorization's size
PLAIN_NOT_COUNTS = {"single", "zero"}
# a number made an adjective: "three dimensional (3D) models"
NUMBER_ADJECTIVES = {"dimensional", "fold"}
# a noun phrase cut short: "one pre-treatment free or bioavailable testosterone level", "one
# maximally-dosed (appropriately adjusted for age) ICS product"
UNFINISHED = re.compile(r"\s*(?:\((?!e\.g\.|i\.e\.|such as|see\b)(?=[a-z])|(?:or|and)\s)")
# nouns that hold a stop word: "at least one standard of care treatment", "2 prior lines of
# therapy", "two or more
# moderate to severe flares", "one recurrent or chronic open wound", "a first- or second-degree
# relative"
COMPOUND = re.compile(r"\bstandard of care\b|\blines? of (?:therapy|treatment)\b|"
                      r"\b(?:mild|moderate)\s+to\s+(?:moderate|severe)\b|"
                      r"\b[a-z]+(?:ent|ic|al|ive|ous|ant|ary)\s+or\s+[a-z]+(?=\s+[a-z])|"
                      r"\b[a-z]+-\s+(?:or|and)\s+(?=[a-z]+-[a-z])", re.I)
# what a counted noun may hold besides words: a suspended hyphen ("first- or second-degree"),
# its abbreviation ("mismatch repair (MMR) proteins"), a letter ("one vitamin D analog"), a
# plural in parentheses ("1 or more organ(s)")
NOUN = re.compile(r"[ -]?((?:[a-z]+-(?= (?:or|and) [a-z]+-[a-z])|"
                  r"[a-z][a-z'/-]*[a-z](?:\(s\))?|[a-z])"
                  r"(?: (?:[a-z][a-z'-]*[a-z](?:\(s\))?|(?-i:[A-Z])(?= [a-z])|"
                  r"\([A-Z0-9]{2,8}\)(?= [a-z]))){0,5})", re.I)


PARTICIPLE = re.compile(r"[a-z]{2,}(?:ed|ing)", re.I)
NEXT_WORD = re.compile(r"\s+([a-z]+)", re.I)


def counted(text: str, start: int, end: int, noun: str | None, number: str, value: float) -> bool:
    """A number of things found somewhere is a count: "latency prolongation in 2 nerves"; so
    is a number of things had or given, in words or digits that agree with the noun: "received
    one initial dose", "had two consecutive uric acid levels" (not "type 2 diabetes")."""
    last = (noun or "").split()[-1:] or [""]
    either = last[0].endswith("(s)")  # "organ(s)"
    plural = either or singular(last[0]) != last[0]
    if COUNT_LEAD.search(text[:start]) is not None and plural:
        return True
    return (noun is not None and noun[0].islower() and number.lower() not in PLAIN_NOT_COUNTS
            and noun.split()[0].lower() not in NUMBER_ADJECTIVES
            and PLAIN_COUNT_LEAD.search(text[:start]) is not None
            and UNFINISHED.match(text, end) is None and PARTICIPLE.fullmatch(last[0]) is None
            and (either or plural == (value != 1)))


def noun_after(text: str, end: int) -> tuple[str, int] | None:
    """The thing counted after a number: "2 relapses", "1 motor nerve", "50 exposure days"."""
    m = NOUN.match(text, end)
    if m is None:
        return None
    words: list[str] = []
    parts = COMPOUND.sub(lambda c: c.group(0).replace(" ", "\0"), m.group(1)).split()
    after = NEXT_WORD.match(text, m.end(1))
    for word, following in zip(parts, [*parts[1:], after[1] if after else ""], strict=True):
        # a participle that leads a phrase ends the thing counted: "one close relative
        # diagnosed with ...", not "two spontaneous bleeding episodes"
        # "prior" qualifies the thing ("2 prior therapies") unless it is "prior to"; a
        # participle after a plural leads a phrase: "exacerbations requiring oral steroids"
        if word.lower() in NOUN_STOP or (words and PARTICIPLE.fullmatch(word) and (
                following.lower() in NOUN_STOP or singular(words[-1]) != words[-1])) \
                or (word.lower() == "prior" and following.lower() == "to"):
            break
        words.append(word.replace("\0", " "))
    while words and words[-1].startswith("("):  # an abbreviation is inside the noun or none
        words.pop()
    if not words:
        return None
    phrase = " ".join(words)
    return phrase, m.start(1) + len(phrase)


def singular_phrase(phrase: str) -> str:
    """The phrase with its last word in the singular, lowercase: "first-degree relative"."""
    phrase = phrase.lower()
    if LINES_OF.search(phrase):  # the head of "2 lines of therapy" is its first noun
        return LINES_OF.sub("line of", phrase)
    *head, last = phrase.split()
    return " ".join([*head, singular(last.removesuffix("(s)"))])


LINES_OF = re.compile(r"\blines of(?= (?:therapy|treatment)$)")


# plurals of Greek nouns in "-is": "vasoocclusive crises"
GREEK_PLURALS = {"crises": "crisis", "diagnoses": "diagnosis", "prognoses": "prognosis",
                 "analyses": "analysis", "metastases": "metastasis", "stenoses": "stenosis",
                 "thromboses": "thrombosis"}


def singular(word: str) -> str:
    if word.lower() in GREEK_PLURALS:
        return GREEK_PLURALS[word.lower()]
    if not word.endswith("s") or word.endswith(("ss", "us", "is")) or len(word) < 4:
        return word
    if word.endswith("ies"):
        return word[:-3] + "y"
    return word[:-2] if word.endswith(("ches", "shes", "xes", "sses")) else word[:-1]
