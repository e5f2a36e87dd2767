"""The OKR quality coach: deterministic rules that flag weak objectives and key results.

Pure functions over drafts (no database, no network, no clock unless ``today`` is given):
the same draft always gets the same findings. The text of a draft may be English or
German whatever the organization's language, so every word list is checked in both
languages; ``language`` only picks the language of the messages.
"""

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

MAX_KEY_RESULTS = 5
MAX_OBJECTIVES = 5
REPEAT_SIMILARITY = 0.8
NUMERIC_KINDS = ("metric", "threshold")


@dataclass(frozen=True)
class KeyResultDraft:
    title: str
    kind: str = "metric"  # KeyResult.Kind values: metric, threshold, milestone, estimate
    start_value: Decimal | None = None
    target_value: Decimal | None = None
    has_owner: bool = True
    created_on: datetime.date | None = None


@dataclass(frozen=True)
class ObjectiveDraft:
    title: str
    description: str = ""
    level: str = "group"  # company, group, personal
    key_results: tuple[KeyResultDraft, ...] = ()
    is_aligned: bool = False
    company_objectives_exist: bool = False
    check_key_result_count: bool = True  # False while the objective is still being typed, with no KRs yet


@dataclass(frozen=True)
class Finding:
    rule: str
    key_result: int | None  # index into ObjectiveDraft.key_results, None for the objective
    message: str
    explanation: str
    rewrite: str


# (message, explanation, rewrite) per rule, translated when a finding is built.
RULE_TEXTS = {
    "kr_output": (
        gettext_noop("This key result describes work to be done, not the change it should bring."),
        gettext_noop(
            "Key results measure outcomes. Finishing a task says nothing about whether anything got better "
            "for customers or the business; track the work as an initiative instead."
        ),
        gettext_noop(
            'Instead of "%(title)s", write what it should change: "Raise <measure> from <now> to <target>", '
            "and track the work as an initiative."
        ),
    ),
    "kr_vague": (
        gettext_noop("This key result has no number or measurable end state."),
        gettext_noop(
            "Without a figure nobody can tell at the end of the cycle whether it was achieved, "
            "and check-ins turn into opinions."
        ),
        gettext_noop(
            'Name the measure and both values: "Raise <measure> from <now> to <target>". '
            "If there is no baseline yet, use an estimate key result and measure it first."
        ),
    ),
    "kr_no_change": (
        gettext_noop("Start and target are the same, so this key result asks for no change."),
        gettext_noop(
            "Progress is measured from start to target; with equal values there is nothing to move. "
            "To hold a level, use a threshold key result."
        ),
        gettext_noop(
            'Set the value to reach: "Raise <measure> from <now> to <target>", or "Keep <measure> above <value>".'
        ),
    ),
    "kr_already_met": (
        gettext_noop("The start value already meets the target this key result describes."),
        gettext_noop(
            "The title asks for a change in one direction but the target lies in the other: the key result "
            "is accomplished before any work starts, or start and target are swapped."
        ),
        gettext_noop('Check start and target: "Reduce <measure> from <now> to <lower target>".'),
    ),
    "kr_target_only_in_title": (
        gettext_noop("The target %(number)s is written only in the title."),
        gettext_noop(
            "Progress is computed from the target value, not from the title. A figure that lives only in the text "
            "is never tracked, and a title that disagrees with the target confuses everyone checking in."
        ),
        gettext_noop("Make it a metric key result with start value <now> and target value %(number)s."),
    ),
    "too_few_krs": (
        gettext_noop("This objective has only one key result."),
        gettext_noop(
            "One measure rarely captures an objective and invites hitting the number at any cost; "
            "two to five key results balance each other."
        ),
        gettext_noop(
            'Add a key result that balances the first: "Keep <counter-measure> above <value>" '
            'or "Raise <second measure> from <now> to <target>".'
        ),
    ),
    "too_many_krs": (
        gettext_noop("This objective has %(count)d key results."),
        gettext_noop("More than five key results dilute focus and make check-ins a chore."),
        gettext_noop(
            "Keep the two to five key results that best show the objective is achieved; "
            "move the rest to initiatives or KPIs."
        ),
    ),
    "no_krs": (
        gettext_noop("This objective has no key results."),
        gettext_noop(
            "Without key results nobody can tell whether the objective is achieved, and it shows no progress."
        ),
        gettext_noop('Add two to five key results: "Raise <measure> from <now> to <target>".'),
    ),
    "too_many_objectives": (
        gettext_noop("%(holder)s has %(count)d active objectives in this timeframe."),
        gettext_noop(
            "More than five objectives at once spread attention thin; OKRs work by focusing on what matters now."
        ),
        gettext_noop("Keep the three to five objectives that matter most this cycle; track ongoing work as KPIs."),
    ),
    "too_many_company_objectives": (
        gettext_noop("The company has %(count)d objectives in this timeframe."),
        gettext_noop(
            "Company objectives set the direction for everyone; with more than five, teams cannot tell what matters most."
        ),
        gettext_noop("Focus on a couple of strategic objectives and let the teams align to them."),
    ),
    "kr_repeats_objective": (
        gettext_noop("This key result repeats its objective."),
        gettext_noop(
            "A key result says how you will know the objective is achieved; restating the objective adds no measure."
        ),
        gettext_noop('Ask "how would we know?" and write the answer: "Raise <measure> from <now> to <target>".'),
    ),
    "objective_is_number": (
        gettext_noop("This objective is phrased as a number."),
        gettext_noop(
            "An objective says in words what you want to achieve and why it matters; the figures belong in its key results."
        ),
        gettext_noop(
            'Describe the ambition in words ("Become the first choice of <customers>") and move the figure '
            'into a key result: "Raise <measure> from <now> to <target>".'
        ),
    ),
    "unaligned_group_objective": (
        gettext_noop("This group objective is not aligned to a company objective."),
        gettext_noop(
            "Alignment shows how a team contributes to the company strategy; an unaligned objective may pull "
            "in another direction or hide a silo."
        ),
        gettext_noop("Align it to the company objective it supports, or ask whether it belongs in this cycle."),
    ),
    "kr_no_owner": (
        gettext_noop("This key result has no owner."),
        gettext_noop(
            "A key result without one accountable person is nobody's job: nobody checks in or notices it slip."
        ),
        gettext_noop("Name one owner; others can contribute."),
    ),
    "estimate_overdue": (
        gettext_noop("This estimate key result is older than one cycle (%(days)d days)."),
        gettext_noop("Estimates are a start while there are no figures; after a full cycle it is time to measure."),
        gettext_noop(
            'Measure a baseline and convert it into a metric key result: "Raise <measure> from <baseline> to <target>".'
        ),
    ),
}

