"""The product knowledge base: which product a PRODUCT span names, for its value and `ent.kb_id_`.

Built from the shipped catalogue (`ProductKB.default()`, product_catalogue.json, the one home
of product identity knowledge), from a user's catalogue file (`ProductKB.from_file`), or both
(`kb.merged(other)`: the other's entries win).

Linking is one dictionary lookup on a key that every way a transcript writes a name shares:
`갤럭시 S25 울트라`, `Galaxy S25 Ultra`, `galaxy s25 ultra`, `갤럭시S25울트라` and `갤럭시 에스 이십사
울트라` all give `galaxys25ultra`. A key is the NFKC, case-folded text with Hangul model words
read as their Latin spelling (울트라 -> ultra) and separators dropped; the Hangul-to-Latin word
table is learned from the catalogue's aligned Hangul/Latin names, not written by hand. Every
name, alias and the forms people derive from them (brand said before it, `갤럭시` or `Z` left
out) is indexed under its key.
"""
import json
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Dict, Iterable, Iterator, List, Optional, Tuple, Union

from ..scheme import SINO_DIGITS, SMALL_UNITS
from .money import parse_amount

CATALOGUE_FILE = "product_catalogue.json"

SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212\uFE58\uFE63\uFF0D_·/()\[\]{}]+")
"""Characters that separate words of a name but never tell two products apart."""
HANGUL_RUNS = re.compile(r"[\uac00-\ud7a3]+|[^\uac00-\ud7a3]+")
HANGUL = re.compile(r"[\uac00-\ud7a3]")
GENERATION = re.compile(r"([0-9]+)(?:세대|(?:st|nd|rd|th)generation)")
"""`3세대` and `3rd generation` name the same model as its bare number (AirPods 3)."""
SINO_NUMBER_SYLLABLES = frozenset(d for d in SINO_DIGITS if d) | frozenset(SMALL_UNITS)


@lru_cache(maxsize=1)
def product_knowledge() -> Dict[str, Any]:
    """The shipped product knowledge (brands, catalogue, bare brands, short forms, series grammar), cached."""
    text = resources.files(__package__).joinpath(CATALOGUE_FILE).read_text(encoding="utf-8")
    return json.loads(text)


@lru_cache(maxsize=1)
def hangul_product_names() -> Tuple[str, ...]:
    """The Hangul spelling of every listed product (catalogue, bare brands, short forms) and brand."""
    data = product_knowledge()
    names = [row[2] for key in ("catalogue", "bare_brands", "short_forms", "not_generated") for row in data[key]]
    return tuple(names + [spellings[0] for spellings in data["brands"].values()])


@lru_cache(maxsize=1)
def hangul_product_words() -> Tuple[str, ...]:
    """Every word with Hangul in the shipped product, series and brand names, sorted (for the tokenizer)."""
    data = product_knowledge()
    names = list(hangul_product_names()) + [series["ko"] for series in data["series"]]
    names += [variant[0] for series in data["series"] for variant in series["variants"]]
    return tuple(sorted({word for name in names for word in name.split() if HANGUL.search(word)}))


def aligned_spellings() -> Iterator[Tuple[str, str]]:
    """Every (Hangul, Latin) pair of names the shipped knowledge spells both ways."""
    data = product_knowledge()
    for spellings in data["brands"].values():
        yield spellings[0], spellings[1]
    for key in ("catalogue", "bare_brands", "short_forms", "not_generated"):
        for row in data[key]:
            yield row[2], row[3]
    for series in data["series"]:
        yield series["ko"], series["en"]
        if "short" in series:
            yield series["short"][0], series["short"][1]
        for variant in series["variants"]:
            yield variant[0], variant[1]


def _word_pairs(hangul: str, latin: str) -> Iterator[Tuple[str, str]]:
    """The (Hangul word, Latin word) pairs of one aligned name: word by word, a shared digit tail cut off."""
    ko_words, en_words = hangul.split(), latin.split()
    if len(ko_words) != len(en_words):
        if len(ko_words) == 1 and HANGUL_RUNS.fullmatch(ko_words[0]) and HANGUL.match(ko_words[0]):
            yield ko_words[0], "".join(en_words).casefold()
        return
    for ko, en in zip(ko_words, en_words):
        runs = HANGUL_RUNS.findall(ko)
        if HANGUL.search(en) or not HANGUL.match(runs[0]):
            continue
        tail = ko[len(runs[0]):]
        if tail and not en.casefold().endswith(tail.casefold()):
            continue
        word = en[: len(en) - len(tail)].casefold()
        if word:
            yield runs[0], word


