"""A rule-based tokenizer whose work per character is bounded, whatever the input.

spaCy's Tokenizer peels suffixes one at a time and calls ``suffix_search`` on the
whole remaining token each time; a ``$``-anchored regex scans every start position,
so a token that is a long run of particles (``요요요…``, ``이에요이에요…``) costs time
quadratic in its length (10,000 characters: over 50 s). Two mechanisms make that
impossible, each keeping today's tokens wherever it does not fire:

* ``TailSuffixSearch`` searches only the last characters of a token that any
  bounded suffix rule can reach; the rare unbounded rule (``\\.\\.+``) is searched
  on its own, and the result is exactly what the full search returns.
* ``BoundedTokenizer`` cuts whitespace-free runs longer than ``max_run`` characters
  into pieces before the inner tokenizer sees them, so no token it works on is
  longer than ``max_run`` and even a rule set that is quadratic per token stays
  linear per text. Texts whose runs are all shorter go to the inner tokenizer as
  they are.

The wrapper serialises exactly as the inner Tokenizer does, so a pipeline saved
with it loads with ``spacy.Tokenizer.v1`` too, and vice versa.
"""
import re
from typing import Callable, Iterable, Iterator, List, Optional, Pattern, Tuple

from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc

try:  # Python 3.11+
    from re import _parser as _regex_parser
except ImportError:  # pragma: no cover - Python < 3.11
    import sre_parse as _regex_parser

DEFAULT_MAX_RUN = 96
"""Longest whitespace-free run tokenized in one piece; longer runs are cut."""

_LONGEST_BOUNDED_SUFFIX = 64
"""A suffix alternative that can match more characters than this counts as unbounded."""

_RUN_PREFERRED_CUT = re.compile(r"(?<=[가-힣])(?=[0-9A-Za-z])|(?<=[0-9A-Za-z])(?=[가-힣])")
"""Script changes, where the Korean infix rules split anyway: the best places to cut a run."""


def top_level_alternatives(pattern: str) -> List[str]:
    """The sources of the top-level ``|`` alternatives of a regex source."""
    alternatives, depth, in_class, start, index = [], 0, False, 0, 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            index += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
            if pattern[index + 1:index + 2] == "]":
                index += 1
            elif pattern[index + 1:index + 3] == "^]":
                index += 2
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            alternatives.append(pattern[start:index])
            start = index + 1
        index += 1
    alternatives.append(pattern[start:])
    return alternatives


def _max_width(source: str) -> int:
    return _regex_parser.parse(source).getwidth()[1]


class TailSuffixSearch:
    """``regex.search`` for a ``$``-anchored suffix regex, in time bounded per call.

    Bounded alternatives are searched from ``window`` characters before the end (a
    match ends at the end or before a final newline, so none can start earlier);
    lookbehinds still see the characters before. Unbounded alternatives are
    searched in full, and when one starts first the full regex is matched there,
    so the alternative order at that position is the full regex's. ``__self__``
    is the full regex: spaCy serialises ``suffix_search.__self__.pattern``.
    """

    def __init__(self, regex: Pattern[str]):
        self.__self__ = regex
        self.window: Optional[int] = None
        self._unbounded: Optional[Pattern[str]] = None
        try:
            self._split_alternatives(regex)
        except re.error:  # an alternative that does not parse alone: search in full
            self.window, self._unbounded = None, None

    def _split_alternatives(self, regex: Pattern[str]) -> None:
        bounded_width, unbounded = 0, []
        for alternative in top_level_alternatives(regex.pattern):
            width = _max_width(alternative)
            if width > _LONGEST_BOUNDED_SUFFIX:
                unbounded.append(alternative)
            else:
                bounded_width = max(bounded_width, width)
        self._unbounded = re.compile("|".join(unbounded), regex.flags) if unbounded else None
        self.window = bounded_width + 1

    @property
    def pattern(self) -> str:
        return self.__self__.pattern

    def __call__(self, string: str) -> Optional["re.Match[str]"]:
        regex = self.__self__
        if self.window is None:
            return regex.search(string)
        tail_match = regex.search(string, max(0, len(string) - self.window))
        if self._unbounded is None:
            return tail_match
        unbounded_match = self._unbounded.search(string)
        if unbounded_match is None:
            return tail_match
        if tail_match is not None and tail_match.start() <= unbounded_match.start():
            return tail_match
        return regex.match(string, unbounded_match.start())

    def __reduce__(self):
        return (self.__class__, (self.__self__,))


