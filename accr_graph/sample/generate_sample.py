# ruff: noqa: E501
"""Generate ``network.json``: the ILLUSTRATIVE sample network shipped with ACCR Graph.

Every centre, person, proposal and partnership here is invented (names, websites and e-mail
addresses under example.org); only the cities and their coordinates are real. This is not a
record of ACCR members.

Run from the repository root::

    python accr_graph/sample/generate_sample.py           # write network.json, then self-check
    python accr_graph/sample/generate_sample.py --check   # fail if network.json is out of date

Hand-curated: themes, competencies, centres, proposals, interests and users are written out
below. Seeded randomness (``SEED``) only fills in the past partnerships, following a planted
structure so that partner suggestions and clusters are meaningful:

* six cooperation groups (French-speaking network, Mediterranean, Central/Eastern Europe,
  Nordic/North Sea, a music group, a gardens and landscape group) that work together often;
* four hubs (``HUBS``) that take part in many partnerships;
* three isolated centres (``ISOLATED``) with no partnership at all;
* one large European Heritage Days project in 2011 (~25 members).

Standard library only; the output is byte-for-byte deterministic.
"""

from __future__ import annotations

import json
import random
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any

SEED = 2026
OUTPUT = Path(__file__).with_name("network.json")
NOTICE = (
    "Illustrative sample data for ACCR Graph: invented centres and projects, "
    "not real member records."
)

Json = dict[str, Any]

# --------------------------------------------------------------------------------------------
# Catalogue
# --------------------------------------------------------------------------------------------

THEMES: list[tuple[str, str, str]] = [
    ("heritage-creation", "Heritage and creation", "Patrimoine et création"),
    ("artist-residencies", "Artist residencies", "Résidences d'artistes"),
    ("music", "Music", "Musique"),
    ("landscape-gardens", "Landscape and gardens", "Paysages et jardins"),
    ("cultural-tourism", "Cultural tourism", "Tourisme culturel"),
    ("audience-development", "Audience development", "Développement des publics"),
    ("digital-mediation", "Digital mediation", "Médiation numérique"),
    ("education", "Education and training", "Éducation et formation"),
    ("intercultural-dialogue", "Intercultural dialogue", "Dialogue interculturel"),
    ("literature", "Literature and writing", "Littérature et écriture"),
    ("visual-arts", "Visual arts", "Arts visuels"),
    ("performing-arts", "Performing arts", "Arts vivants"),
    ("architecture-restoration", "Architecture and restoration", "Architecture et restauration"),
    (
        "ecological-transition",
        "Sustainability and ecological transition",
        "Développement durable et transition écologique",
    ),
    ("crafts", "Crafts and know-how", "Métiers d'art et savoir-faire"),
    ("rural-development", "Rural development", "Développement rural"),
    ("youth", "Youth", "Jeunesse"),
    ("memory-history", "Memory and history", "Mémoire et histoire"),
    ("gastronomy", "Gastronomy and food heritage", "Gastronomie et patrimoine alimentaire"),
    ("science-heritage", "Science and heritage", "Sciences et patrimoine"),
]

COMPETENCIES: list[tuple[str, str, str, str]] = [
    # programming
    (
        "residency-hosting",
        "programming",
        "Hosting artist residencies",
        "Accueil de résidences d'artistes",
    ),
    ("festival-programming", "programming", "Festival programming", "Programmation de festivals"),
    ("music-programming", "programming", "Music programming", "Programmation musicale"),
    ("exhibition-curation", "programming", "Exhibition curation", "Commissariat d'exposition"),
    ("literary-programming", "programming", "Literary programming", "Programmation littéraire"),
    # mediation
    (
        "audience-engagement",
        "mediation",
        "Audience engagement",
        "Médiation et relation aux publics",
    ),
    ("school-workshops", "mediation", "School workshops", "Ateliers scolaires"),
    (
        "accessibility",
        "mediation",
        "Accessibility for visitors with disabilities",
        "Accessibilité des publics en situation de handicap",
    ),
    (
        "interpretation-guiding",
        "mediation",
        "Heritage interpretation and guided tours",
        "Interprétation du patrimoine et visites guidées",
    ),
    (
        "community-participation",
        "mediation",
        "Participatory projects with local communities",
        "Projets participatifs avec les habitants",
    ),
    # heritage
    (
        "building-restoration",
        "heritage",
        "Historic building restoration",
        "Restauration du bâti ancien",
    ),
    (
        "garden-management",
        "heritage",
        "Historic garden management",
        "Gestion de jardins historiques",
    ),
    (
        "archives-collections",
        "heritage",
        "Archives and collections management",
        "Gestion d'archives et de collections",
    ),
    ("heritage-research", "heritage", "Heritage research", "Recherche sur le patrimoine"),
    (
        "traditional-crafts",
        "heritage",
        "Transmission of traditional crafts",
        "Transmission des savoir-faire traditionnels",
    ),
    # production
    (
        "stage-production",
        "production",
        "Stage and technical production",
        "Production et régie scénique",
    ),
    ("sound-recording", "production", "Sound recording studio", "Studio d'enregistrement sonore"),
    (
        "artisan-workshops",
        "production",
        "Craft workshops and fablab",
        "Ateliers d'artisanat et fablab",
    ),
    (
        "event-logistics",
        "production",
        "Event logistics and hospitality",
        "Logistique événementielle et accueil",
    ),
    ("publishing", "production", "Publishing", "Édition"),
    # management
    ("eu-funding", "management", "EU funding applications", "Montage de dossiers européens"),
    ("project-coordination", "management", "Project coordination", "Coordination de projets"),
    (
        "fundraising-sponsorship",
        "management",
        "Fundraising and sponsorship",
        "Mécénat et recherche de fonds",
    ),
    (
        "evaluation-impact",
        "management",
        "Evaluation and impact measurement",
        "Évaluation et mesure d'impact",
    ),
    (
        "sustainable-management",
        "management",
        "Sustainable site management",
        "Gestion durable des sites",
    ),
    ("volunteer-management", "management", "Volunteer management", "Gestion des bénévoles"),
    # digital
    (
        "digital-mediation-tools",
        "digital",
        "Digital mediation tools",
        "Outils de médiation numérique",
    ),
    (
        "virtual-tours-3d",
        "digital",
        "3D scanning and virtual tours",
        "Numérisation 3D et visites virtuelles",
    ),
    (
        "web-communication",
        "digital",
        "Web and social media communication",
        "Communication web et réseaux sociaux",
    ),
    (
        "data-visitor-analytics",
        "digital",
        "Visitor data and analytics",
        "Données et analyse de fréquentation",
    ),
    (
        "streaming-broadcast",
        "digital",
        "Live streaming and broadcast",
        "Captation et diffusion en direct",
    ),
]

SITE_TYPES = (
    "abbey",
    "castle",
    "saline",
    "charterhouse",
    "priory",
    "convent",
    "manor",
    "fortress",
    "palace",
    "industrial",
    "garden",
)
LABEL_STATUSES = ("labelled", "candidate", "associate", "partner")

# Country calling codes, only to make the (fictitious, 555) phone numbers look right.
DIAL = {
    "FR": "+33",
    "BE": "+32",
    "LU": "+352",
    "DE": "+49",
    "IT": "+39",
    "ES": "+34",
    "PT": "+351",
    "NL": "+31",
    "PL": "+48",
    "CZ": "+420",
    "HU": "+36",
    "RO": "+40",
    "HR": "+385",
    "SI": "+386",
    "FI": "+358",
    "SE": "+46",
    "IE": "+353",
    "CH": "+41",
    "MA": "+212",
    "KR": "+82",
}

# --------------------------------------------------------------------------------------------
# Centres (invented names; real cities and city coordinates)
# --------------------------------------------------------------------------------------------

Comp = tuple[str, int] | tuple[str, int, str]
CENTRES: list[Json] = []


def centre(
    slug: str,
    name: str,
    country: str,
    city: str,
    lat: float,
    lon: float,
    site: str,
    status: str,
    languages: list[str],
    founded: int,
    en: str | None,
    fr: str | None,
    themes: list[str],
    offers: list[Comp],
    seeks: list[Comp],
) -> None:
    description = {lang: text for lang, text in (("en", en), ("fr", fr)) if text}
    CENTRES.append(
        {
            "slug": slug,
            "name": name,
            "country": country,
            "city": city,
            "latitude": lat,
            "longitude": lon,
            "site_type": site,
            "label_status": status,
            "website": f"https://{slug}.example.org/",
            "contact_email": f"contact@{slug}.example.org",
            "contact_phone": f"{DIAL[country]} 555 {len(CENTRES) + 101:04d}",
            "languages": languages,
            "founded_year": founded,
            "description": description,
            "themes": themes,
            "offers": [_comp(c) for c in offers],
            "seeks": [_comp(c) for c in seeks],
        }
    )


def _comp(entry: Comp) -> Json:
    note = entry[2] if len(entry) == 3 else None
    return {"competency": entry[0], "level": entry[1], "note": note}