@lru_cache(maxsize=1)
def hangul_word_table() -> Dict[str, str]:
    """Hangul model word -> Latin word (울트라 -> ultra), the most frequent reading in the catalogue."""
    votes: Dict[str, Counter] = defaultdict(Counter)
    for hangul, latin in aligned_spellings():
        for ko, en in _word_pairs(hangul, latin):
            votes[ko][en] += 1
    return {ko: counts.most_common(1)[0][0] for ko, counts in votes.items()}


@lru_cache(maxsize=1)
def _spoken_and_clipped() -> Tuple[Dict[str, str], Tuple[Tuple[str, str], ...]]:
    data = product_knowledge()
    spoken = {word: latin.casefold() for word, latin in data["spoken_words"].items()}
    clipped = tuple(sorted(data["abbreviations"].items(), key=lambda item: -len(item[0])))
    return spoken, clipped


@lru_cache(maxsize=1)
def _longest_word() -> int:
    return max(map(len, hangul_word_table()), default=0)


def _segment(hangul: str, table: Dict[str, str]) -> str:
    """A Hangul run read as known words, covering the most syllables with the fewest words
    (에어팟프로 -> airpodspro; 맥스튜디오 -> macstudio, not max + 튜디오); longer words win ties."""
    longest = _longest_word()
    size = len(hangul)
    best: List[Tuple[int, int, str]] = [(0, 0, "")] * (size + 1)
    for i in range(size - 1, -1, -1):
        unknown, pieces, reading = best[i + 1]
        choice = (unknown + 1, pieces + 1, hangul[i] + reading)
        for width in range(min(longest, size - i), 0, -1):
            word = hangul[i:i + width]
            if word in table:
                unknown, pieces, reading = best[i + width]
                if (unknown, pieces + 1) < choice[:2]:
                    choice = (unknown, pieces + 1, table[word] + reading)
        best[i] = choice
    return best[0][2]


def _sino_number(word: str) -> str:
    """A Sino-Korean numeral word as digits (이십사 -> 24), or "" when it is not one."""
    if not word or not set(word) <= SINO_NUMBER_SYLLABLES:
        return ""
    try:
        return str(int(parse_amount(word)))
    except (ValueError, ArithmeticError):
        return ""


@lru_cache(maxsize=65536)
def _word_key(word: str) -> str:
    """One word's part of a key: a spoken letter or number, a numeral, or its runs read through the word table."""
    table = hangul_word_table()
    spoken, clipped = _spoken_and_clipped()
    if word in spoken:
        return spoken[word]
    number = "" if word in table else _sino_number(word)
    if number:
        return number
    for clip, full in clipped:
        if word.startswith(clip) and not word.startswith(full):
            word = full + word[len(clip):]
            break
    return "".join(_segment(run, table) if HANGUL.match(run) else run for run in HANGUL_RUNS.findall(word))


def name_words(text: str) -> List[str]:
    """The words of a name as a key sees them: NFKC, case-folded, `+` read as plus, split at separators."""
    text = unicodedata.normalize("NFKC", text).casefold().replace("+", " plus ")
    return [word for word in SEPARATORS.split(text) if word]


def product_key(text: str) -> str:
    """The lookup key of a product name: every spelling, spacing and case variant of it gives the same key."""
    return GENERATION.sub(r"\1", "".join(_word_key(word) for word in name_words(text)))


@dataclass(frozen=True)
class ProductEntry:
    """One product: a stable id (`samsung:galaxy-s25-ultra`), brand key, canonical name and other spellings."""

    id: str
    brand: str
    name: str
    category: Optional[str] = None
    aliases: Tuple[str, ...] = field(default=())

    def to_json(self) -> Dict[str, Any]:
        return {"id": self.id, "brand": self.brand, "name": self.name, "category": self.category,
                "aliases": list(self.aliases)}


def product_id(brand: str, name: str) -> str:
    """`samsung` + `Galaxy S25+` -> `samsung:galaxy-s25-plus`; the brand word is not repeated (`lg:gram`)."""
    text = unicodedata.normalize("NFKC", name).casefold().replace("+", " plus ").replace("&", " and ")
    slug = re.sub(r"[^0-9a-z\uac00-\ud7a3]+", "-", text).strip("-")
    brand_slug = re.sub(r"[^0-9a-z]+", "-", brand.casefold())
    if slug.startswith(brand_slug + "-"):
        slug = slug[len(brand_slug) + 1:]
    return f"{brand}:{slug or brand_slug}"


def _entry(brand: str, name: str, category: Optional[str], aliases: Iterable[str], id: Optional[str] = None) -> ProductEntry:
    unique = tuple(dict.fromkeys(a for a in aliases if a and a != name))
    return ProductEntry(id or product_id(brand, name), brand, name, category, unique)