# --- Text analysis --------------------------------------------------------------------------------

_WORD = re.compile(r"[a-zäöüß]+")


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


_NUMBER = (
    r"(?<![\w.,])(\d{1,3}(?:[.,]\d{3})+|\d+(?:[.,]\d+)?)(?!\d)"
    r"\s?(k|tsd|mio|mrd|m|million(?:en)?)?(?![a-zäöüß\d])"
)
_NUMBER_RE = re.compile(_NUMBER)
_MULTIPLIERS = {"k": 1000, "tsd": 1000, "m": 10**6, "mio": 10**6, "million": 10**6, "millionen": 10**6, "mrd": 10**9}
# An absolute target: "to 50", "auf 50 %", "below 2 %", "unter 0,40 €", "at least 30".
_TARGET_RE = re.compile(
    r"\b(?:to|auf|below|under|above|over|unter|über|at least|at most|mindestens|höchstens)\s+"
    r"(?:below\s+|under\s+|unter\s+|über\s+)?[€$£]?\s?" + _NUMBER
)
_FROM_TO_RE = re.compile(r"\b(?:from|von)\s+\S{0,3}\d.*\b(?:to|auf)\s+\S{0,3}\d")
_BY_PERCENT_RE = re.compile(r"\b(?:by|um)\s+" + _NUMBER + r"\s?(?:%|percent|prozent)")
_BOUND_RE = re.compile(r"\b(?:below|under|above|unter|über|at least|at most|mindestens|höchstens)\s+\S{0,3}\d")