def bound_suffix_search(tokenizer: Tokenizer) -> None:
    """Replace ``tokenizer.suffix_search`` by its tail-bounded equivalent, in place.

    Only a compiled regex's ``search`` is replaced; any other callable is left alone
    (the run bound still limits what it costs).
    """
    search = tokenizer.suffix_search
    regex = getattr(search, "__self__", None)
    if not isinstance(search, TailSuffixSearch) and isinstance(regex, re.Pattern):
        tokenizer.suffix_search = TailSuffixSearch(regex)


def run_pieces(text: str, max_run: int) -> List[Tuple[int, int]]:
    """``(start, end)`` pieces covering ``text``, cut only inside runs over ``max_run``."""
    pieces, piece_start = [], 0
    for run in re.finditer(rf"\S{{{max_run + 1},}}", text):
        position, run_end = run.start(), run.end()
        while run_end - position > max_run:
            cut = _cut_position(text, position, max_run)
            pieces.append((piece_start, cut))
            piece_start = position = cut
    pieces.append((piece_start, len(text)))
    return pieces


def _cut_position(text: str, position: int, max_run: int) -> int:
    """The last script change in the second half of the next ``max_run`` characters, else its end."""
    window_end = position + max_run
    cut = window_end
    for change in _RUN_PREFERRED_CUT.finditer(text, position + max_run // 2, window_end):
        cut = change.start()
    return cut


class BoundedTokenizer:
    """Tokenizes with ``inner`` after cutting whitespace-free runs longer than ``max_run``.

    Cutting only adds token boundaries inside a run of ``max_run`` characters or
    more without a space, so every text spaCy's tokenizer would give a token under
    that length keeps its tokens exactly. The affix rules and exceptions are the
    inner tokenizer's; setting them here sets them there.
    """

    def __init__(self, inner: Tokenizer, max_run: int = DEFAULT_MAX_RUN):
        if max_run < 2:
            raise ValueError(f"max_run must be at least 2, not {max_run}")
        self.inner = inner
        self.max_run = max_run
        bound_suffix_search(inner)

    @property
    def vocab(self):
        return self.inner.vocab

    def __getattr__(self, name: str):
        """Anything else spaCy asks of a tokenizer (``_reset_cache``, ``memory_zone``) is the inner's."""
        if name == "inner":
            raise AttributeError(name)
        return getattr(self.inner, name)

    def __call__(self, text: str) -> Doc:
        pieces = run_pieces(text, self.max_run)
        if len(pieces) == 1:
            return self.inner(text)
        words, spaces = [], []
        for start, end in pieces:
            for token in self.inner(text[start:end]):
                words.append(token.text)
                spaces.append(bool(token.whitespace_))
        return Doc(self.vocab, words=words, spaces=spaces)

    def pipe(self, texts: Iterable[str], batch_size: int = 1000) -> Iterator[Doc]:
        for text in texts:
            yield self(text)

    def explain(self, text: str):
        return self.inner.explain(text)

    def add_special_case(self, string: str, substrings) -> None:
        self.inner.add_special_case(string, substrings)

    def to_bytes(self, *, exclude=tuple()) -> bytes:
        return self.inner.to_bytes(exclude=exclude)

    def from_bytes(self, bytes_data: bytes, *, exclude=tuple()) -> "BoundedTokenizer":
        self.inner.from_bytes(bytes_data, exclude=exclude)
        bound_suffix_search(self.inner)
        return self

    def to_disk(self, path, **kwargs) -> None:
        self.inner.to_disk(path, **kwargs)

    def from_disk(self, path, *, exclude=tuple()) -> "BoundedTokenizer":
        self.inner.from_disk(path, exclude=exclude)
        bound_suffix_search(self.inner)
        return self

    def __reduce__(self):
        return (self.__class__, (self.inner, self.max_run))


def _delegate(attribute: str) -> property:
    def get(self):
        return getattr(self.inner, attribute)

    def set(self, value):
        setattr(self.inner, attribute, value)
        if attribute == "suffix_search":
            bound_suffix_search(self.inner)

    return property(get, set, doc=f"The inner tokenizer's ``{attribute}``.")


for _attribute in ("prefix_search", "suffix_search", "infix_finditer", "token_match",
                   "url_match", "rules", "faster_heuristics"):
    setattr(BoundedTokenizer, _attribute, _delegate(_attribute))