# --- France (12) ---
centre(
    "abbaye-de-saint-aurel",
    "Abbaye de Saint-Aurel",
    "FR",
    "Saintes",
    45.7464,
    -0.6333,
    "abbey",
    "labelled",
    ["fr", "en"],
    1975,
    "A Romanesque abbey on the Charente turned into a centre for early and contemporary music, with a summer festival and year-round residencies for ensembles.",
    "Abbaye romane au bord de la Charente devenue centre de musique ancienne et contemporaine, avec un festival d'été et des résidences d'ensembles toute l'année.",
    ["heritage-creation", "music", "artist-residencies", "audience-development", "education"],
    [
        ("eu-funding", 3, "Lead partner of several Creative Europe projects"),
        ("music-programming", 3),
        ("residency-hosting", 3),
        ("evaluation-impact", 2),
        ("project-coordination", 3),
    ],
    [("virtual-tours-3d", 2), ("data-visitor-analytics", 2), ("garden-management", 1)],
)
centre(
    "saline-de-montferrand",
    "Saline de Montferrand",
    "FR",
    "Salins-les-Bains",
    46.9375,
    5.8781,
    "saline",
    "labelled",
    ["fr", "en", "de"],
    1982,
    "A former royal saltworks whose brine galleries and boiling halls now host exhibitions on salt, water and industry, and a science-and-heritage programme for schools.",
    "Ancienne saline royale dont les galeries de saumure et les salles des poêles accueillent des expositions sur le sel, l'eau et l'industrie, ainsi qu'un programme sciences et patrimoine pour les scolaires.",
    ["science-heritage", "architecture-restoration", "cultural-tourism", "ecological-transition"],
    [
        ("heritage-research", 2),
        ("interpretation-guiding", 3),
        ("school-workshops", 2),
        ("building-restoration", 2),
    ],
    [("digital-mediation-tools", 2), ("virtual-tours-3d", 2), ("fundraising-sponsorship", 1)],
)
centre(
    "chartreuse-de-sainte-croix-des-monts",
    "Chartreuse de Sainte-Croix-des-Monts",
    "FR",
    "Villefranche-de-Rouergue",
    44.3517,
    2.0350,
    "charterhouse",
    "labelled",
    ["fr", "en"],
    1991,
    "A fifteenth-century charterhouse devoted to writing and translation: the monks' cells are now studios for authors and translators in residence.",
    "Chartreuse du XVe siècle consacrée à l'écriture et à la traduction : les cellules des moines sont devenues des studios pour auteurs et traducteurs en résidence.",
    ["literature", "artist-residencies", "heritage-creation"],
    [
        ("literary-programming", 3),
        ("publishing", 3, "Small press: four titles a year"),
        ("residency-hosting", 3),
    ],
    [("web-communication", 2), ("audience-engagement", 2)],
)
centre(
    "chateau-de-bellevigne",
    "Château de Bellevigne",
    "FR",
    "Saumur",
    47.2600,
    -0.0769,
    "castle",
    "labelled",
    ["fr", "en"],
    1988,
    "A Loire valley castle with an open-air theatre, known for its work with young audiences and its accessibility programme for visitors with disabilities.",
    "Château du Val de Loire doté d'un théâtre de plein air, reconnu pour son travail avec le jeune public et son programme d'accessibilité pour les visiteurs en situation de handicap.",
    ["performing-arts", "youth", "audience-development", "cultural-tourism"],
    [
        ("accessibility", 3, "Audio description, tactile models, easy-read guides"),
        ("stage-production", 2),
        ("school-workshops", 3),
        ("audience-engagement", 2),
    ],
    [("eu-funding", 2), ("streaming-broadcast", 1)],
)
centre(
    "prieure-de-saint-gildric",
    "Prieuré de Saint-Gildric",
    "FR",
    "Vannes",
    47.6559,
    -2.7603,
    "priory",
    "labelled",
    ["fr", "br", "en"],
    1996,
    "A Breton priory hosting a festival of Celtic and European literatures and a memory project collecting oral histories of the coast.",
    "Prieuré breton qui accueille un festival des littératures celtiques et européennes et un projet de mémoire recueillant les récits oraux du littoral.",
    ["literature", "memory-history", "intercultural-dialogue"],
    [("literary-programming", 3), ("archives-collections", 2), ("festival-programming", 2)],
    [("digital-mediation-tools", 2), ("publishing", 2), ("eu-funding", 1)],
)
centre(
    "abbaye-de-fontclaire",
    "Abbaye de Fontclaire",
    "FR",
    "Auxerre",
    47.7986,
    3.5673,
    "abbey",
    "labelled",
    ["fr", "en"],
    1979,
    "A Cistercian abbey in Burgundy with a remarkable acoustic, home to a vocal music academy and a live-streamed concert season.",
    "Abbaye cistercienne de Bourgogne à l'acoustique remarquable, qui abrite une académie de musique vocale et une saison de concerts diffusés en direct.",
    ["music", "performing-arts", "education", "digital-mediation"],
    [
        ("streaming-broadcast", 3, "Multi-camera live capture of concerts"),
        ("music-programming", 3),
        ("festival-programming", 2),
        ("stage-production", 2),
    ],
    [("sound-recording", 2), ("eu-funding", 2), ("accessibility", 1)],
)
centre(
    "domaine-de-mirval",
    "Jardins du Domaine de Mirval",
    "FR",
    "Blois",
    47.5861,
    1.3359,
    "garden",
    "labelled",
    ["fr", "en"],
    1992,
    "Historic gardens around a Renaissance house, with an international festival where landscape architects and artists create ephemeral gardens every year.",
    "Jardins historiques autour d'une demeure Renaissance, avec un festival international où paysagistes et artistes créent chaque année des jardins éphémères.",
    ["landscape-gardens", "ecological-transition", "visual-arts", "cultural-tourism"],
    [
        ("garden-management", 3, "Twelve hectares of historic gardens"),
        ("festival-programming", 3),
        ("sustainable-management", 3),
        ("volunteer-management", 2),
    ],
    [("data-visitor-analytics", 2), ("digital-mediation-tools", 1)],
)
centre(
    "couvent-de-sainte-lucie-des-vignes",
    "Couvent de Sainte-Lucie-des-Vignes",
    "FR",
    "Perpignan",
    42.6986,
    2.8956,
    "convent",
    "labelled",
    ["fr", "ca", "es", "en"],
    2001,
    "A Dominican convent between the Pyrenees and the Mediterranean, programming Mediterranean music and cross-border projects with Catalonia.",
    "Couvent dominicain entre Pyrénées et Méditerranée, qui programme les musiques méditerranéennes et des projets transfrontaliers avec la Catalogne.",
    ["intercultural-dialogue", "music", "gastronomy", "cultural-tourism"],
    [("music-programming", 2), ("event-logistics", 3), ("community-participation", 2)],
    [("eu-funding", 2), ("web-communication", 1), ("evaluation-impact", 2)],
)
centre(
    "fort-de-la-pointe-grise",
    "Fort de la Pointe-Grise",
    "FR",
    "Brest",
    48.3904,
    -4.4861,
    "fortress",
    "candidate",
    ["fr", "en"],
    2018,
    None,
    "Fort du XIXe siècle face à la rade, en cours de reconversion en lieu de mémoire et de création numérique pour les jeunes du territoire.",
    ["memory-history", "youth", "digital-mediation"],
    [("digital-mediation-tools", 2), ("community-participation", 2)],
    [
        ("eu-funding", 3),
        ("building-restoration", 2),
        ("project-coordination", 2),
        ("interpretation-guiding", 1),
    ],
)
centre(
    "manoir-de-kervellec",
    "Manoir de Kervellec",
    "FR",
    "Quimper",
    47.9975,
    -4.0979,
    "manor",
    "labelled",
    ["fr", "br"],
    1999,
    None,
    "Manoir rural du Finistère qui accueille des résidences de métiers d'art et soutient l'installation d'artisans dans les campagnes voisines.",
    ["crafts", "rural-development", "artist-residencies"],
    [("traditional-crafts", 3), ("residency-hosting", 2), ("artisan-workshops", 2)],
    [("web-communication", 2), ("fundraising-sponsorship", 2)],
)
centre(
    "filature-du-val-brechon",
    "La Filature du Val-Bréchon",
    "FR",
    "Roubaix",
    50.6942,
    3.1746,
    "industrial",
    "labelled",
    ["fr", "en", "nl"],
    2005,
    "A former textile mill converted into a centre for digital creation, with a fablab, a 3D scanning unit and programmes for young people from the neighbourhood.",
    "Ancienne filature textile devenue centre de création numérique, avec un fablab, une cellule de numérisation 3D et des programmes pour les jeunes du quartier.",
    ["digital-mediation", "visual-arts", "youth", "crafts"],
    [
        ("virtual-tours-3d", 3, "Photogrammetry and laser scanning of buildings"),
        ("digital-mediation-tools", 3),
        ("artisan-workshops", 2),
        ("web-communication", 2),
    ],
    [("garden-management", 1), ("heritage-research", 2)],
)
centre(
    "abbaye-de-sainte-merance",
    "Abbaye de Sainte-Mérance",
    "FR",
    "Limoges",
    45.8336,
    1.2611,
    "abbey",
    "labelled",
    ["fr", "en"],
    1985,
    "A Benedictine abbey with a research library and a heritage science laboratory, working with universities on enamel, stained glass and restoration.",
    "Abbaye bénédictine dotée d'une bibliothèque de recherche et d'un laboratoire de sciences du patrimoine, qui travaille avec les universités sur l'émail, le vitrail et la restauration.",
    ["science-heritage", "heritage-creation", "education", "architecture-restoration"],
    [
        ("heritage-research", 3),
        ("archives-collections", 3),
        ("building-restoration", 2),
        ("school-workshops", 1),
    ],
    [("streaming-broadcast", 1), ("digital-mediation-tools", 2)],
)

# --- Belgium (3), Luxembourg (1), Switzerland (1) ---
centre(
    "abbaye-de-hautval",
    "Abbaye de Hautval",
    "BE",
    "Namur",
    50.4674,
    4.8720,
    "abbey",
    "labelled",
    ["fr", "nl", "en"],
    1987,
    "A Walloon abbey in the Meuse valley running a baroque music festival and a training programme for young performers.",
    "Abbaye wallonne de la vallée de la Meuse, qui organise un festival de musique baroque et un programme de formation pour jeunes interprètes.",
    ["music", "heritage-creation", "audience-development", "education"],
    [
        ("eu-funding", 2),
        ("music-programming", 3),
        ("festival-programming", 2),
        ("audience-engagement", 2),
        ("web-communication", 2),
    ],
    [("sound-recording", 2), ("virtual-tours-3d", 1)],
)
centre(
    "kasteel-ter-wilgen",
    "Kasteel Ter Wilgen",
    "BE",
    "Ghent",
    51.0543,
    3.7174,
    "castle",
    "labelled",
    ["nl", "en", "fr"],
    1994,
    "A moated castle hosting visual artists in residence and an annual exhibition of contemporary art in dialogue with the historic rooms.",
    "Château entouré de douves qui accueille des plasticiens en résidence et une exposition annuelle d'art contemporain en dialogue avec les salles historiques.",
    ["visual-arts", "artist-residencies", "digital-mediation", "heritage-creation"],
    [("exhibition-curation", 3), ("residency-hosting", 2), ("web-communication", 2)],
    [("evaluation-impact", 2), ("accessibility", 2)],
)
centre(
    "begijnhof-sint-elooi",
    "Begijnhof Sint-Elooi",
    "BE",
    "Leuven",
    50.8798,
    4.7005,
    "convent",
    "associate",
    ["nl", "fr", "en"],
    2008,
    "A former beguinage whose small houses host writers and educators, and a programme on women's history in the Low Countries.",
    "Ancien béguinage dont les maisonnettes accueillent écrivains et éducateurs, ainsi qu'un programme sur l'histoire des femmes dans les anciens Pays-Bas.",
    ["memory-history", "education", "literature"],
    [
        ("accessibility", 2),
        ("evaluation-impact", 2, "Partnership with a university evaluation unit"),
        ("school-workshops", 2),
    ],
    [("residency-hosting", 1), ("literary-programming", 2)],
)
centre(
    "chateau-de-kalbour",
    "Château de Kalbour",
    "LU",
    "Clervaux",
    50.0547,
    6.0314,
    "castle",
    "labelled",
    ["fr", "de", "lb", "en"],
    1990,
    "A castle in the Ardennes at the crossroads of three languages, with a programme of photography exhibitions and trilingual workshops.",
    "Château des Ardennes au carrefour de trois langues, avec un programme d'expositions de photographie et des ateliers trilingues.",
    ["intercultural-dialogue", "visual-arts", "cultural-tourism"],
    [("exhibition-curation", 3), ("interpretation-guiding", 2), ("event-logistics", 2)],
    [("eu-funding", 1), ("virtual-tours-3d", 2)],
)
centre(
    "couvent-des-capucins-de-valmont",
    "Couvent des Capucins de Valmont",
    "CH",
    "Fribourg",
    46.8065,
    7.1620,
    "convent",
    "partner",
    ["fr", "de", "en"],
    2004,
    "A Capuchin convent on the language border between French and German, home to a translation house and a school for intercultural education.",
    "Couvent de capucins sur la frontière linguistique entre français et allemand, qui abrite une maison de la traduction et une école d'éducation interculturelle.",
    ["literature", "intercultural-dialogue", "education"],
    [("literary-programming", 2), ("school-workshops", 2), ("fundraising-sponsorship", 2)],
    [("digital-mediation-tools", 1), ("eu-funding", 1)],
)