_EN_OUTPUT_VERBS = _words(
    "launch build implement hold host create migrate introduce develop deliver write organize organise ship "
    "release publish design redesign complete finish finalize conduct install deploy establish define "
    "document draft prepare hire train integrate upgrade replace rebuild refactor automate"
)
_EN_OUTPUT_EXTRA = set(
    _words(
        "built held wrote written shipped shipping rollout setup implementation introduction migration "
        "workshop workshops webinar webinars interview interviews relaunch live kickoff"
    )
)
_EN_OUTPUT_PHRASES = re.compile(r"\b(?:roll(?:s|ed|ing)?[\s-]+out|set(?:s|ting)?\s+up|kick(?:s|ed|ing)?[\s-]+off)\b")
# Searched inside each word so that compounds ("CRM-Einführung", "Produkteinführung") count too.
_DE_OUTPUT = re.compile(
    r"ein(?:ge|zu)?führ|um(?:ge|zu)?setz|durch(?:ge|zu)?führ|entwickel|entwickl[et](?!r)|auf(?:ge|zu)?bau"
    r"|implementier|migrier|migration|veranstalt|ein(?:ge|zu)?richt|aus(?:ge|zu)?roll|erarbeit|erstell"
    r"|organisier|^schreib|geschrieben|aus(?:ge|zu)?liefer|bereit(?:ge|zu)?stell|installier|inbetriebnahme"
    r"|dokumentier|definier|schulung|^schul(?:en|t)$|geschult|fertig(?:ge|zu)?stell|launch|workshop|webinar"
    r"|abhalt|abgehalten|veröffentlich|gestalt|interview|einstell|automatisier|ablös|abgelöst|ersetz|etablier"
    r"|entw[oe]rf|vorbereit|integrier|upgrade|umbau|umgebaut|refaktor|refactor|deploy|eingestellt"
    r"|^(?:starten|gestartet|start|live|kickoff|kick)$"
)
# Verb-second clauses split separable verbs: "Wir führen das neue Ticketsystem ein."
_DE_SEPARABLE_PARTICLES = {"ein", "durch", "um", "auf", "aus"}
_DE_SEPARABLE_STEMS = ("führ", "setz", "bau", "roll", "richt", "stell")

_VAGUE_STEMS = _words(
    "improv better optimi increas enhanc boost grow strengthen reduc decreas rais maximi minimi streamlin "
    "faster happier easier cheaper stronger smoother quicker higher lower "
    "verbesser optimier besser steiger erhöh stärk gestärkt senk gesenkt reduzier verringer maximier minimier "
    "effizient zufriedener schneller ausbau ausgebaut verkürz beschleunig höher niedriger"
)
_VAGUE_WORDS = {"more", "less", "fewer", "mehr", "weniger"}

_DOWN_STEMS = _words(
    "reduc lower cut decreas drop shrink minimi senk gesenkt reduzier verringer verkürz minimier halbier"
)
_UP_STEMS = _words("increas rais grow boost maximi steiger erhöh verdoppel ausbau")
_CHANGE_STEMS = (*_DOWN_STEMS, *_UP_STEMS, "fall", "rise", "sink", "steig", "improv", "verbesser")

_STOPWORDS_EN = set(
    _words(
        "the a an and or of to for in on at by with our we us is are be been from as all its it this that so "
        "their they per into"
    )
)
_STOPWORDS_DE = set(
    _words(
        "der die das den dem des ein eine einen einem einer und oder mit von zu zum zur für im in auf bei aus "
        "unser unsere unseren unserer unserem wir ist sind sein vom am an als um über unter so dass durch "
        "ihre ihr werden wird alle allen"
    )
)
# For telling the languages apart, only words that are not also common in the other language.
_DETECT_EN = _STOPWORDS_EN - {"in", "an", "so", "am", "as"} | {"new", "more", "than", "each", "every", "will"}
_DETECT_DE = _STOPWORDS_DE - {"in", "an", "so", "am", "die"} | {"neue", "neues", "neuen", "mehr", "nicht", "auch"}
_DE_ENDINGS = ("ung", "ungen", "keit", "heit", "lich", "ieren", "iert")
_EN_ENDINGS = ("ing", "tion", "ness", "ity")

_NUMBER_WORDS = set(
    _words("two three four five six seven eight nine ten twelve zwei drei vier fünf sechs sieben acht neun zehn zwölf")
)
# A number after these is a name, not a target: "ISO 27001", "Industrie 4.0", "Version 2".
_NAME_BEFORE_NUMBER = {"iso", "din", "iec", "en", "industrie", "industry", "version", "v", "web", "level", "stufe"}


def _parse_number(raw: str, suffix: str | None) -> Decimal | None:
    is_grouped = re.fullmatch(r"\d{1,3}(?:[.,]\d{3})+", raw)  # thousands separators, English or German
    digits = re.sub(r"[.,]", "", raw) if is_grouped else raw.replace(",", ".")
    try:
        value = Decimal(digits)
    except InvalidOperation:
        return None
    return value * _MULTIPLIERS.get((suffix or "").lower(), 1)


def _title_target(text: str) -> tuple[str, Decimal | None] | None:
    """The last absolute target written in the text, as written and as a number."""
    matches = list(_TARGET_RE.finditer(text.lower()))
    if not matches:
        return None
    number, suffix = matches[-1].group(1), matches[-1].group(2)
    return number + (suffix or ""), _parse_number(number, suffix)