def _series_entries(series: Dict[str, Any]) -> Iterator[ProductEntry]:
    """Every model the series grammar can name (Galaxy S20 ... S28 with each variant)."""
    numbers = series.get("numbers") or [str(n) for n in range(series["range"][0], series["range"][1] + 1)]
    gap = "" if series["glue"] else " "
    for number in numbers:
        for variant in series["variants"]:
            ko_variant, en_variant, glued = variant[:3]
            ko, en = f"{series['ko']}{gap}{number}", f"{series['en']}{gap}{number}"
            ko += ("" if glued or not ko_variant else " ") + ko_variant
            en += ("" if glued or not en_variant else " ") + en_variant
            name = en if len(variant) < 4 else f"{series['en']}{gap}{number}{variant[3]}"
            aliases = [ko, en]
            if "short" in series:
                aliases += [series["short"][0] + ko[len(series["ko"]):], series["short"][1] + en[len(series["en"]):]]
            yield _entry(series["brand"], name, series["category"], aliases)


def _shipped_entries() -> List[ProductEntry]:
    """The shipped catalogue, bare brands, series grammar and short forms, one entry per id."""
    data = product_knowledge()
    entries: List[ProductEntry] = []
    for key in ("catalogue", "bare_brands", "not_generated"):
        for row in data[key]:
            brand, category, ko, latin = row[:4]
            entries.append(_entry(brand, row[4] if len(row) > 4 else latin, category, [ko, latin]))
    for series in data["series"]:
        entries.extend(_series_entries(series))
    by_name = {e.name: e for e in reversed(entries)}
    for brand, category, ko, latin, canonical in data["short_forms"]:
        target = by_name[canonical]
        entries.append(_entry(brand, canonical, target.category, [ko, latin], id=target.id))
    return _merge_same_id(entries)


def _merge_same_id(entries: Iterable[ProductEntry]) -> List[ProductEntry]:
    """One entry per id: the first one's name and category, every spelling of all of them."""
    merged: Dict[str, ProductEntry] = {}
    for e in entries:
        first = merged.get(e.id)
        if first is None:
            merged[e.id] = e
        else:
            merged[e.id] = _entry(first.brand, first.name, first.category or e.category,
                                  first.aliases + (e.name,) + e.aliases, id=first.id)
    return list(merged.values())


@lru_cache(maxsize=1)
def shipped_brand_spellings() -> Dict[str, Tuple[str, ...]]:
    """Brand key -> the words that name the brand (삼성, Samsung; LG, 엘지)."""
    return {key: tuple(spellings) for key, spellings in product_knowledge()["brands"].items()}


def _brand_words(brand: str) -> Tuple[str, ...]:
    return shipped_brand_spellings().get(brand, ()) + (brand,)


def _derived_forms(entry: ProductEntry) -> Iterator[str]:
    """Forms people say for a name: brand before it, brand or optional words (갤럭시, Z) left out."""
    optional = {w.casefold() for w in product_knowledge()["optional_words"]}
    brand_words = _brand_words(entry.brand)
    brand_folded = {w.casefold() for w in brand_words}
    for spelling in (entry.name,) + entry.aliases:
        words = spelling.split()
        bases = [words]
        if len(words) > 1 and words[0].casefold() in brand_folded:
            bases.append(words[1:])
        for base in bases:
            forms = [base] + [base[:i] + base[i + 1:] for i, w in enumerate(base) if w.casefold() in optional]
            forms.append([w for w in base if w.casefold() not in optional])
            for form in forms:
                if form:
                    yield " ".join(form)
                    yield from (f"{brand} {' '.join(form)}" for brand in brand_words)


def _index(entries: Iterable[ProductEntry]) -> Dict[str, str]:
    """Key -> entry id: names and listed aliases first (the first entry wins), then derived forms where free."""
    entries = list(entries)
    index: Dict[str, str] = {}
    for e in entries:
        for spelling in (e.name,) + e.aliases:
            index.setdefault(product_key(spelling), e.id)
    for e in entries:
        for form in _derived_forms(e):
            index.setdefault(product_key(form), e.id)
    index.pop("", None)
    return index


def _brand_heads(entries: Iterable[ProductEntry]) -> Dict[str, str]:
    """Key of a word that starts a name of one brand only (갤럭시 -> samsung, 그램 -> lg), and of every brand word."""
    owners: Dict[str, set] = {}
    for e in entries:
        for spelling in (e.name,) + e.aliases:
            words = name_words(spelling)
            if words and not words[0][:1].isdigit() and len(words[0]) > 1:
                owners.setdefault(product_key(words[0]), set()).add(e.brand)
    heads = {key: brands.pop() for key, brands in owners.items() if len(brands) == 1 and len(key) > 1}
    for brand, spellings in shipped_brand_spellings().items():
        heads.update({product_key(s): brand for s in spellings})
    return heads