# --- Germany (3) ---
centre(
    "kloster-lindenau",
    "Kloster Lindenau",
    "DE",
    "Erfurt",
    50.9848,
    11.0299,
    "abbey",
    "labelled",
    ["de", "en", "pl", "fr"],
    1993,
    "An Augustinian monastery in Thuringia running a European youth orchestra academy, a recording studio and a centre for intercultural education.",
    "Monastère augustin de Thuringe qui accueille une académie européenne d'orchestre pour les jeunes, un studio d'enregistrement et un centre d'éducation interculturelle.",
    ["music", "education", "intercultural-dialogue", "youth", "heritage-creation"],
    [
        ("eu-funding", 3),
        ("sound-recording", 2),
        ("evaluation-impact", 3),
        ("project-coordination", 3),
        ("music-programming", 2),
    ],
    [("garden-management", 1), ("accessibility", 2)],
)
centre(
    "saline-wendenau",
    "Saline Wendenau",
    "DE",
    "Lüneburg",
    53.2464,
    10.4115,
    "saline",
    "labelled",
    ["de", "en"],
    2002,
    "A saltworks on the old salt road to the Baltic, with a science centre on brine, climate and wetlands.",
    "Saline sur l'ancienne route du sel vers la Baltique, avec un centre de sciences consacré à la saumure, au climat et aux zones humides.",
    ["science-heritage", "ecological-transition", "cultural-tourism"],
    [
        ("sustainable-management", 2),
        ("interpretation-guiding", 3),
        ("school-workshops", 2),
        ("audience-engagement", 2),
    ],
    [("heritage-research", 2), ("digital-mediation-tools", 2)],
)
centre(
    "schloss-falkenried",
    "Schloss Falkenried",
    "DE",
    "Görlitz",
    51.1528,
    14.9872,
    "castle",
    "labelled",
    ["de", "pl", "cs", "en"],
    1998,
    "A castle on the Neisse border river where German, Polish and Czech young people meet around memory, history and theatre.",
    "Château au bord de la Neisse où de jeunes Allemands, Polonais et Tchèques se rencontrent autour de la mémoire, de l'histoire et du théâtre.",
    ["memory-history", "intercultural-dialogue", "youth", "performing-arts"],
    [("heritage-research", 2), ("community-participation", 3), ("project-coordination", 2)],
    [("streaming-broadcast", 2), ("publishing", 1)],
)

# --- Italy (4) ---
centre(
    "castello-di-valmora",
    "Castello di Valmora",
    "IT",
    "Lucca",
    43.8429,
    10.5027,
    "castle",
    "labelled",
    ["it", "en", "fr"],
    1981,
    "A Tuscan hilltop castle with a theatre festival, a food heritage programme and a long record of coordinating Mediterranean cooperation projects.",
    "Château perché en Toscane avec un festival de théâtre, un programme sur le patrimoine alimentaire et une longue expérience de coordination de projets méditerranéens.",
    [
        "heritage-creation",
        "performing-arts",
        "cultural-tourism",
        "gastronomy",
        "intercultural-dialogue",
    ],
    [
        ("eu-funding", 3),
        ("data-visitor-analytics", 3, "Visitor surveys and ticketing dashboards"),
        ("project-coordination", 3),
        ("event-logistics", 2),
        ("festival-programming", 2),
    ],
    [("virtual-tours-3d", 2), ("accessibility", 2)],
)
centre(
    "certosa-di-montalbo",
    "Certosa di Montalbo",
    "IT",
    "Pavia",
    45.1847,
    9.1582,
    "charterhouse",
    "labelled",
    ["it", "en"],
    1997,
    "A Lombard charterhouse whose cloisters host an early music festival, with a professional recording studio in the former library.",
    "Chartreuse lombarde dont les cloîtres accueillent un festival de musique ancienne, avec un studio d'enregistrement professionnel dans l'ancienne bibliothèque.",
    ["music", "literature", "architecture-restoration"],
    [
        ("sound-recording", 3, "Recording studio and label for early music"),
        ("music-programming", 2),
        ("building-restoration", 2),
    ],
    [("eu-funding", 2), ("streaming-broadcast", 2), ("web-communication", 1)],
)
centre(
    "giardini-di-villa-ombrosa",
    "Giardini di Villa Ombrosa",
    "IT",
    "Como",
    45.8081,
    9.0852,
    "garden",
    "labelled",
    ["it", "en", "de"],
    2006,
    "Terraced lakeside gardens with a botanical collection, a landscape school and land-art commissions.",
    "Jardins en terrasses au bord du lac, avec une collection botanique, une école du paysage et des commandes de land art.",
    ["landscape-gardens", "ecological-transition", "visual-arts", "education"],
    [
        ("garden-management", 3),
        ("sustainable-management", 2),
        ("exhibition-curation", 2),
        ("school-workshops", 2),
    ],
    [("data-visitor-analytics", 1), ("fundraising-sponsorship", 2)],
)
centre(
    "convento-di-pietrabianca",
    "Convento di Pietrabianca",
    "IT",
    "Matera",
    40.6664,
    16.6043,
    "convent",
    "candidate",
    ["it", "en"],
    2015,
    "A cave convent in Basilicata reopened as a place for rural crafts, food heritage and projects with local people.",
    "Couvent troglodyte de Basilicate rouvert comme lieu des savoir-faire ruraux, du patrimoine alimentaire et des projets avec les habitants.",
    ["rural-development", "crafts", "gastronomy"],
    [("traditional-crafts", 2), ("community-participation", 3), ("event-logistics", 1)],
    [("eu-funding", 3), ("project-coordination", 2), ("web-communication", 2)],
)

# --- Spain (4), Portugal (2), Morocco (1) ---
centre(
    "monasterio-de-valdeluz",
    "Monasterio de Valdeluz",
    "ES",
    "Burgos",
    42.3439,
    -3.6969,
    "abbey",
    "labelled",
    ["es", "en", "fr"],
    1989,
    "A Castilian monastery on the Way of St James, with a sacred music festival and a centre on the memory of pilgrimage.",
    "Monastère castillan sur le chemin de Saint-Jacques, avec un festival de musique sacrée et un centre consacré à la mémoire des pèlerinages.",
    ["music", "heritage-creation", "memory-history", "cultural-tourism"],
    [
        ("music-programming", 3),
        ("interpretation-guiding", 2),
        ("event-logistics", 2),
        ("audience-engagement", 3),
    ],
    [("streaming-broadcast", 2), ("digital-mediation-tools", 1)],
)
centre(
    "castillo-de-penarroja",
    "Castillo de Peñarroja",
    "ES",
    "Cuenca",
    40.0704,
    -2.1374,
    "castle",
    "labelled",
    ["es", "en"],
    2000,
    "A castle above a gorge staging contemporary circus and street arts, with a youth programme for the surrounding villages.",
    "Château dominant une gorge qui accueille cirque contemporain et arts de la rue, avec un programme jeunesse pour les villages alentour.",
    ["performing-arts", "youth", "rural-development"],
    [("stage-production", 3), ("residency-hosting", 2), ("volunteer-management", 2)],
    [("accessibility", 2), ("evaluation-impact", 1)],
)
centre(
    "salinas-de-aguablanca",
    "Salinas de Aguablanca",
    "ES",
    "Cádiz",
    36.5271,
    -6.2886,
    "saline",
    "associate",
    ["es", "en"],
    2011,
    "Traditional salt pans in the bay wetlands, where salt-making, birdwatching and sea cuisine form a landscape programme.",
    "Marais salants traditionnels dans les zones humides de la baie, où saliculture, observation des oiseaux et cuisine de la mer composent un programme paysager.",
    ["landscape-gardens", "ecological-transition", "science-heritage", "gastronomy"],
    [("sustainable-management", 3), ("interpretation-guiding", 2), ("traditional-crafts", 2)],
    [("digital-mediation-tools", 2), ("eu-funding", 2)],
)
centre(
    "convent-de-vallclara",
    "Convent de Sant Feliu de Vallclara",
    "ES",
    "Girona",
    41.9794,
    2.8214,
    "convent",
    "labelled",
    ["ca", "es", "en", "fr"],
    1995,
    "A Catalan convent offering studios to visual artists from around the Mediterranean, with a yearly exchange with North African artists.",
    "Couvent catalan qui offre des ateliers aux plasticiens de tout le bassin méditerranéen et organise chaque année un échange avec des artistes d'Afrique du Nord.",
    ["visual-arts", "artist-residencies", "intercultural-dialogue"],
    [("residency-hosting", 3), ("exhibition-curation", 2), ("community-participation", 1)],
    [("publishing", 2), ("web-communication", 2)],
)
centre(
    "mosteiro-de-sao-bras-do-vale",
    "Mosteiro de São Brás do Vale",
    "PT",
    "Évora",
    38.5714,
    -7.9135,
    "abbey",
    "labelled",
    ["pt", "en", "fr"],
    1992,
    "A monastery in the Alentejo plain with an organ and polyphony festival and guided routes through the surrounding cork-oak landscape.",
    "Monastère de la plaine de l'Alentejo avec un festival d'orgue et de polyphonie et des parcours guidés dans les paysages de chênes-lièges.",
    ["music", "heritage-creation", "cultural-tourism", "landscape-gardens"],
    [("music-programming", 2), ("interpretation-guiding", 3), ("festival-programming", 2)],
    [("sound-recording", 2), ("evaluation-impact", 2)],
)
centre(
    "quinta-da-ribeira-velha",
    "Quinta da Ribeira Velha",
    "PT",
    "Sintra",
    38.8029,
    -9.3817,
    "manor",
    "labelled",
    ["pt", "en"],
    2004,
    "A romantic manor with terraced gardens and a literary house for poets and translators.",
    "Demeure romantique aux jardins en terrasses, avec une maison littéraire pour poètes et traducteurs.",
    ["landscape-gardens", "literature", "gastronomy"],
    [("garden-management", 2), ("literary-programming", 2), ("event-logistics", 2)],
    [("fundraising-sponsorship", 2), ("virtual-tours-3d", 1)],
)
centre(
    "kasbah-dar-assafar",
    "Kasbah Dar Assafar",
    "MA",
    "Ouarzazate",
    30.9335,
    -6.9370,
    "fortress",
    "partner",
    ["ar", "fr", "en"],
    2013,
    None,
    "Kasbah en terre crue au pied du Haut Atlas, consacrée aux savoir-faire de la construction en terre, aux rencontres d'artistes et au tourisme culturel solidaire.",
    ["intercultural-dialogue", "crafts", "architecture-restoration", "cultural-tourism"],
    [
        ("building-restoration", 3, "Earth architecture"),
        ("traditional-crafts", 3),
        ("residency-hosting", 1),
    ],
    [("eu-funding", 2), ("web-communication", 2), ("virtual-tours-3d", 2)],
)