def _has_number(text: str) -> bool:
    return bool(_NUMBER_RE.search(text.lower()))


def _has_stem(words: list[str], stems) -> bool:
    return any(word.startswith(stem) or (len(stem) >= 6 and stem in word) for word in words for stem in stems)


def _names_measurable_change(text: str) -> bool:
    """True when the text names a figure that should move, e.g. "so that tickets drop from 400 to 250"."""
    lowered = text.lower()
    if not _has_number(lowered):
        return False
    if _FROM_TO_RE.search(lowered) or _BY_PERCENT_RE.search(lowered) or _BOUND_RE.search(lowered):
        return True
    # A change verb only counts when a figure follows it: "Launch 3 features to increase activation" is output.
    for match in _WORD.finditer(lowered):
        if _has_stem([match.group(0)], _CHANGE_STEMS) and _has_number(lowered[match.end() :]):
            return True
    return False


def _english_forms(verb: str) -> set[str]:
    forms = {verb, verb + "s", verb + "es", verb + "ed", verb + "ing"}
    if verb.endswith("e"):
        forms |= {verb + "d", verb[:-1] + "ing"}
    return forms


_EN_OUTPUT_WORDS = set().union(*map(_english_forms, _EN_OUTPUT_VERBS)) | _EN_OUTPUT_EXTRA


def _names_output(text: str) -> bool:
    words = _words(text)
    if _EN_OUTPUT_WORDS.intersection(words) or _EN_OUTPUT_PHRASES.search(text.lower()):
        return True
    if any(_DE_OUTPUT.search(word) for word in words):
        return True
    return bool(words) and words[-1] in _DE_SEPARABLE_PARTICLES and _has_stem(words[:-1], _DE_SEPARABLE_STEMS)


def _is_vague(text: str) -> bool:
    """No figure, and either a direction without a destination ("improve") or a bare label ("NPS")."""
    if _has_number(text):
        return False
    words = _words(text)
    is_bare_label = len(words) <= 3 and not _names_output(text)
    return is_bare_label or bool(_VAGUE_WORDS.intersection(words)) or _has_stem(words, _VAGUE_STEMS)