class ProductKB:
    """Products by id and by every key their spellings give; `link` and `brand_of` read a span's text."""

    def __init__(self, entries: Iterable[ProductEntry], index: Optional[Dict[str, str]] = None):
        self.entries: Dict[str, ProductEntry] = {e.id: e for e in entries}
        self._index = index if index is not None else _index(self.entries.values())
        self._heads = _brand_heads(self.entries.values())
        self._heads_longest_first = sorted(self._heads, key=len, reverse=True)

    def __len__(self) -> int:
        return len(self.entries)

    @classmethod
    @lru_cache(maxsize=1)
    def default(cls) -> "ProductKB":
        """The knowledge base shipped with the package (product_catalogue.json), built once."""
        return cls(_shipped_entries())

    @classmethod
    def from_json(cls, data: Iterable[Dict[str, Any]], source: str = "catalogue") -> "ProductKB":
        """Entries from objects `{"id"?, "brand", "name", "category"?, "aliases"?}` (what `to_json` writes)."""
        return cls([entry_from_json(item, f"{source}: entry {i}") for i, item in enumerate(data, 1)])

    @classmethod
    def from_file(cls, path: Union[str, Path]) -> "ProductKB":
        """A user catalogue: a JSON list or JSONL of entry objects; a bad line raises ValueError naming file and line."""
        return cls(read_catalogue_file(Path(path)))

    def to_json(self) -> List[Dict[str, Any]]:
        return [e.to_json() for e in self.entries.values()]

    def merged(self, other: "ProductKB") -> "ProductKB":
        """This knowledge base extended by ``other``, whose entries win over the same id or the same key.

        A shipped spelling of a replaced id still links to that id, now the other's entry.
        """
        index = {**self._index, **other._index}
        return ProductKB([e for id, e in self.entries.items() if id not in other.entries]
                         + list(other.entries.values()), index)

    def link(self, surface: str) -> Optional[ProductEntry]:
        """The product ``surface`` names, in any spelling, spacing or case; None when not known."""
        id = self._index.get(product_key(surface))
        return self.entries[id] if id is not None else None

    def brand_of(self, surface: str) -> Optional[str]:
        """The brand key of the linked product, else of the first brand or series word in ``surface``."""
        entry = self.link(surface)
        if entry is not None:
            return entry.brand
        for word in name_words(surface):
            key = product_key(word)
            for head in self._heads_longest_first:
                if key.startswith(head):
                    return self._heads[head]
        key = product_key(surface)
        return next((self._heads[h] for h in self._heads_longest_first if key.startswith(h)), None)


def entry_from_json(item: Any, where: str) -> ProductEntry:
    """One catalogue object as an entry; ValueError saying ``where`` and what is wrong."""
    if not isinstance(item, dict):
        raise ValueError(f"{where}: expected an object with brand and name, got {type(item).__name__}")
    brand, name, aliases = item.get("brand"), item.get("name"), item.get("aliases", [])
    if not (isinstance(brand, str) and brand.strip() and isinstance(name, str) and name.strip()):
        raise ValueError(f"{where}: brand and name must be non-empty text")
    if not (isinstance(aliases, list) and all(isinstance(a, str) for a in aliases)):
        raise ValueError(f"{where}: aliases must be a list of text")
    category, id = item.get("category"), item.get("id")
    if id is not None and not (isinstance(id, str) and id.strip()):
        raise ValueError(f"{where}: id must be non-empty text")
    brand = brand.strip().casefold()
    return _entry(brand, name.strip(), category if isinstance(category, str) else None, aliases, id=id)


def read_catalogue_file(path: Path) -> List[ProductEntry]:
    """Entries of a JSON-list or JSONL catalogue file."""
    text = path.read_text(encoding="utf-8")
    if text.lstrip().startswith("["):
        try:
            items = json.loads(text)
        except json.JSONDecodeError as error:
            raise ValueError(f"{path}:{error.lineno}: not valid JSON: {error.msg}") from None
        return [entry_from_json(item, f"{path}: entry {i}") for i, item in enumerate(items, 1)]
    entries = []
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as error:
            raise ValueError(f"{path}:{lineno}: not valid JSON: {error.msg}") from None
        entries.append(entry_from_json(item, f"{path}:{lineno}"))
    return entries