# --- Central and Eastern Europe: Netherlands aside, PL (2), CZ, HU, RO, HR, SI ---
centre(
    "zamek-sokolica",
    "Zamek Sokolica",
    "PL",
    "Lublin",
    51.2465,
    22.5684,
    "castle",
    "labelled",
    ["pl", "en", "uk", "de"],
    1996,
    "A castle at the eastern edge of the EU working on Polish-Ukrainian dialogue, with a literary festival and a small publishing house.",
    "Château à la lisière orientale de l'UE, engagé dans le dialogue polono-ukrainien, avec un festival littéraire et une petite maison d'édition.",
    ["intercultural-dialogue", "memory-history", "literature"],
    [("publishing", 2), ("literary-programming", 2), ("community-participation", 2)],
    [("eu-funding", 2), ("streaming-broadcast", 1)],
)
centre(
    "klasztor-jasna-woda",
    "Klasztor Jasna Woda",
    "PL",
    "Wrocław",
    51.1079,
    17.0385,
    "abbey",
    "labelled",
    ["pl", "en", "de"],
    2001,
    "A Cistercian abbey in Silesia with an oratorio festival streamed online and a choir school for teenagers.",
    "Abbaye cistercienne de Silésie avec un festival d'oratorios diffusé en ligne et une maîtrise pour adolescents.",
    ["music", "heritage-creation", "audience-development", "youth"],
    [
        ("streaming-broadcast", 2),
        ("music-programming", 2),
        ("school-workshops", 2),
        ("web-communication", 3),
    ],
    [("sound-recording", 2), ("evaluation-impact", 1)],
)
centre(
    "zamek-lesna-hora",
    "Zámek Lesná Hora",
    "CZ",
    "Český Krumlov",
    48.8127,
    14.3175,
    "castle",
    "labelled",
    ["cs", "en", "de"],
    1999,
    "A Bohemian castle with a baroque theatre whose stage machinery has been digitised in 3D, and a summer chamber music season.",
    "Château de Bohême doté d'un théâtre baroque dont la machinerie a été numérisée en 3D, et d'une saison estivale de musique de chambre.",
    ["performing-arts", "music", "cultural-tourism", "digital-mediation"],
    [("virtual-tours-3d", 2), ("stage-production", 2), ("interpretation-guiding", 2)],
    [("eu-funding", 2), ("audience-engagement", 1)],
)
centre(
    "rozsahegyi-kastely",
    "Rózsahegyi Kastély",
    "HU",
    "Pécs",
    46.0727,
    18.2323,
    "palace",
    "labelled",
    ["hu", "en", "de"],
    2007,
    "A baroque palace in southern Hungary with a music school, a youth orchestra and summer academies.",
    "Palais baroque du sud de la Hongrie avec une école de musique, un orchestre de jeunes et des académies d'été.",
    ["music", "education", "youth"],
    [("school-workshops", 3), ("music-programming", 2), ("event-logistics", 2)],
    [("eu-funding", 2), ("fundraising-sponsorship", 1), ("web-communication", 2)],
)
centre(
    "cetatea-vulturilor",
    "Cetatea Vulturilor",
    "RO",
    "Sibiu",
    45.7983,
    24.1256,
    "fortress",
    "labelled",
    ["ro", "en", "de", "fr"],
    2009,
    "A Saxon fortified church complex in Transylvania reviving rural crafts and village life through residencies and workshops.",
    "Ensemble d'église fortifiée saxonne en Transylvanie qui fait revivre les métiers et la vie des villages par des résidences et des ateliers.",
    ["crafts", "rural-development", "memory-history", "intercultural-dialogue"],
    [("traditional-crafts", 3), ("building-restoration", 3), ("volunteer-management", 2)],
    [("eu-funding", 1), ("digital-mediation-tools", 2), ("evaluation-impact", 2)],
)
centre(
    "samostan-svetog-jakova",
    "Samostan Svetog Jakova",
    "HR",
    "Zadar",
    44.1194,
    15.2314,
    "convent",
    "labelled",
    ["hr", "en", "it"],
    2010,
    "A Franciscan monastery on the Dalmatian coast hosting a klapa singing festival and exchanges between Adriatic communities.",
    "Monastère franciscain de la côte dalmate, qui accueille un festival de chant klapa et des échanges entre communautés de l'Adriatique.",
    ["intercultural-dialogue", "music", "cultural-tourism"],
    [("festival-programming", 2), ("interpretation-guiding", 2), ("community-participation", 2)],
    [("eu-funding", 2), ("sound-recording", 1)],
)
centre(
    "grad-zlatolesje",
    "Grad Zlatolesje",
    "SI",
    "Maribor",
    46.5547,
    15.6459,
    "castle",
    "associate",
    ["sl", "en", "de"],
    2012,
    "A castle among vineyards where wine and food heritage, crafts and rural tourism meet.",
    "Château au milieu des vignes où se rencontrent patrimoine viticole et gastronomique, savoir-faire et tourisme rural.",
    ["gastronomy", "crafts", "rural-development"],
    [("event-logistics", 3), ("traditional-crafts", 2)],
    [("eu-funding", 2), ("project-coordination", 1), ("data-visitor-analytics", 1)],
)

# --- North Sea and Nordic: NL, FI, SE (2), IE ---
centre(
    "fort-oosterwaal",
    "Fort Oosterwaal",
    "NL",
    "Naarden",
    52.2953,
    5.1622,
    "fortress",
    "labelled",
    ["nl", "en", "de"],
    2003,
    "A star-fort bastion on the Dutch Water Line used for landscape walks, climate workshops and an archive of military history.",
    "Bastion d'une place forte étoilée sur la ligne de défense d'eau néerlandaise, dédié aux promenades paysagères, aux ateliers sur le climat et aux archives d'histoire militaire.",
    ["memory-history", "landscape-gardens", "ecological-transition"],
    [("archives-collections", 2), ("volunteer-management", 3), ("sustainable-management", 2)],
    [("digital-mediation-tools", 2), ("virtual-tours-3d", 2)],
)
centre(
    "koskenranta-ironworks",
    "Koskenranta Ironworks",
    "FI",
    "Turku",
    60.4518,
    22.2666,
    "industrial",
    "labelled",
    ["fi", "sv", "en"],
    2000,
    "A former ironworks village where designers, blacksmiths and glass artists share workshops and run a sustainable design programme.",
    None,
    ["crafts", "visual-arts", "ecological-transition"],
    [("artisan-workshops", 3), ("traditional-crafts", 2), ("sustainable-management", 2)],
    [("audience-engagement", 2), ("heritage-research", 1)],
)
centre(
    "klosterholmens-kloster",
    "Klosterholmens kloster",
    "SE",
    "Visby",
    57.6348,
    18.2948,
    "priory",
    "labelled",
    ["sv", "en"],
    1990,
    "Priory ruins and a restored guest house on Gotland, used for writers' residencies and landscape walks along the coast.",
    "Ruines d'un prieuré et maison d'hôtes restaurée sur l'île de Gotland, dédiées aux résidences d'écrivains et aux promenades paysagères le long de la côte.",
    ["literature", "artist-residencies", "landscape-gardens"],
    [("residency-hosting", 3), ("literary-programming", 2), ("garden-management", 1)],
    [("publishing", 2), ("virtual-tours-3d", 1)],
)
centre(
    "ekebyhofs-herrgard",
    "Ekebyhofs herrgård",
    "SE",
    "Uppsala",
    59.8586,
    17.6389,
    "manor",
    "labelled",
    ["sv", "en", "de"],
    1998,
    "A manor near Uppsala combining a chamber music series, a science-and-heritage programme with the university, and inclusive tours.",
    "Manoir près d'Uppsala qui associe une saison de musique de chambre, un programme sciences et patrimoine avec l'université et des visites inclusives.",
    ["music", "education", "science-heritage"],
    [("accessibility", 2), ("music-programming", 2), ("school-workshops", 2)],
    [("streaming-broadcast", 2), ("heritage-research", 2)],
)
centre(
    "kilmora-priory-arts-centre",
    "Kilmora Priory Arts Centre",
    "IE",
    "Kilkenny",
    52.6541,
    -7.2448,
    "priory",
    "associate",
    ["en", "ga"],
    2016,
    "A restored medieval priory in the Irish midlands opening studios to writers and painters and working with rural communities.",
    None,
    ["literature", "visual-arts", "rural-development"],
    [("literary-programming", 2), ("residency-hosting", 2)],
    [("eu-funding", 3), ("evaluation-impact", 2), ("web-communication", 1)],
)

# --- Beyond Europe: Korea ---
centre(
    "hyangseon-hanok-manor",
    "Hyangseon Hanok Manor",
    "KR",
    "Jeonju",
    35.8242,
    127.1480,
    "manor",
    "candidate",
    ["ko", "en", "fr"],
    2019,
    "A traditional hanok manor house opening its rooms to Korean and European artists, with workshops on paper-making, fermentation and food heritage.",
    None,
    ["intercultural-dialogue", "crafts", "gastronomy", "digital-mediation"],
    [("traditional-crafts", 3, "Hanji paper-making"), ("artisan-workshops", 2)],
    [("eu-funding", 2), ("interpretation-guiding", 1), ("exhibition-curation", 2)],
)

# --------------------------------------------------------------------------------------------
# Planted cooperation structure
# --------------------------------------------------------------------------------------------

HUBS = ("abbaye-de-saint-aurel", "castello-di-valmora", "kloster-lindenau", "domaine-de-mirval")
ISOLATED = ("fort-de-la-pointe-grise", "kilmora-priory-arts-centre", "hyangseon-hanok-manor")

Title = tuple[str, list[str]]


class Group:
    def __init__(
        self, name: str, hubs: list[str], members: list[str], titles: list[Title], max_size: int = 7
    ) -> None:
        self.name, self.hubs, self.members, self.titles = name, hubs, members, titles
        self.max_size = max_size  # small groups get small projects, or everyone meets everyone