def _stem(word: str) -> str:
    """A crude stem for comparing texts: strips endings until none is left ("delighted", "delight" -> "deligh")."""
    for suffix in ("ungen", "ung", "ing", "en", "er", "es", "ed", "e", "n", "s", "t"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return _stem(word[: -len(suffix)])
    return word


def _content_words(text: str) -> set[str]:
    words = {_stem(w) for w in _words(text) if w not in _STOPWORDS_EN and w not in _STOPWORDS_DE}
    return words | {m.group(1) for m in _NUMBER_RE.finditer(text.lower())}


def _similarity(first: str, second: str) -> float:
    a, b = _content_words(first), _content_words(second)
    return len(a & b) / len(a | b) if a and b else 0.0


def _is_phrased_as_number(title: str) -> bool:
    lowered = title.lower()
    if _NUMBER_WORDS.intersection(_words(lowered)):
        return True
    for match in _NUMBER_RE.finditer(lowered):
        before = _words(lowered[: match.start()])
        is_year = re.fullmatch(r"(19|20)\d\d", match.group(1))
        if not is_year and not (before and before[-1] in _NAME_BEFORE_NUMBER):
            return True
    return False


def detect_language(text: str, default: str) -> str:
    """ "en" or "de": the default unless the text is clearly in the other language."""
    default = "de" if default.lower().startswith("de") else "en"
    words = _words(text)
    scores = {
        "en": sum(w in _DETECT_EN or w.endswith(_EN_ENDINGS) for w in words),
        "de": sum(w in _DETECT_DE or w.endswith(_DE_ENDINGS) or bool(re.search("[äöüß]", w)) for w in words),
    }
    other = "en" if default == "de" else "de"
    if len(words) >= 3 and scores[other] >= 2 and scores[other] > 2 * scores[default]:
        return other
    return default


# --- Rules ------------------------------------------------------------------------------------------


def _finding(rule: str, key_result: int | None = None, **params) -> Finding:
    message, explanation, rewrite = (_(text) % params for text in RULE_TEXTS[rule])
    return Finding(rule=rule, key_result=key_result, message=message, explanation=explanation, rewrite=rewrite)


def _has_numeric_fields(kr: KeyResultDraft) -> bool:
    return kr.kind in NUMERIC_KINDS and kr.target_value is not None


def _asks_for_no_change(kr: KeyResultDraft) -> bool:
    return kr.kind == "metric" and kr.start_value is not None and kr.start_value == kr.target_value


def _is_already_met(kr: KeyResultDraft) -> bool:
    """The title asks to lower (raise) the value but the target lies above (below) the start."""
    if kr.kind != "metric" or kr.start_value is None or kr.target_value is None or kr.start_value == kr.target_value:
        return False
    words = _words(kr.title)
    wants_down, wants_up = _has_stem(words, _DOWN_STEMS), _has_stem(words, _UP_STEMS)
    if wants_down == wants_up:
        return False
    return wants_down == (kr.target_value > kr.start_value)


def _target_only_in_title(kr: KeyResultDraft) -> str | None:
    """The target as written in the title when the key result does not track it."""
    written = _title_target(kr.title)
    if written is None:
        return None
    text, value = written
    if kr.kind in NUMERIC_KINDS and kr.target_value is not None and value == kr.target_value:
        return None
    return text


def _is_overdue_estimate(kr: KeyResultDraft, today: datetime.date | None, cycle_days: int) -> bool:
    return (
        kr.kind == "estimate"
        and kr.created_on is not None
        and today is not None
        and (today - kr.created_on).days > cycle_days  # created_on + cycle_days < today, without date overflow
    )


def _key_result_findings(kr, index, objective_title, today, cycle_days) -> list[Finding]:
    findings = []
    if _names_output(kr.title) and not _names_measurable_change(kr.title):
        findings.append(_finding("kr_output", index, title=kr.title))
    if _is_vague(kr.title) and not _has_numeric_fields(kr):
        findings.append(_finding("kr_vague", index))
    if _asks_for_no_change(kr):
        findings.append(_finding("kr_no_change", index))
    if _is_already_met(kr):
        findings.append(_finding("kr_already_met", index))
    if (number := _target_only_in_title(kr)) is not None:
        findings.append(_finding("kr_target_only_in_title", index, number=number))
    if objective_title and _similarity(kr.title, objective_title) >= REPEAT_SIMILARITY:
        findings.append(_finding("kr_repeats_objective", index))
    if not kr.has_owner:
        findings.append(_finding("kr_no_owner", index))
    if _is_overdue_estimate(kr, today, cycle_days):
        findings.append(_finding("estimate_overdue", index, days=cycle_days))
    return findings


def _key_result_count_findings(objective: ObjectiveDraft) -> list[Finding]:
    count = len(objective.key_results)
    if not objective.check_key_result_count:
        return []
    if count == 0:
        return [_finding("no_krs")]
    if count == 1:
        return [_finding("too_few_krs")]
    if count > MAX_KEY_RESULTS:
        return [_finding("too_many_krs", count=count)]
    return []


def review_key_result(
    kr: KeyResultDraft,
    *,
    objective_title: str = "",
    language: str = "en",
    today: datetime.date | None = None,
    cycle_days: int = 91,
) -> list[Finding]:
    """Findings for one key result, reviewed on its own (its findings point at index 0).
    Without ``today`` the age of estimates is not checked."""
    with translation.override(language):
        return _key_result_findings(kr, 0, objective_title, today, cycle_days)


def review_objective(
    objective: ObjectiveDraft, *, language: str = "en", today: datetime.date | None = None, cycle_days: int = 91
) -> list[Finding]:
    """Findings for an objective: its own first, then those of each key result in order."""
    with translation.override(language):
        findings = []
        if _is_phrased_as_number(objective.title):
            findings.append(_finding("objective_is_number"))
        if objective.level == "group" and not objective.is_aligned and objective.company_objectives_exist:
            findings.append(_finding("unaligned_group_objective"))
        findings += _key_result_count_findings(objective)
        for index, kr in enumerate(objective.key_results):
            findings += _key_result_findings(kr, index, objective.title, today, cycle_days)
        return findings


def review_portfolio(
    *, active_objectives_per_holder: dict[str, int], company_objectives: int, language: str = "en"
) -> list[Finding]:
    """Too many active objectives for one group or person, or for the company, in one timeframe."""
    with translation.override(language):
        findings = [
            _finding("too_many_objectives", holder=holder, count=count)
            for holder, count in sorted(active_objectives_per_holder.items())
            if count > MAX_OBJECTIVES
        ]
        if company_objectives > MAX_OBJECTIVES:
            findings.append(_finding("too_many_company_objectives", count=company_objectives))
        return findings


__all__ = [
    "Finding",
    "KeyResultDraft",
    "ObjectiveDraft",
    "detect_language",
    "review_key_result",
    "review_objective",
    "review_portfolio",
]
