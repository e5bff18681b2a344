"""Korean tokenization rules that keep entity boundaries on token boundaries.

spaCy's Korean default tokenizer needs mecab-ko, and the rule-based tokenizer
leaves particles glued to entities (`010-1234-5678로`, `14만 원을`), so gold spans
cannot be aligned and are dropped in training (W030). These rules split:

* zero-width infixes wherever the script changes between Hangul and digits or
  Latin letters (`KR-2026-001번`, `계약번호KR-2026-001`, `갤럭시S25를`, `5만원`);
* a closed class of particles, copulas and endings (`을`, `으로`, `이에요`,
  `이었는데` ...) off the end of Hangul words, one unit at a time, so stacked
  endings (`에서도` = `에서` + `도`) peel off without a suffix token ever
  straddling the end of an entity (`프로로` → `프|로|로`, not `프|로로`);
* after-consonant forms (`이`, `을`, `으로` ..., `scheme.particles.attaches_to`) only
  after a syllable with a final consonant: `폰|이` but `디스플레이`, `구글 플레이`, and
  `디스플레이|가`; a loanword's own 이 is never cut off;
* anything after a currency word that follows a numeral (`원짜리였는데`);
* anything after a run of spoken digits (`오육칠팔번이에요`).

Product words that end like a particle stay whole (`프로`, `코웨이`, `닌텐도`, `히어로`):
the catalogue's Hangul words that the suffix rules would cut become special cases,
so `에어팟 프로로` is `에어팟|프로|로`. A model that sees `프|로` has to join two pieces
back together and fails at it when the spaces around are tabs or NBSP.

Over-splitting never breaks alignment (it only adds boundaries), so the rules
err on the side of splitting; `tokens_per_100_chars` measures the cost.

The tokenizer is `callner.KoreanTokenizer.v1` (`[nlp.tokenizer]`): spaCy's
rule-based Tokenizer with these rules inside a `BoundedTokenizer`, so its time is
linear in the text (`bounded_tokenizer.py`). The `callner.korean_tokenizer.v1`
callback (`[initialize.before_init]`) installs the same rules on whatever tokenizer
a config names; pipelines saved with `spacy.Tokenizer.v1` and the callback keep
loading and tokenizing as before. Both are serialised with the pipeline's tokenizer.
"""
import re
from typing import Callable, Iterable, List

import spacy
from spacy.attrs import ORTH
from spacy.lang.ko.punctuation import TOKENIZER_INFIXES as KOREAN_INFIXES
from spacy.lang.punctuation import TOKENIZER_PREFIXES, TOKENIZER_SUFFIXES
from spacy.language import Language
from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex, registry

from .bounded_tokenizer import DEFAULT_MAX_RUN, BoundedTokenizer
from .scheme.numbers import CURRENCY_WORDS, HANGUL_NUMERALS, NUMERAL_ONLY_CURRENCY_WORDS, SPOKEN_DIGITS
from .scheme.particles import closed_syllable_ranges, needs_consonant_host, suffix_particles
from .values.product_kb import hangul_product_words

HANGUL = "가-힣"
HANGUL_WORD = re.compile(f"[{HANGUL}]+")


_spoken = f"[{SPOKEN_DIGITS}]"
_CLOSED_SYLLABLE = "[" + "".join(f"{first}-{last}" for first, last in closed_syllable_ranges()) + "]"


def _particle_alternation(consonant_host: bool) -> str:
    return "|".join(p for p in suffix_particles() if needs_consonant_host(p) == consonant_host)


KOREAN_SUFFIXES = [
    # not right after spoken digits: `칠칠삼이요` is 7732 + 요, and 이 is a digit
    f"(?<!{_spoken}{_spoken}{_spoken})(?<=[{HANGUL}])(?:{_particle_alternation(consonant_host=False)})",
    # after-consonant forms only after a syllable with 받침 (`폰|이`, not `디스플레|이`)
    f"(?<!{_spoken}{_spoken}{_spoken})(?<={_CLOSED_SYLLABLE})(?:{_particle_alternation(consonant_host=True)})",
]

KOREAN_EXTRA_INFIXES = [
    # script changes: digits/Latin <-> Hangul
    f"(?<=[0-9])(?=[{HANGUL}])",
    f"(?<=[{HANGUL}])(?=[0-9])",
    f"(?<=[A-Za-z])(?=[{HANGUL}])",
    f"(?<=[{HANGUL}])(?=[A-Za-z])",
    f"(?<=[{HANGUL}])(?=[+$₩¥€£])",
    # whatever follows a currency word after a numeral, or at the token start
    *[f"(?<=[0-9{HANGUL_NUMERALS}]{word})(?=[{HANGUL}])"
      for word in CURRENCY_WORDS],
    *[f"(?<=^{word})(?=[{HANGUL}])" for word in CURRENCY_WORDS if word not in NUMERAL_ONLY_CURRENCY_WORDS],
    # whatever follows a run of three spoken digits (`오육칠팔번이에요`), and
    # whatever follows a spoken four-digit group (`오육칠팔이요`)
    f"(?<={_spoken}{_spoken}{_spoken})(?=[^{SPOKEN_DIGITS}\\s])",
    f"(?<=^{_spoken}{_spoken}{_spoken}{_spoken})(?=[{HANGUL}])",
    # a whole number spoken without spaces: after 8 (15xx), 10 (02) or 11
    # (mobile) digits, so the copula in `공일공...오이에요` is cut at either reading
    *[f"(?<=^{_spoken * n_digits})(?=[{HANGUL}])" for n_digits in (8, 10, 11)],
    # a spoken mobile prefix glued to the word before it (`번호는공일공`)
    f"(?<=[{HANGUL}])(?=[공영]일[공영일육칠팔구])",
    # slash between digit groups (`010-1234-5678/010-...`)
    r"(?<=[0-9])/(?=[0-9])",
    # commas, except thousands separators (`140,000원`)
    r"(?<![0-9]),|,(?![0-9]{3}(?:[^0-9\-]|$))",
]