GROUPS: list[Group] = [
    Group(
        "french",
        ["abbaye-de-saint-aurel"],
        [
            "abbaye-de-saint-aurel",
            "saline-de-montferrand",
            "chartreuse-de-sainte-croix-des-monts",
            "chateau-de-bellevigne",
            "prieure-de-saint-gildric",
            "abbaye-de-fontclaire",
            "domaine-de-mirval",
            "couvent-de-sainte-lucie-des-vignes",
            "manoir-de-kervellec",
            "filature-du-val-brechon",
            "abbaye-de-sainte-merance",
            "abbaye-de-hautval",
            "kasteel-ter-wilgen",
            "begijnhof-sint-elooi",
            "chateau-de-kalbour",
            "couvent-des-capucins-de-valmont",
        ],
        [
            ("Abbeys in Dialogue", ["heritage-creation", "intercultural-dialogue"]),
            ("Les Veillées du patrimoine", ["heritage-creation", "audience-development"]),
            ("Writing in the Cloister", ["literature", "artist-residencies"]),
            ("Routes of the Priories", ["cultural-tourism", "memory-history"]),
            ("Heritage Labs for Schools", ["education", "science-heritage"]),
            ("Open Residencies Network", ["artist-residencies", "visual-arts"]),
            ("Voices of the Loire and the Meuse", ["music", "audience-development"]),
            ("Stones and Stories", ["architecture-restoration", "memory-history"]),
            ("Night of the Cloisters", ["audience-development", "performing-arts"]),
            ("Francophone Creation Platform", ["heritage-creation", "literature"]),
            ("Young Audiences in Historic Sites", ["youth", "audience-development", "education"]),
            ("Digital Heritage Trails", ["digital-mediation", "cultural-tourism"]),
        ],
    ),
    Group(
        "mediterranean",
        ["castello-di-valmora"],
        [
            "castello-di-valmora",
            "certosa-di-montalbo",
            "giardini-di-villa-ombrosa",
            "convento-di-pietrabianca",
            "monasterio-de-valdeluz",
            "castillo-de-penarroja",
            "salinas-de-aguablanca",
            "convent-de-vallclara",
            "mosteiro-de-sao-bras-do-vale",
            "quinta-da-ribeira-velha",
            "couvent-de-sainte-lucie-des-vignes",
            "samostan-svetog-jakova",
            "kasbah-dar-assafar",
        ],
        [
            ("Mediterranean Cloisters", ["heritage-creation", "intercultural-dialogue"]),
            ("Festa dei Castelli", ["performing-arts", "cultural-tourism"]),
            ("Rutas del Patrimonio Mediterráneo", ["cultural-tourism", "memory-history"]),
            ("Sea, Salt and Song", ["music", "gastronomy", "intercultural-dialogue"]),
            ("Crossroads of the Mediterranean", ["intercultural-dialogue", "visual-arts"]),
            ("Shared Tables: Mediterranean Food Heritage", ["gastronomy", "rural-development"]),
            ("Stages of the South", ["performing-arts", "youth"]),
            ("Adriatic and Iberian Encounters", ["intercultural-dialogue", "cultural-tourism"]),
            (
                "Artists Across the Strait",
                ["visual-arts", "artist-residencies", "intercultural-dialogue"],
            ),
            ("Earth, Stone and Lime", ["architecture-restoration", "crafts"]),
        ],
    ),
    Group(
        "central",
        ["kloster-lindenau"],
        [
            "kloster-lindenau",
            "schloss-falkenried",
            "zamek-sokolica",
            "klasztor-jasna-woda",
            "zamek-lesna-hora",
            "rozsahegyi-kastely",
            "cetatea-vulturilor",
            "grad-zlatolesje",
        ],
        [
            ("Young Europe at the Border", ["youth", "intercultural-dialogue"]),
            ("Castles of Central Europe", ["cultural-tourism", "heritage-creation"]),
            ("Memory Workshops Oder–Neisse", ["memory-history", "youth"]),
            ("Danube Heritage Dialogues", ["intercultural-dialogue", "memory-history"]),
            ("Crafts of the Carpathians", ["crafts", "rural-development"]),
            ("Choirs Without Borders", ["music", "youth"]),
            ("Central European Heritage Academy", ["education", "architecture-restoration"]),
            ("Living Monasteries", ["heritage-creation", "education"]),
            ("Theatre of Memory", ["performing-arts", "memory-history"]),
        ],
    ),
    Group(
        "nordic",
        [],
        [
            "saline-wendenau",
            "fort-oosterwaal",
            "koskenranta-ironworks",
            "klosterholmens-kloster",
            "ekebyhofs-herrgard",
            "kasteel-ter-wilgen",
        ],
        [
            ("Baltic Salt and Sea", ["science-heritage", "ecological-transition"]),
            ("Northern Light Residencies", ["artist-residencies", "visual-arts"]),
            ("Water and Stone", ["ecological-transition", "memory-history"]),
            ("Nordic Craft Exchange", ["crafts", "ecological-transition"]),
            ("Coastal Heritage and Climate", ["ecological-transition", "landscape-gardens"]),
            ("Islands of Writing", ["literature", "artist-residencies"]),
        ],
        max_size=3,
    ),
    Group(
        "music",
        ["abbaye-de-saint-aurel", "kloster-lindenau"],
        [
            "abbaye-de-saint-aurel",
            "abbaye-de-fontclaire",
            "abbaye-de-hautval",
            "kloster-lindenau",
            "certosa-di-montalbo",
            "monasterio-de-valdeluz",
            "mosteiro-de-sao-bras-do-vale",
            "klasztor-jasna-woda",
            "zamek-lesna-hora",
            "rozsahegyi-kastely",
            "ekebyhofs-herrgard",
            "couvent-de-sainte-lucie-des-vignes",
            "samostan-svetog-jakova",
        ],
        [
            ("Voices of Europe's Abbeys", ["music", "heritage-creation"]),
            ("Early Music Route", ["music", "cultural-tourism"]),
            ("Organ Landscapes", ["music", "heritage-creation"]),
            ("Sacred Music Without Borders", ["music", "intercultural-dialogue"]),
            ("Youth Orchestra on Tour", ["music", "youth", "education"]),
            ("Polyphony Today", ["music", "heritage-creation"]),
            (
                "Concerts from the Cloister, Online",
                ["music", "digital-mediation", "audience-development"],
            ),
            ("Oratorio Network", ["music", "performing-arts"]),
            ("Chamber Music in Historic Houses", ["music", "audience-development"]),
            ("Singing Heritage", ["music", "education"]),
        ],
    ),
    Group(
        "gardens",
        ["domaine-de-mirval"],
        [
            "domaine-de-mirval",
            "giardini-di-villa-ombrosa",
            "salinas-de-aguablanca",
            "quinta-da-ribeira-velha",
            "fort-oosterwaal",
            "klosterholmens-kloster",
            "saline-de-montferrand",
            "saline-wendenau",
        ],
        [
            ("European Garden Festival Network", ["landscape-gardens", "cultural-tourism"]),
            ("Salt Marshes and Gardens", ["landscape-gardens", "ecological-transition"]),
            ("Landscapes in Transition", ["landscape-gardens", "ecological-transition"]),
            ("Botanical Heritage Exchange", ["landscape-gardens", "science-heritage"]),
            ("Gardens of Memory", ["landscape-gardens", "memory-history"]),
            ("Water Gardens", ["landscape-gardens", "ecological-transition", "visual-arts"]),
            ("Biodiversity in Historic Gardens", ["ecological-transition", "science-heritage"]),
            ("Kitchen Gardens of Europe", ["landscape-gardens", "gastronomy"]),
            ("Night Gardens", ["landscape-gardens", "visual-arts", "audience-development"]),
        ],
        max_size=4,
    ),
]

HUB_TITLES: list[Title] = [
    ("ACCR Network Coordination Platform", ["heritage-creation", "intercultural-dialogue"]),
    ("Centres of Encounter 2030", ["heritage-creation", "audience-development"]),
    ("Heritage Sites as Laboratories of Europe", ["intercultural-dialogue", "education"]),
]

HERITAGE_DAYS: Title = (
    "European Heritage Days 2011: the Centres of Encounter Open Their Doors",
    ["heritage-creation", "cultural-tourism", "audience-development", "memory-history"],
)


def programmes(year: int) -> list[str]:
    """Funding programmes that existed in ``year`` (Creative Europe listed twice: more likely)."""
    if year <= 2013:
        return [
            "Culture Programme 2007–2013",
            "Culture Programme 2007–2013",
            "Lifelong Learning Programme",
            "Europe for Citizens",
            "Interreg IVC",
            "national",
            "ACCR network",
        ]
    if year <= 2020:
        return [
            "Creative Europe",
            "Creative Europe",
            "Erasmus+",
            "Europe for Citizens",
            "Interreg Europe",
            "Horizon 2020",
            "national",
            "ACCR network",
        ]
    return [
        "Creative Europe",
        "Creative Europe",
        "Erasmus+",
        "CERV",
        "Interreg Europe",
        "Horizon Europe",
        "national",
        "ACCR network",
    ]


def _founded() -> dict[str, int]:
    return {c["slug"]: c["founded_year"] for c in CENTRES}


def _years(rng: random.Random) -> tuple[int, int]:
    start = rng.randint(2012, 2024)
    return start, min(start + rng.choice([0, 1, 1, 2, 2, 3]), 2025)


def _members(lead: str, others: list[str], rng: random.Random) -> list[Json]:
    rows = [{"centre": lead, "role": "lead"}]
    for slug in sorted(others):
        rows.append({"centre": slug, "role": "associate" if rng.random() < 0.15 else "partner"})
    return rows


def _group_partnership(group: Group, title: Title, rng: random.Random) -> Json:
    founded = _founded()
    start, end = _years(rng)
    eligible = [s for s in group.members if founded[s] <= start]
    chosen = [h for h in group.hubs if h in eligible and rng.random() < 0.8]
    size = min(rng.choice([2, 3, 3, 4, 4, 5, 5, 6, 7]), group.max_size)
    pool = [s for s in eligible if s not in chosen]
    rng.shuffle(pool)
    chosen += pool[: max(0, size - len(chosen))]
    if rng.random() < 0.2:  # an occasional partner from outside the group
        outside = [
            c["slug"]
            for c in CENTRES
            if c["slug"] not in group.members
            and c["slug"] not in ISOLATED
            and founded[c["slug"]] <= start
        ]
        chosen.append(rng.choice(outside))
    hubs_in = [h for h in group.hubs if h in chosen]
    lead = hubs_in[0] if hubs_in and rng.random() < 0.75 else rng.choice(chosen)
    others = [s for s in chosen if s != lead]
    return {
        "title": title[0],
        "programme": rng.choice(programmes(start)),
        "start_year": start,
        "end_year": end,
        "lead": lead,
        "members": _members(lead, others, rng),
        "themes": title[1],
    }


def _hub_partnership(title: Title, index: int, rng: random.Random) -> Json:
    founded = _founded()
    start, end = _years(rng)
    lead = HUBS[index % len(HUBS)]
    extra = [
        c["slug"]
        for c in CENTRES
        if c["slug"] not in HUBS and c["slug"] not in ISOLATED and founded[c["slug"]] <= start
    ]
    others = [h for h in HUBS if h != lead] + rng.sample(extra, rng.randint(1, 3))
    return {
        "title": title[0],
        "programme": rng.choice(programmes(start)),
        "start_year": start,
        "end_year": end,
        "lead": lead,
        "members": _members(lead, others, rng),
        "themes": title[1],
    }


def _heritage_days(rng: random.Random) -> Json:
    founded = _founded()
    eligible = [
        c["slug"]
        for c in CENTRES
        if c["slug"] not in HUBS and c["slug"] not in ISOLATED and founded[c["slug"]] <= 2011
    ]
    lead = HUBS[0]
    others = [h for h in HUBS if h != lead] + rng.sample(eligible, 21)
    return {
        "title": HERITAGE_DAYS[0],
        "programme": "European Heritage Days",
        "start_year": 2011,
        "end_year": 2011,
        "lead": lead,
        "members": _members(lead, others, rng),
        "themes": HERITAGE_DAYS[1],
    }


def _cover_everyone(partnerships: list[Json], rng: random.Random) -> None:
    """Every centre but the isolated ones takes part in at least one group partnership."""
    founded = _founded()
    seen = {
        m["centre"] for p in partnerships for m in p["members"] if p["title"] != HERITAGE_DAYS[0]
    }
    for c in CENTRES:
        slug = c["slug"]
        if slug in ISOLATED or slug in seen:
            continue
        home = [g for g in GROUPS if slug in g.members]
        titles = {t[0] for g in home for t in g.titles}
        options = [
            p for p in partnerships if p["title"] in titles and p["start_year"] >= founded[slug]
        ]
        target = rng.choice(options)
        target["members"].append({"centre": slug, "role": "partner"})
        target["members"][1:] = sorted(target["members"][1:], key=lambda m: m["centre"])
        seen.add(slug)


def build_partnerships() -> list[Json]:
    rng = random.Random(SEED)
    partnerships = [_heritage_days(rng)]
    for group in GROUPS:
        partnerships += [_group_partnership(group, title, rng) for title in group.titles]
    partnerships += [_hub_partnership(t, i, rng) for i, t in enumerate(HUB_TITLES)]
    _cover_everyone(partnerships, rng)
    return sorted(partnerships, key=lambda p: (p["start_year"], p["title"]))


# --------------------------------------------------------------------------------------------
# Proposals and interests (hand-written)
# --------------------------------------------------------------------------------------------

PROPOSALS: list[Json] = []


