"""Parse the keep.eu Interreg extract (``projects.csv`` + ``partners.csv``) into plain records.

Rules (documented in the README):
- A project is identified by (programme, acronym); exact repeated rows are imported once, and the
  39 projects listed twice with two different lead partners keep both leads as members with the
  role ``lead`` (the first one in ``partners.csv`` becomes the partnership's lead).
- An organisation is identified by its normalised name (``accr_graph.text.normalise_name``: case,
  accents, punctuation and spacing ignored, '&' = 'and') *and* its country, so obvious spelling
  variants merge but two same-named bodies in different countries stay apart.
- Country codes follow the EU convention in the file (EL, UK) and become ISO (GR, GB); a partner
  row with no code takes the code that its country name has elsewhere in the file.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from accr_graph.countries import is_country, to_iso_country
from accr_graph.importers.errors import DataFileError
from accr_graph.text import normalise_name

PROJECT_COLUMNS = ("programme", "acronym", "name", "theme1", "theme2", "theme3", "start", "end")
DATE_LAYOUTS = ("%Y/%m/%d", "%Y-%m-%d")
PARTNER_COLUMNS = ("programme", "acronym", "partner", "is_lead", "town", "country", "country_code")


@dataclass(frozen=True, slots=True)
class KeepEuOrganisation:
    key: str  # "<ISO country>:<normalised name>"
    name: str  # first spelling seen
    country: str  # ISO 3166-1 alpha-2
    town: str | None


@dataclass(frozen=True, slots=True)
class KeepEuProject:
    key: str  # "<programme>|<acronym>"
    programme: str
    acronym: str
    name: str
    lead_key: str | None
    member_keys: tuple[str, ...]  # lead(s) included, file order, no repeats
    lead_keys: tuple[str, ...]
    themes: tuple[str, ...]
    description: str
    start_year: int | None
    end_year: int | None


@dataclass(slots=True)
class KeepEuDataset:
    organisations: dict[str, KeepEuOrganisation]
    projects: list[KeepEuProject]
    skipped: list[str] = field(default_factory=list)
    repeated_project_rows: int = 0


@dataclass(slots=True)
class _ProjectRow:
    programme: str
    acronym: str
    name: str
    themes: tuple[str, ...]
    description: str
    start_year: int | None
    end_year: int | None


def _rows(path: Path, required: tuple[str, ...]) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (row number, row) with row 1 the first record after the header."""
    if not path.is_file():
        raise DataFileError(f"{path}: file not found")
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in required if c not in (reader.fieldnames or [])]
        if missing:
            raise DataFileError(f"{path.name}: missing column(s) {', '.join(missing)}")
        for number, row in enumerate(reader, start=1):
            if None in row or any(value is None for value in row.values()):
                raise DataFileError(f"{path.name} row {number}: wrong number of fields")
            yield number, row


def _require(row: dict[str, str], column: str, where: str) -> str:
    value = row[column].strip()
    if not value:
        raise DataFileError(f"{where}: empty '{column}'")
    return value


def _year(value: str, column: str, where: str) -> int | None:
    value = value.strip()
    if not value:
        return None
    for layout in DATE_LAYOUTS:
        try:
            return datetime.strptime(value, layout).year
        except ValueError:
            continue
    raise DataFileError(f"{where}: '{column}' is not a date: {value!r}")


def _parse_project(number: int, row: dict[str, str]) -> _ProjectRow:
    where = f"projects.csv row {number}"
    start, end = _year(row["start"], "start", where), _year(row["end"], "end", where)
    if start and end and end < start:
        raise DataFileError(f"{where}: ends ({end}) before it starts ({start})")
    themes = tuple(dict.fromkeys(t.strip() for t in (row["theme1"], row["theme2"], row["theme3"])))
    return _ProjectRow(
        programme=_require(row, "programme", where),
        acronym=_require(row, "acronym", where),
        name=row["name"].strip(),
        themes=tuple(t for t in themes if t),
        description=row.get("description_en", "").strip(),
        start_year=start,
        end_year=end,
    )


def _read_projects(path: Path) -> tuple[dict[str, _ProjectRow], int]:
    projects: dict[str, _ProjectRow] = {}
    repeats = 0
    for number, row in _rows(path, PROJECT_COLUMNS):
        project = _parse_project(number, row)
        key = f"{project.programme}|{project.acronym}"
        if key in projects:
            repeats += 1
            continue
        projects[key] = project
    return projects, repeats


def _country_code(row: dict[str, str], by_name: dict[str, str]) -> str | None:
    code = row["country_code"].strip()
    if code:
        return to_iso_country(code.split()[0])
    return by_name.get(row["country"].strip().casefold())


def _country_names(path: Path) -> dict[str, str]:
    """Country name -> ISO code as the file itself pairs them, for rows that lack a code."""
    pairs: dict[str, str] = {}
    for _, row in _rows(path, PARTNER_COLUMNS):
        code = row["country_code"].strip()
        if code:
            pairs.setdefault(row["country"].strip().casefold(), to_iso_country(code.split()[0]))
    return pairs


@dataclass(slots=True)
class _Members:
    keys: dict[str, None] = field(default_factory=dict)  # ordered set
    leads: dict[str, None] = field(default_factory=dict)


def _read_partners(
    path: Path, projects: dict[str, _ProjectRow], dataset: KeepEuDataset
) -> dict[str, _Members]:
    by_name = _country_names(path)
    members: dict[str, _Members] = {}
    for number, row in _rows(path, PARTNER_COLUMNS):
        where = f"partners.csv row {number}"
        project_key = f"{_require(row, 'programme', where)}|{_require(row, 'acronym', where)}"
        name = _require(row, "partner", where)
        if project_key not in projects:
            raise DataFileError(f"{where}: project {project_key!r} is not in projects.csv")
        country = _country_code(row, by_name)
        if country is None or not is_country(country):
            dataset.skipped.append(f"{where}: {name!r} has no known country ({row['country']!r})")
            continue
        key = f"{country}:{normalise_name(name)}"
        if key not in dataset.organisations:
            town = row["town"].strip() or None
            dataset.organisations[key] = KeepEuOrganisation(key, name, country, town)
        entry = members.setdefault(project_key, _Members())
        entry.keys[key] = None
        if row["is_lead"].strip().casefold() == "yes":
            entry.leads[key] = None
    return members


def parse_keep_eu(directory: Path) -> KeepEuDataset:
    """Read and validate both files completely before anything is written anywhere."""
    projects, repeats = _read_projects(directory / "projects.csv")
    dataset = KeepEuDataset(organisations={}, projects=[], repeated_project_rows=repeats)
    members = _read_partners(directory / "partners.csv", projects, dataset)
    for key, row in projects.items():
        entry = members.get(key)
        if entry is None:
            dataset.skipped.append(f"project {key!r}: no partner rows")
            continue
        leads = tuple(entry.leads)
        dataset.projects.append(
            KeepEuProject(
                key=key,
                programme=row.programme,
                acronym=row.acronym,
                name=row.name or row.acronym,
                lead_key=leads[0] if leads else None,
                member_keys=tuple(entry.keys),
                lead_keys=leads,
                themes=row.themes,
                description=row.description,
                start_year=row.start_year,
                end_year=row.end_year,
            )
        )
    return dataset