# spaCy splits `010-1234-5678` at every hyphen; no entity boundary ever falls
# inside a digit-hyphen-digit run, so keep phones, dates and IDs whole.
_DIGIT_HYPHEN_INFIX = r"(?<=[0-9])[+\-\*^](?=[0-9-])"


# spaCy's Korean infixes include its quote list, which holds a bare `,` (it
# would cut `140,000`) and an empty pattern; commas get their own rule above.
_DROPPED_INFIXES = {_DIGIT_HYPHEN_INFIX, ",", ""}


def korean_infixes() -> List[str]:
    """spaCy's Korean infixes without the digit-hyphen and bare-comma splits, plus ours."""
    return [rule for rule in KOREAN_INFIXES if rule not in _DROPPED_INFIXES] + KOREAN_EXTRA_INFIXES


def korean_suffixes() -> List[str]:
    return list(TOKENIZER_SUFFIXES) + [r"~", "～"] + KOREAN_SUFFIXES


def apply_korean_rules(nlp: Language) -> Language:
    """Install the Korean affix rules on `nlp.tokenizer` in place."""
    install_korean_rules(nlp.tokenizer)
    return nlp


def install_korean_rules(tokenizer) -> None:
    """Set the Korean prefix, suffix and infix rules of a rule-based tokenizer, and keep
    product words whole."""
    tokenizer.prefix_search = compile_prefix_regex(TOKENIZER_PREFIXES).search
    tokenizer.suffix_search = compile_suffix_regex(korean_suffixes()).search
    tokenizer.infix_finditer = compile_infix_regex(korean_infixes()).finditer
    for word in product_words_cut_by_suffixes(tokenizer):
        tokenizer.add_special_case(word, [{ORTH: word}])


def product_words_cut_by_suffixes(tokenizer) -> List[str]:
    """The catalogue's Hangul product words that ``tokenizer``'s rules would cut into pieces."""
    return [word for word in hangul_product_words()
            if HANGUL_WORD.fullmatch(word) and len(tokenizer(word)) > 1]


@registry.callbacks("callner.korean_tokenizer.v1")
def create_korean_tokenizer_callback() -> Callable[[Language], Language]:
    """Config hook: `[initialize.before_init] @callbacks = "callner.korean_tokenizer.v1"`."""
    return apply_korean_rules


@registry.tokenizers("callner.KoreanTokenizer.v1")
def create_korean_tokenizer(max_run: int = DEFAULT_MAX_RUN) -> Callable[[Language], BoundedTokenizer]:
    """Config: `[nlp.tokenizer] @tokenizers = "callner.KoreanTokenizer.v1"`.

    max_run: whitespace-free runs longer than this are cut before tokenizing, which
        bounds the work per token; runs up to it tokenize exactly as spaCy would.
    """
    def korean_tokenizer(nlp: Language) -> BoundedTokenizer:
        inner = registry.tokenizers.get("spacy.Tokenizer.v1")()(nlp)
        install_korean_rules(inner)
        return BoundedTokenizer(inner, max_run=max_run)

    return korean_tokenizer


def make_korean_nlp() -> Language:
    """A blank Korean pipeline with our tokenizer (`callner.KoreanTokenizer.v1`, no mecab)."""
    return spacy.blank("ko", config={"nlp": {"tokenizer": {"@tokenizers": "callner.KoreanTokenizer.v1"}}})


def make_unbounded_korean_nlp() -> Language:
    """spaCy's rule-based tokenizer with our rules installed by the callback, as pipelines
    trained before `callner.KoreanTokenizer.v1` have it (quadratic on long particle runs)."""
    return apply_korean_rules(make_plain_korean_nlp())


def make_plain_korean_nlp() -> Language:
    """spaCy's rule-based Korean tokenizer without our rules, as a baseline."""
    return spacy.blank("ko", config={"nlp": {"tokenizer": {"@tokenizers": "spacy.Tokenizer.v1"}}})


def tokens_per_100_chars(nlp: Language, texts: Iterable[str]) -> float:
    """How finely `nlp` cuts text: the cost side of splitting particles."""
    n_tokens = n_chars = 0
    for doc in nlp.tokenizer.pipe(texts):
        n_tokens += len(doc)
        n_chars += len(doc.text)
    return 100.0 * n_tokens / n_chars if n_chars else 0.0