def proposal(
    key: str,
    owner: str,
    title: tuple[str, str | None],
    summary: tuple[str, str | None],
    themes: list[str],
    seeks: list[tuple[str, int]],
    offers: list[tuple[str, int]],
    partners: tuple[int, int],
    min_countries: int,
    timeframe: str,
    programme: str,
    status: str,
    interests: list[tuple[str, str, str]] | None = None,
) -> None:
    def text(pair: tuple[str, str | None]) -> dict[str, str]:
        return {lang: t for lang, t in (("en", pair[0]), ("fr", pair[1])) if t}

    PROPOSALS.append(
        {
            "key": key,
            "owner": owner,
            "title": text(title),
            "summary": text(summary),
            "themes": themes,
            "seeks": [{"competency": c, "level": lvl} for c, lvl in seeks],
            "offers": [{"competency": c, "level": lvl} for c, lvl in offers],
            "partners_min": partners[0],
            "partners_max": partners[1],
            "min_countries": min_countries,
            "timeframe": timeframe,
            "funding_programme": programme,
            "status": status,
            "interests": [
                {"centre": c, "message": msg, "status": st} for c, msg, st in interests or []
            ],
        }
    )


CE_SMALL, CE_MEDIUM, CE_LARGE = (
    "Creative Europe small-scale",
    "Creative Europe medium-scale",
    "Creative Europe large-scale",
)

proposal(
    "p01",
    "abbaye-de-saint-aurel",
    (
        "Cloister Voices: a European network of early music academies",
        "Voix des cloîtres : un réseau européen d'académies de musique ancienne",
    ),
    (
        "Five to eight abbeys and charterhouses run linked summer academies for young singers, share recordings and tour a joint programme.",
        "Cinq à huit abbayes et chartreuses organisent des académies d'été coordonnées pour jeunes chanteurs, partagent leurs enregistrements et font tourner un programme commun.",
    ),
    ["music", "education", "heritage-creation"],
    [("sound-recording", 2), ("streaming-broadcast", 2), ("virtual-tours-3d", 1)],
    [("music-programming", 3), ("eu-funding", 3)],
    (5, 8),
    5,
    "2027–2030",
    CE_MEDIUM,
    "open",
    [
        (
            "abbaye-de-hautval",
            "Our baroque festival would host the second academy session.",
            "accepted",
        ),
        (
            "certosa-di-montalbo",
            "Our studio can record every academy and publish the recordings.",
            "pending",
        ),
        (
            "klasztor-jasna-woda",
            "We can stream the final concerts and bring our choir school.",
            "pending",
        ),
        (
            "monasterio-de-valdeluz",
            "We would like to add a Way of St James leg to the tour.",
            "pending",
        ),
    ],
)
proposal(
    "p02",
    "castello-di-valmora",
    (
        "Tables of the Mediterranean: food heritage in historic sites",
        "Tables de Méditerranée : le patrimoine alimentaire dans les sites historiques",
    ),
    (
        "Historic kitchens, cellars and gardens become places where residents, cooks and artists share recipes and stories from around the Mediterranean.",
        "Cuisines, caves et potagers historiques deviennent des lieux où habitants, cuisiniers et artistes partagent recettes et récits de toute la Méditerranée.",
    ),
    ["gastronomy", "intercultural-dialogue", "cultural-tourism"],
    [("traditional-crafts", 2), ("community-participation", 2), ("interpretation-guiding", 2)],
    [("data-visitor-analytics", 3), ("project-coordination", 3)],
    (3, 5),
    3,
    "2027–2028",
    CE_SMALL,
    "in_discussion",
    [
        (
            "convento-di-pietrabianca",
            "Our cave kitchens and bakers are ready to take part.",
            "accepted",
        ),
        ("salinas-de-aguablanca", "Salt and sea cuisine from the bay of Cádiz.", "accepted"),
        (
            "couvent-de-sainte-lucie-des-vignes",
            "We bring Catalan and Roussillon food traditions and a strong volunteer team.",
            "accepted",
        ),
        ("grad-zlatolesje", "Could wine heritage from Slovenia fit into the project?", "pending"),
        (
            "kasbah-dar-assafar",
            "Nous aimerions apporter les traditions culinaires du Sud marocain.",
            "pending",
        ),
    ],
)
proposal(
    "p03",
    "kloster-lindenau",
    ("Heritage Sites for Young Europeans", "Des sites patrimoniaux pour les jeunes Européens"),
    (
        "A large-scale cooperation project: ten or more centres in ten countries open their sites to young people as co-programmers, with shared training and an evaluation framework.",
        "Un projet de coopération à grande échelle : au moins dix centres dans dix pays ouvrent leurs sites aux jeunes comme co-programmateurs, avec une formation commune et un cadre d'évaluation.",
    ),
    ["youth", "intercultural-dialogue", "education", "heritage-creation"],
    [
        ("accessibility", 2),
        ("digital-mediation-tools", 2),
        ("community-participation", 2),
        ("school-workshops", 2),
    ],
    [("eu-funding", 3), ("evaluation-impact", 3), ("project-coordination", 3)],
    (10, 14),
    10,
    "2027–2031",
    CE_LARGE,
    "open",
    [
        ("rozsahegyi-kastely", "Our youth orchestra would be one of the pilot groups.", "accepted"),
        ("zamek-sokolica", "We can involve Polish and Ukrainian teenagers.", "accepted"),
        (
            "schloss-falkenried",
            "Three-country youth exchanges are what we do every summer.",
            "pending",
        ),
        ("chateau-de-bellevigne", "We can lead the accessibility work package.", "pending"),
        ("begijnhof-sint-elooi", "Our evaluation partner could support the framework.", "pending"),
        (
            "filature-du-val-brechon",
            "Digital tools made with young people in our fablab.",
            "pending",
        ),
        ("castillo-de-penarroja", "Circus workshops for rural youth.", "pending"),
        (
            "fort-de-la-pointe-grise",
            "Nous sommes un jeune lieu et ce projet nous aiderait à démarrer.",
            "pending",
        ),
    ],
)
proposal(
    "p04",
    "domaine-de-mirval",
    ("Gardens in a Changing Climate", "Jardins et changement climatique"),
    (
        "Historic gardens test drought-resistant planting and share visitor data and research on how climate change alters heritage landscapes.",
        "Des jardins historiques expérimentent des plantations résistantes à la sécheresse et partagent données de fréquentation et recherches sur l'effet du changement climatique sur les paysages patrimoniaux.",
    ),
    ["landscape-gardens", "ecological-transition", "science-heritage"],
    [("heritage-research", 2), ("data-visitor-analytics", 2), ("digital-mediation-tools", 1)],
    [("garden-management", 3), ("sustainable-management", 3)],
    (3, 5),
    3,
    "2027–2029",
    CE_SMALL,
    "open",
)
proposal(
    "p05",
    "filature-du-val-brechon",
    ("Digital Twins of Heritage Sites", "Jumeaux numériques des sites patrimoniaux"),
    (
        "Partners scan their buildings in 3D and build accessible virtual visits together with restorers and researchers.",
        "Les partenaires numérisent leurs bâtiments en 3D et construisent des visites virtuelles accessibles avec des restaurateurs et des chercheurs.",
    ),
    ["digital-mediation", "architecture-restoration", "audience-development"],
    [("heritage-research", 2), ("building-restoration", 2), ("accessibility", 1)],
    [("virtual-tours-3d", 3), ("digital-mediation-tools", 3)],
    (3, 4),
    3,
    "2027–2028",
    CE_SMALL,
    "open",
)
proposal(
    "p06",
    "chartreuse-de-sainte-croix-des-monts",
    ("Translators in the Cells", "Traducteurs en cellule"),
    (
        "A circulation programme for literary translators between monastic sites, with public readings streamed online.",
        "Un programme de circulation de traducteurs littéraires entre sites monastiques, avec des lectures publiques diffusées en ligne.",
    ),
    ["literature", "artist-residencies"],
    [("web-communication", 2), ("streaming-broadcast", 1)],
    [("publishing", 3), ("residency-hosting", 3)],
    (3, 5),
    3,
    "2027–2028",
    CE_SMALL,
    "open",
    [
        (
            "couvent-des-capucins-de-valmont",
            "Notre maison de la traduction serait heureuse d'accueillir une étape.",
            "pending",
        ),
        ("klosterholmens-kloster", "Gotland could host Nordic translators.", "pending"),
        ("kilmora-priory-arts-centre", "We would welcome translators from Irish.", "pending"),
    ],
)
proposal(
    "p07",
    "abbaye-de-fontclaire",
    (
        "Live from the Abbey: streamed concert seasons",
        "En direct de l'abbaye : des saisons de concerts diffusées",
    ),
    (
        "Two centres trained their teams in live capture and shared a streamed season of concerts.",
        "Deux centres ont formé leurs équipes à la captation en direct et partagé une saison de concerts diffusée.",
    ),
    ["music", "digital-mediation", "audience-development"],
    [("sound-recording", 2), ("accessibility", 1)],
    [("streaming-broadcast", 3)],
    (1, 3),
    2,
    "2025–2026",
    "Erasmus+",
    "closed",
    [
        (
            "klasztor-jasna-woda",
            "We joined for the staff training on multi-camera capture.",
            "accepted",
        ),
        ("abbaye-de-hautval", "Our timetable did not allow it this year.", "declined"),
    ],
)
proposal(
    "p08",
    "cetatea-vulturilor",
    (
        "Villages of Makers: craft residencies in rural Europe",
        "Villages de faiseurs : résidences de métiers d'art dans l'Europe rurale",
    ),
    (
        "Craftspeople spend residencies in rural heritage sites, restoring buildings with local people and passing skills on.",
        "Des artisans en résidence dans des sites patrimoniaux ruraux restaurent des bâtiments avec les habitants et transmettent leurs savoir-faire.",
    ),
    ["crafts", "rural-development", "artist-residencies"],
    [("eu-funding", 2), ("evaluation-impact", 2), ("digital-mediation-tools", 1)],
    [("traditional-crafts", 3), ("building-restoration", 3)],
    (3, 4),
    3,
    "2027–2029",
    CE_SMALL,
    "partnered",
    [
        ("manoir-de-kervellec", "Nos artisans bretons sont partants.", "accepted"),
        (
            "koskenranta-ironworks",
            "Blacksmiths and glass artists from our workshops will join.",
            "accepted",
        ),
        ("grad-zlatolesje", "We will host the Slovenian residency.", "accepted"),
        (
            "convento-di-pietrabianca",
            "We would have liked to join the rural residencies.",
            "declined",
        ),
    ],
)
proposal(
    "p09",
    "zamek-sokolica",
    ("Borderland Stories", "Récits des confins"),
    (
        "Centres on Europe's internal and external borders collect and publish stories of people who crossed them.",
        "Des centres situés aux frontières intérieures et extérieures de l'Europe recueillent et publient les récits de celles et ceux qui les ont traversées.",
    ),
    ["memory-history", "intercultural-dialogue", "literature"],
    [("streaming-broadcast", 1), ("audience-engagement", 2), ("digital-mediation-tools", 2)],
    [("publishing", 2), ("community-participation", 2)],
    (5, 7),
    5,
    "2028–2031",
    CE_MEDIUM,
    "open",
)
proposal(
    "p10",
    "chateau-de-bellevigne",
    ("Access for All in Historic Theatres", "L'accès pour tous dans les théâtres historiques"),
    (
        "Staff exchanges on audio description, touch tours and relaxed performances in historic venues.",
        "Échanges de personnels sur l'audiodescription, les visites tactiles et les représentations adaptées dans les lieux historiques.",
    ),
    ["audience-development", "performing-arts", "youth"],
    [("virtual-tours-3d", 2), ("evaluation-impact", 2)],
    [("accessibility", 3), ("school-workshops", 3)],
    (1, 3),
    2,
    "2026–2028",
    "Erasmus+",
    "open",
)
proposal(
    "p11",
    "salinas-de-aguablanca",
    ("Salt Routes of Europe", "Routes européennes du sel"),
    (
        "Salines from the Atlantic to the Baltic build a shared cultural route on salt, wetlands and climate.",
        "Des salines de l'Atlantique à la Baltique construisent un itinéraire culturel commun sur le sel, les zones humides et le climat.",
    ),
    ["science-heritage", "cultural-tourism", "ecological-transition"],
    [("heritage-research", 2), ("data-visitor-analytics", 2), ("eu-funding", 2)],
    [("sustainable-management", 3), ("interpretation-guiding", 2)],
    (3, 6),
    3,
    "2027–2030",
    "Interreg Europe",
    "open",
    [
        (
            "saline-de-montferrand",
            "La saline royale serait ravie de rejoindre l'itinéraire.",
            "pending",
        ),
        ("saline-wendenau", "The salt road to the Baltic starts here.", "pending"),
        (
            "abbaye-de-sainte-merance",
            "Notre laboratoire peut porter le volet recherche.",
            "pending",
        ),
    ],
)
proposal(
    "p12",
    "kasteel-ter-wilgen",
    ("Artists and Archives", "Artistes et archives"),
    (
        "Visual artists work with the archives of heritage sites and exhibit the results in the historic rooms.",
        "Des plasticiens travaillent avec les archives de sites patrimoniaux et exposent le résultat dans les salles historiques.",
    ),
    ["visual-arts", "artist-residencies", "memory-history"],
    [("archives-collections", 2), ("evaluation-impact", 1)],
    [("exhibition-curation", 3), ("residency-hosting", 2)],
    (3, 5),
    3,
    "2028–2029",
    CE_SMALL,
    "draft",
)
proposal(
    "p13",
    "hyangseon-hanok-manor",
    ("Paper, Ink and Fermentation: Korea–Europe craft exchanges", None),
    (
        "Craftspeople from Korea and Europe exchange techniques of paper-making, natural dyes and fermentation, ending in a travelling exhibition.",
        None,
    ),
    ["crafts", "intercultural-dialogue", "gastronomy"],
    [("exhibition-curation", 2), ("residency-hosting", 2), ("interpretation-guiding", 1)],
    [("traditional-crafts", 3), ("artisan-workshops", 2)],
    (2, 4),
    2,
    "2027",
    "national",
    "open",
    [
        (
            "kasbah-dar-assafar",
            "Nos artisans de la terre et des teintures naturelles seraient ravis de participer.",
            "pending",
        ),
        ("koskenranta-ironworks", "Our paper and textile designers would love to join.", "pending"),
        (
            "kasteel-ter-wilgen",
            "Not this time: our residency calendar is full until 2028.",
            "declined",
        ),
    ],
)
proposal(
    "p14",
    "kilmora-priory-arts-centre",
    ("Rural Writers' Rooms", "Chambres d'écrivains à la campagne"),
    (
        "A small exchange of writers between rural heritage sites, with workshops in local schools and libraries.",
        None,
    ),
    ["literature", "rural-development"],
    [("eu-funding", 3), ("evaluation-impact", 2)],
    [("literary-programming", 2)],
    (1, 3),
    2,
    "2027–2028",
    "Erasmus+",
    "open",
)
proposal(
    "p15",
    "kasbah-dar-assafar",
    ("Earth Architecture Summer School", "Université d'été de l'architecture de terre"),
    (
        "Students and craftspeople learn earth building and restoration on site, and document the techniques online.",
        "Étudiants et artisans apprennent sur place la construction et la restauration en terre, et documentent les techniques en ligne.",
    ),
    ["architecture-restoration", "crafts", "education"],
    [("web-communication", 2), ("virtual-tours-3d", 2)],
    [("building-restoration", 3), ("traditional-crafts", 3)],
    (1, 3),
    2,
    "2027",
    "Erasmus+",
    "open",
)
proposal(
    "p16",
    "zamek-lesna-hora",
    ("Baroque Stage Machines Revisited", "Les machineries baroques revisitées"),
    (
        "Restored and digitised baroque stage machinery becomes the starting point for new productions.",
        "Des machineries baroques restaurées et numérisées deviennent le point de départ de nouvelles créations.",
    ),
    ["performing-arts", "digital-mediation", "architecture-restoration"],
    [("eu-funding", 2), ("building-restoration", 2)],
    [("virtual-tours-3d", 2), ("stage-production", 2)],
    (3, 4),
    3,
    "2028–2029",
    CE_SMALL,
    "draft",
)
proposal(
    "p17",
    "ekebyhofs-herrgard",
    ("Nordic Heritage Science Days", "Journées nordiques sciences et patrimoine"),
    (
        "Heritage sites around the Baltic and the North Sea open their laboratories, archives and collections to the public for a week of science and heritage.",
        None,
    ),
    ["science-heritage", "education", "ecological-transition"],
    [("heritage-research", 2), ("streaming-broadcast", 2)],
    [("accessibility", 2), ("school-workshops", 2)],
    (3, 5),
    3,
    "2027–2029",
    "Interreg Europe",
    "open",
    [
        (
            "abbaye-de-sainte-merance",
            "Notre laboratoire peut animer les journées de recherche.",
            "accepted",
        ),
        ("saline-wendenau", "Our science centre would take part.", "pending"),
        ("koskenranta-ironworks", "We could show the sustainable design lab.", "pending"),
    ],
)
proposal(
    "p18",
    "fort-oosterwaal",
    (
        "Water Lines: fortifications and climate adaptation",
        "Lignes d'eau : fortifications et adaptation au climat",
    ),
    (
        "Fortified sites share how historic water management can inspire climate adaptation, through walks, archives and virtual visits.",
        "Des sites fortifiés montrent comment la gestion historique de l'eau peut inspirer l'adaptation au climat, par des promenades, des archives et des visites virtuelles.",
    ),
    ["ecological-transition", "memory-history", "landscape-gardens"],
    [("virtual-tours-3d", 2), ("digital-mediation-tools", 2), ("heritage-research", 1)],
    [("archives-collections", 2), ("volunteer-management", 3)],
    (3, 6),
    3,
    "2027–2030",
    "Interreg Europe",
    "open",
)
proposal(
    "p19",
    "monasterio-de-valdeluz",
    ("Pilgrim Songs on the Way of St James", "Chants de pèlerins sur le chemin de Saint-Jacques"),
    (
        "Monasteries along the pilgrimage routes record and stream the songs of pilgrims, old and new.",
        "Des monastères le long des chemins de pèlerinage enregistrent et diffusent les chants des pèlerins, anciens et nouveaux.",
    ),
    ["music", "memory-history", "cultural-tourism"],
    [("streaming-broadcast", 2), ("sound-recording", 2)],
    [("music-programming", 3), ("interpretation-guiding", 2)],
    (5, 7),
    5,
    "2027–2030",
    CE_MEDIUM,
    "in_discussion",
    [
        ("abbaye-de-saint-aurel", "Saintes is on the Via Turonensis: count us in.", "accepted"),
        ("mosteiro-de-sao-bras-do-vale", "The Portuguese way would be covered by us.", "accepted"),
        ("certosa-di-montalbo", "We will record the songs in our studio.", "accepted"),
        ("samostan-svetog-jakova", "Klapa singers would love to join the pilgrims.", "accepted"),
        ("klasztor-jasna-woda", "We could stream the concerts; waiting for our board.", "pending"),
        ("abbaye-de-hautval", "Too many projects running for us in 2027.", "declined"),
    ],
)
proposal(
    "p20",
    "rozsahegyi-kastely",
    ("Summer Academies for Young Musicians", "Académies d'été pour jeunes musiciens"),
    (
        "An exchange of music students and teachers between two summer academies.",
        "Un échange d'élèves et de professeurs de musique entre deux académies d'été.",
    ),
    ["music", "youth", "education"],
    [("fundraising-sponsorship", 1), ("web-communication", 2)],
    [("school-workshops", 3), ("music-programming", 2)],
    (1, 2),
    2,
    "2025–2026",
    "Erasmus+",
    "closed",
    [
        ("kloster-lindenau", "Our orchestra academy hosted the second summer.", "accepted"),
        ("ekebyhofs-herrgard", "We could not host students that summer.", "declined"),
    ],
)
proposal(
    "p21",
    "couvent-des-capucins-de-valmont",
    (
        "Translation Houses on Language Borders",
        "Maisons de la traduction aux frontières linguistiques",
    ),
    (
        "Centres on language borders host translators and run bilingual reading events for schools.",
        "Des centres situés sur des frontières linguistiques accueillent des traducteurs et organisent des lectures bilingues pour les écoles.",
    ),
    ["literature", "intercultural-dialogue"],
    [("publishing", 2), ("digital-mediation-tools", 1)],
    [("fundraising-sponsorship", 2), ("literary-programming", 2)],
    (3, 4),
    3,
    "2027–2028",
    CE_SMALL,
    "open",
    [
        (
            "chartreuse-de-sainte-croix-des-monts",
            "Notre petite maison d'édition publierait les traductions.",
            "pending",
        ),
        ("begijnhof-sint-elooi", "Leuven sits on the Dutch-French border too.", "pending"),
        ("zamek-sokolica", "Polish-Ukrainian translation would fit well.", "pending"),
    ],
)
proposal(
    "p22",
    "castillo-de-penarroja",
    ("Circus in the Castles", "Le cirque dans les châteaux"),
    (
        "Contemporary circus companies tour castles and create shows with young people from nearby villages.",
        "Des compagnies de cirque contemporain font la tournée des châteaux et créent des spectacles avec les jeunes des villages voisins.",
    ),
    ["performing-arts", "youth", "rural-development"],
    [("accessibility", 2), ("evaluation-impact", 2), ("eu-funding", 2)],
    [("stage-production", 3), ("residency-hosting", 2)],
    (5, 6),
    5,
    "2028–2030",
    CE_MEDIUM,
    "draft",
)
proposal(
    "p23",
    "grad-zlatolesje",
    ("Vineyard Heritage Trails", None),
    (
        "A signposted trail through vineyards and castle cellars, with a regional partner and visitor counting.",
        None,
    ),
    ["gastronomy", "rural-development", "cultural-tourism"],
    [("data-visitor-analytics", 1), ("project-coordination", 1)],
    [("event-logistics", 3)],
    (1, 2),
    1,
    "2026–2027",
    "national",
    "open",
)
proposal(
    "p24",
    "giardini-di-villa-ombrosa",
    ("Land Art on the Lakes", None),
    (
        "Artists create site-specific works in lakeside and coastal gardens, with a shared fundraising campaign.",
        None,
    ),
    ["landscape-gardens", "visual-arts", "ecological-transition"],
    [("fundraising-sponsorship", 2), ("residency-hosting", 2)],
    [("garden-management", 3), ("exhibition-curation", 2)],
    (3, 5),
    3,
    "2027–2028",
    CE_SMALL,
    "open",
)
proposal(
    "p25",
    "abbaye-de-sainte-merance",
    (
        "Stained Glass and Enamel: Science Meets Craft",
        "Vitrail et émail : quand la science rencontre les métiers d'art",
    ),
    (
        "Heritage scientists and craftspeople meet for a week of joint workshops on glass and enamel.",
        "Scientifiques du patrimoine et artisans se retrouvent pour une semaine d'ateliers communs sur le verre et l'émail.",
    ),
    ["science-heritage", "crafts", "architecture-restoration"],
    [("traditional-crafts", 2), ("artisan-workshops", 2)],
    [("heritage-research", 3), ("archives-collections", 3)],
    (1, 3),
    1,
    "2026",
    "self-funded",
    "open",
)

# --------------------------------------------------------------------------------------------
# Demo accounts (README lists them; the loader hashes the passwords)
# --------------------------------------------------------------------------------------------

USERS: list[Json] = [
    {
        "email": "admin@accr.example.org",
        "display_name": "ACCR Administrator",
        "role": "admin",
        "centre": None,
        "password": "demo-admin-2026",
    },
    {
        "email": "staff@accr.example.org",
        "display_name": "Camille Arnaud (ACCR staff)",
        "role": "staff",
        "centre": None,
        "password": "demo-staff-2026",
    },
    {
        "email": "fair@accr.example.org",
        "display_name": "Jonas Lindqvist (ACCR Project Fair)",
        "role": "staff",
        "centre": None,
        "password": "demo-staff-2026",
    },
    {
        "email": "marie.dubois@abbaye-de-saint-aurel.example.org",
        "display_name": "Marie Dubois",
        "role": "member",
        "centre": "abbaye-de-saint-aurel",
        "password": "demo-member-2026",
    },
    {
        "email": "giulia.bassi@castello-di-valmora.example.org",
        "display_name": "Giulia Bassi",
        "role": "member",
        "centre": "castello-di-valmora",
        "password": "demo-member-2026",
    },
    {
        "email": "lea.schneider@kloster-lindenau.example.org",
        "display_name": "Lea Schneider",
        "role": "member",
        "centre": "kloster-lindenau",
        "password": "demo-member-2026",
    },
    {
        "email": "ioana.muresan@cetatea-vulturilor.example.org",
        "display_name": "Ioana Mureșan",
        "role": "member",
        "centre": "cetatea-vulturilor",
        "password": "demo-member-2026",
    },
    {
        "email": "siobhan.keane@kilmora-priory-arts-centre.example.org",
        "display_name": "Siobhán Keane",
        "role": "member",
        "centre": "kilmora-priory-arts-centre",
        "password": "demo-member-2026",
    },
]

# --------------------------------------------------------------------------------------------
# Assembly, output, self-check
# --------------------------------------------------------------------------------------------


def build() -> Json:
    return {
        "notice": NOTICE,
        "themes": sorted(
            ({"slug": s, "name": {"en": en, "fr": fr}} for s, en, fr in THEMES),
            key=lambda t: t["slug"],
        ),
        "competencies": sorted(
            (
                {"slug": s, "category": cat, "name": {"en": en, "fr": fr}}
                for s, cat, en, fr in COMPETENCIES
            ),
            key=lambda c: (c["category"], c["slug"]),
        ),
        "centres": sorted(CENTRES, key=lambda c: c["slug"]),
        "proposals": sorted(PROPOSALS, key=lambda p: p["key"]),
        "partnerships": build_partnerships(),
        "users": USERS,
    }


def render(data: Json) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def check(data: Json) -> list[str]:
    """Return a list of problems (empty when the sample is consistent)."""
    errors: list[str] = []

    def expect(condition: bool, message: str) -> None:
        if not condition:
            errors.append(message)

    themes = {t["slug"] for t in data["themes"]}
    comps = {c["slug"] for c in data["competencies"]}
    centres = {c["slug"]: c for c in data["centres"]}
    expect(len(centres) == len(data["centres"]) == 44, "44 centres with unique slugs")
    expect(len({c["country"] for c in data["centres"]}) == 20, "20 countries")
    expect(
        all(
            t.keys() == {"en", "fr"}
            for t in [x["name"] for x in data["themes"] + data["competencies"]]
        ),
        "names in en+fr",
    )
    for c in data["centres"]:
        s = c["slug"]
        expect(bool(SLUG.match(s)), f"{s}: slug")
        expect(re.fullmatch(r"[A-Z]{2}", c["country"]) is not None, f"{s}: country")
        expect(
            c["site_type"] in SITE_TYPES and c["label_status"] in LABEL_STATUSES, f"{s}: site/label"
        )
        expect(all(re.fullmatch(r"[a-z]{2}", lang) for lang in c["languages"]), f"{s}: languages")
        expect(1960 <= c["founded_year"] <= 2020, f"{s}: founded_year")
        expect(
            round(c["latitude"], 4) == c["latitude"] and round(c["longitude"], 4) == c["longitude"],
            f"{s}: coords",
        )
        expect(
            bool(c["description"]) and set(c["description"]) <= {"en", "fr"}, f"{s}: description"
        )
        expect(
            c["website"].endswith(".example.org/") and c["contact_email"].endswith(".example.org"),
            f"{s}: contacts",
        )
        expect(2 <= len(c["themes"]) <= 5 and set(c["themes"]) <= themes, f"{s}: themes")
        expect(2 <= len(c["offers"]) <= 5 and 1 <= len(c["seeks"]) <= 4, f"{s}: offers/seeks count")
        offered = [o["competency"] for o in c["offers"]]
        sought = [o["competency"] for o in c["seeks"]]
        expect(
            len(set(offered)) == len(offered) and len(set(sought)) == len(sought),
            f"{s}: duplicate competency",
        )
        expect(not set(offered) & set(sought), f"{s}: offers and seeks the same competency")
        expect(set(offered) | set(sought) <= comps, f"{s}: unknown competency")
        expect(all(o["level"] in (1, 2, 3) for o in c["offers"] + c["seeks"]), f"{s}: level")
    offered_by = Counter(o["competency"] for c in data["centres"] for o in c["offers"])
    expect(set(offered_by) == comps, "every competency offered by at least one centre")
    expect(sum(1 for n in offered_by.values() if n <= 4) >= 5, "some rare competencies")

    keys = [p["key"] for p in data["proposals"]]
    expect(keys == [f"p{i:02d}" for i in range(1, 26)], "proposal keys p01..p25")
    statuses = Counter(p["status"] for p in data["proposals"])
    expect(
        statuses == Counter(open=17, draft=3, closed=2, in_discussion=2, partnered=1),
        f"statuses {statuses}",
    )
    for p in data["proposals"]:
        k = p["key"]
        expect(p["owner"] in centres and set(p["themes"]) <= themes, f"{k}: owner/themes")
        wanted = {x["competency"] for x in p["seeks"]}
        given = {x["competency"] for x in p["offers"]}
        expect(
            bool(wanted) and (wanted | given) <= comps and not wanted & given,
            f"{k}: competencies",
        )
        expect(all(x["level"] in (1, 2, 3) for x in p["seeks"] + p["offers"]), f"{k}: level")
        expect(
            1 <= p["partners_min"] <= p["partners_max"]
            and 1 <= p["min_countries"] <= p["partners_max"] + 1,
            f"{k}: sizes",
        )
        expect("en" in p["title"] and "en" in p["summary"], f"{k}: english text")
        who = [i["centre"] for i in p["interests"]]
        expect(
            len(set(who)) == len(who) and p["owner"] not in who and set(who) <= set(centres),
            f"{k}: interests",
        )
        expect(
            all(i["status"] in ("pending", "accepted", "declined") for i in p["interests"]),
            f"{k}: interest status",
        )
        accepted = [i["centre"] for i in p["interests"] if i["status"] == "accepted"]
        if p["status"] in ("in_discussion", "partnered"):
            expect(bool(accepted), f"{k}: needs accepted interests")
        if p["status"] == "partnered":
            countries = {centres[c]["country"] for c in [p["owner"], *accepted]}
            expect(
                len(accepted) >= p["partners_min"] and len(countries) >= p["min_countries"],
                f"{k}: team",
            )
        if p["status"] == "draft":
            expect(not p["interests"], f"{k}: a draft has no interests")

    degree: Counter[str] = Counter()
    titles = [p["title"] for p in data["partnerships"]]
    expect(len(set(titles)) == len(titles), "partnership titles unique")
    for p in data["partnerships"]:
        t = p["title"]
        members = [m["centre"] for m in p["members"]]
        degree.update(members)
        expect(len(set(members)) == len(members) and set(members) <= set(centres), f"{t}: members")
        leads = [m["centre"] for m in p["members"] if m["role"] == "lead"]
        expect(leads == [p["lead"]], f"{t}: exactly one lead, the lead")
        expect(
            all(m["role"] in ("lead", "partner", "associate") for m in p["members"]), f"{t}: roles"
        )
        expect(2011 <= p["start_year"] <= p["end_year"] <= 2025, f"{t}: years")
        expect(
            all(centres[m]["founded_year"] <= p["start_year"] for m in members),
            f"{t}: member founded later",
        )
        expect(set(p["themes"]) <= themes and bool(p["themes"]), f"{t}: themes")
    heritage_days = [
        p for p in data["partnerships"] if p["start_year"] == 2011 and len(p["members"]) >= 20
    ]
    expect(len(heritage_days) == 1, "one large 2011 European Heritage Days project")
    isolated = sorted(s for s in centres if degree[s] == 0)
    expect(isolated == sorted(ISOLATED), f"isolated centres {isolated}")
    top = [s for s, _ in degree.most_common(len(HUBS))]
    expect(set(top) == set(HUBS), f"hubs {degree.most_common(6)}")
    expect(
        min(degree[h] for h in HUBS) >= 2 * sorted(degree.values())[len(degree) // 2],
        "hubs well above the median",
    )
    others = [n for s, n in degree.items() if s not in HUBS]
    expect(min(degree[h] for h in HUBS) >= max(others) + 2, "hubs clearly ahead of the rest")

    emails = [u["email"] for u in data["users"]]
    expect(len(set(emails)) == len(emails), "user emails unique")
    roles = Counter(u["role"] for u in data["users"])
    expect(
        roles["admin"] == 1 and roles["staff"] == 2 and roles["member"] >= 5, f"user roles {roles}"
    )
    expect(
        all(u["centre"] is None or u["centre"] in centres for u in data["users"]), "user centres"
    )
    expect(
        all((u["role"] == "member") == (u["centre"] is not None) for u in data["users"]),
        "members have a centre",
    )
    return errors


def summary(data: Json) -> str:
    degree = Counter(m["centre"] for p in data["partnerships"] for m in p["members"])
    offered_by = Counter(o["competency"] for c in data["centres"] for o in c["offers"])
    interests = Counter(i["status"] for p in data["proposals"] for i in p["interests"])
    lines = [
        f"themes {len(data['themes'])}, competencies {len(data['competencies'])} in "
        f"{len({c['category'] for c in data['competencies']})} categories",
        f"centres {len(data['centres'])} in {len({c['country'] for c in data['centres']})} countries",
        f"proposals {dict(Counter(p['status'] for p in data['proposals']))}",
        f"interests {dict(interests)} on {sum(1 for p in data['proposals'] if p['interests'])} proposals",
        f"partnerships {len(data['partnerships'])}",
        f"degree (partnerships per centre): {degree.most_common()}",
        f"isolated: {sorted(c['slug'] for c in data['centres'] if not degree[c['slug']])}",
        f"rare competencies (offered by <= 4): {sorted((n, s) for s, n in offered_by.items() if n <= 4)}",
    ]
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    data = build()
    problems = check(data)
    for problem in problems:
        print(f"self-check failed: {problem}", file=sys.stderr)
    if problems:
        return 1
    text = render(data)
    if "--check" in argv:
        if OUTPUT.read_text("utf-8") != text:
            print(f"{OUTPUT} is out of date: run this script to regenerate it", file=sys.stderr)
            return 1
        print(f"{OUTPUT.name} is up to date and consistent")
        return 0
    OUTPUT.write_text(text, "utf-8")
    print(f"wrote {OUTPUT}\n{summary(data)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
