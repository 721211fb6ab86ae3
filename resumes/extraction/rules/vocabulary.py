"""Words the rules engine recognises: section headings (en/de/fr/es), job titles, degrees,
institutions, places, profile networks, skill levels."""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "data"


@lru_cache(maxsize=8192)
def fold(text: str) -> str:
    """Case- and accent-insensitive key."""
    text = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in text if not unicodedata.combining(c)).strip()


def by_first_letter(alternatives: str) -> str:
    """A case-insensitive alternation of words regrouped by first letter (after any leading
    ``\\b``), each group behind a lookahead for its letter and in its original order. Python's
    regex engine tries every alternative at every position of the text when they start with
    case-insensitive letters; this way it tries the groups' letters and one group. Same matches:
    a character is at most one letter case-insensitively, so at any position only that letter's
    alternatives can match, tried in the same order as before."""
    groups: dict[str, list[str]] = {}
    for alternative in alternatives.split("|"):
        letter = alternative.removeprefix(r"\b")[:1]
        if not letter.isalpha() or "(" in alternative:
            raise ValueError(f"not a plain word alternative: {alternative!r}")
        groups.setdefault(letter, []).append(alternative)
    return "|".join(f"(?={letter})(?:{'|'.join(words)})" for letter, words in groups.items())


HEADINGS: dict[str, tuple[str, ...]] = {
    "work": (
        "experience",
        "work experience",
        "professional experience",
        "employment",
        "employment history",
        "work history",
        "career history",
        "professional background",
        "relevant experience",
        "career",
        "experience professionnelle",
        "positions",
        "berufserfahrung",
        "berufliche erfahrung",
        "beruflicher werdegang",
        "werdegang",
        "praxiserfahrung",
        "berufstatigkeit",
        "experiences professionnelles",
        "experiences",
        "parcours professionnel",
        "experience pro",
        "experiencia",
        "experiencia laboral",
        "experiencia profesional",
        "trayectoria profesional",
        "historial laboral",
        "industry experience",
        "professional history",
        "jobs",
        "research experience",
        "academic experience",
        "research and teaching experience",
        "academic appointments",
        "appointments",
        "employment experience",
        "experiencia laboral y profesional",
        "berufspraxis",
        "berufliche stationen",
        "beruflicher hintergrund",
    ),
    "education": (
        "education",
        "academic background",
        "academics",
        "qualifications",
        "studies",
        "education and training",
        "education & training",
        "academic history",
        "ausbildung",
        "bildung",
        "studium",
        "schulbildung",
        "bildungsweg",
        "akademischer werdegang",
        "schulische ausbildung",
        "formation",
        "formations",
        "education et formation",
        "etudes",
        "parcours academique",
        "diplomes",
        "educacion",
        "formacion",
        "formacion academica",
        "estudios",
        "titulaciones",
    ),
    "skills": (
        "skills",
        "technical skills",
        "core competencies",
        "competencies",
        "expertise",
        "technologies",
        "tech stack",
        "technical expertise",
        "key skills",
        "core skills",
        "skills & expertise",
        "tools",
        "technical proficiencies",
        "proficiencies",
        "kenntnisse",
        "fahigkeiten",
        "fertigkeiten",
        "kompetenzen",
        "it-kenntnisse",
        "technische kenntnisse",
        "edv-kenntnisse",
        "kenntnisse und fahigkeiten",
        "competences",
        "competences techniques",
        "savoir-faire",
        "habilidades",
        "competencias",
        "conocimientos",
        "aptitudes",
        "habilidades tecnicas",
    ),
    "projects": (
        "projects",
        "personal projects",
        "side projects",
        "selected projects",
        "academic projects",
        "key projects",
        "open source",
        "projekte",
        "projets",
        "proyectos",
        "portfolio",
    ),
    "certificates": (
        "certifications",
        "certificates",
        "licenses & certifications",
        "licenses and certifications",
        "certifications & licenses",
        "courses & certifications",
        "zertifikate",
        "zertifizierungen",
        "weiterbildung",
        "weiterbildungen",
        "certificats",
        "certificaciones",
        "certificados",
        "accreditations",
    ),
    "volunteer": (
        "volunteer",
        "volunteering",
        "volunteer experience",
        "volunteer work",
        "community service",
        "leadership",
        "activities",
        "leadership & activities",
        "leadership and activities",
        "campus involvement",
        "extracurricular",
        "extracurricular activities",
        "associations",
        "community involvement",
        "ehrenamt",
        "ehrenamtliches engagement",
        "engagement",
        "benevolat",
        "engagement associatif",
        "vie associative",
        "voluntariado",
        "actividades",
        "service",
        "professional service",
        "academic service",
        "community engagement",
        "leadership experience",
        "leadership & involvement",
        "leadership and involvement",
        "involvement",
        "activities & leadership",
        "activities and leadership",
        "campus activities",
        "soziales engagement",
        "ehrenamtliche tatigkeiten",
    ),
    "summary": (
        "summary",
        "profile",
        "professional summary",
        "about me",
        "objective",
        "career objective",
        "about",
        "personal statement",
        "professional profile",
        "profil",
        "zusammenfassung",
        "uber mich",
        "kurzprofil",
        "resume",
        "a propos",
        "perfil",
        "resumen",
        "sobre mi",
        "extracto",
        "perfil profesional",
    ),
    "profiles": (
        "profiles",
        "links",
        "social",
        "online",
        "social media",
        "online profiles",
        "online-profile",
        "profils",
        "liens",
        "perfiles",
        "enlaces",
        "profili",
        "perfis",
        "profielen",
    ),
    "contact": (
        "contact",
        "contact information",
        "contact info",
        "personal information",
        "personal details",
        "personal data",
        "persönliche daten",
        "personliche daten",
        "kontakt",
        "kontaktdaten",
        "coordonnees",
        "informations personnelles",
        "datos personales",
        "contacto",
        "informacion de contacto",
    ),
    "languages": (
        "languages",
        "spoken languages",
        "sprachen",
        "sprachkenntnisse",
        "langues",
        "idiomas",
        "lenguas",
    ),
    "other": (
        "interests",
        "hobbies",
        "hobbies & interests",
        "personal interests",
        "references",
        "awards",
        "honors",
        "honours",
        "awards & honors",
        "honors & awards",
        "achievements",
        "publications",
        "courses",
        "coursework",
        "relevant coursework",
        "patents",
        "conferences",
        "talks",
        "memberships",
        "affiliations",
        "interessen",
        "hobbys",
        "freizeit",
        "referenzen",
        "auszeichnungen",
        "publikationen",
        "loisirs",
        "centres d'interet",
        "centres d’interet",
        "interets",
        "references",
        "distinctions",
        "prix",
        "publications",
        "intereses",
        "aficiones",
        "referencias",
        "premios",
        "publicaciones",
        "logros",
        "declaration",
        "signature",
        "grants",
        "grants and awards",
        "grants & awards",
        "awards and grants",
        "fellowships",
        "scholarships",
        "presentations",
        "invited talks",
        "selected publications",
        "research interests",
        "additional information",
        "reconocimientos",
        "premios y reconocimientos",
        "sonstiges",
    ),
}
_HEADING_INDEX = {fold(phrase): kind for kind, phrases in HEADINGS.items() for phrase in phrases}
_SPLIT_HEADING = re.compile(r"\s*(?:&|\band\b|\bund\b|\bet\b|\by\b|/|,|\+)\s*")
_SPACE_RUN = re.compile(r"\s+")


def heading_kind(text: str) -> tuple[str, tuple[str, ...]] | None:
    """The section a heading names, and any others it names ("Projects & Associations")."""
    key = fold(text).strip(" :.-–—|•#*_")
    key = _SPACE_RUN.sub(" ", key)
    if not key or len(key) > 48:
        return None
    if key in _HEADING_INDEX:
        return _HEADING_INDEX[key], ()
    parts = [p for p in _SPLIT_HEADING.split(key) if p]
    kinds = [_HEADING_INDEX.get(p) for p in parts]
    if parts and kinds[0] is not None:
        return kinds[0], tuple(k for k in kinds[1:] if k)
    return None


TITLE_WORDS = re.compile(
    by_first_letter(
        r"engineer|developer|programmer|manager|analyst|intern\b|internship|director|consultant|"
        r"designer|scientist|\blead\b|head of|officer|specialist|architect|administrator|"
        r"assistant|associate|coordinator|founder|president|\bvp\b|\bcto\b|\bceo\b|\bcfo\b|"
        r"teacher|lecturer|professor|researcher|research|nurse|technician|accountant|"
        r"representative|advisor|adviser|supervisor|executive|editor|writer|owner|partner|"
        r"trainee|apprentice|student|fellow|volunteer|member|contributor|maintainer|creator|"
        r"entwickler|ingenieur|leiter|berater|praktikant|werkstudent|referent|mitarbeiter|"
        r"sachbearbeiter|kaufmann|kauffrau|geschaftsfuhrer|developpeur|ingenieur|chef de|"
        r"stagiaire|responsable|directeur|directrice|charge|chargee|alternant|"
        r"desarrollador|ingeniero|jefe|gerente|analista|becario|practicante|consultor|"
        r"programador|responsable|tecnico|\bsenior\b|\bjunior\b|\bstaff\b|\bprincipal\b|"
        r"cheffe|tresorier|secretaire|secretary|treasurer|chair|trainer|coach|tutor|mentor|"
        r"betreuer|vorstand|gruppenleiter|planer|postdoc|reviewer|ayudante|auxiliar|profesor|enseignant|formateur|"
        r"administrateur|administratrice|administrador|technicien|conseiller|conseillere|"
        r"gestionnaire|architecte|arquitecto|redacteur|redactrice|comptable|assistente"
    ),
    re.IGNORECASE,
)
COMPANY_WORDS = re.compile(
    r"\be\.\s?v\.|\b(?:mairie|ville de|stadt|ayuntamiento|inc|llc|ltd|limited|gmbh|ag|se|"
    r"sa|sas|sarl|srl|sl|bv|nv|plc|corp|corporation|"
    r"company|co|group|holdings|labs?|technologies|technology|solutions|systems|services|"
    r"consulting|partners|bank|agency|studio|studios|foundation|organization|"
    r"organisation|association|institute|university|hospital|ministry|department|"
    r"gesellschaft|verein|stiftung)\b\.?",
    re.IGNORECASE,
)
VOLUNTEER_WORDS = re.compile(
    r"volunteer|non-?profit|charity|ngo\b|association|club\b|society|community|"
    r"ehrenamt|verein|benevol|bénévol|voluntari|fundaci|foundation",
    re.IGNORECASE,
)
DEGREE = re.compile(
    r"\b(?:bachelor(?:'s|’s|s)?|master(?:'s|’s|s)?|b\.?\s?sc?\.?|m\.?\s?sc?\.?|b\.?a\.?|"
    r"m\.?a\.?|b\.?eng\.?|m\.?eng\.?|mba|ph\.?\s?d\.?|doctor(?:ate)?|associate(?:'s)? degree|"
    r"associate of|diploma|certificate in|high school|a-levels?|abitur|diplom|"
    r"staatsexamen|magister|licence|licenciatura|licenciado|grado|máster|master|"
    r"doctorado|doctorat|baccalaur[ée]at|bts|dut|ingeniero|ingénieur|bsc|msc|bs|ms|ba|ma|"
    r"b\.tech|m\.tech|btech|mtech|jd|md)\b",
    re.IGNORECASE,
)
INSTITUTION = re.compile(
    by_first_letter(
        r"universit|college|school|institut|academy|akademie|hochschule|fachhochschule|"
        r"gymnasium|schule|ecole|école|lycée|lycee|universidad|escuela|instituto|polytechn|"
        r"conservato|seminary|\bmit\b|\bucla\b|\bnyu\b|\beth\b|\bepfl\b|\btu\b|\bkit\b"
    ),
    re.IGNORECASE,
)
LEVELS = {
    fold(w)
    for w in [
        "beginner",
        "novice",
        "elementary",
        "basic",
        "basics",
        "intermediate",
        "advanced",
        "expert",
        "proficient",
        "fluent",
        "native",
        "bilingual",
        "conversational",
        "competent",
        "skilled",
        "master",
        "professional",
        "grundkenntnisse",
        "gut",
        "sehr",
        "gut",
        "fließend",
        "verhandlungssicher",
        "muttersprache",
        "débutant",
        "intermédiaire",
        "avancé",
        "courant",
        "natif",
        "bilingue",
        "notions",
        "básico",
        "intermedio",
        "avanzado",
        "nativo",
        "fluido",
        "experto",
        "fortgeschritten",
        "experte",
        "confirmé",
        "base",
        "avanzato",
        "esperto",
        "ottimo",
        "intermediário",
        "avançado",
        "especialista",
        "basis",
        "gemiddeld",
        "gevorderd",
        "goed",
    ]
} | {
    fold(p)
    for p in (
        "native speaker",
        "full professional proficiency",
        "professional working proficiency",
        "limited working proficiency",
        "elementary proficiency",
        "mother tongue",
        "sehr gut",
        "langue maternelle",
        "lengua materna",
    )
}
# "Paystack · Full-time": how someone was employed is neither the employer nor a place.
EMPLOYMENT_TYPE = re.compile(
    r"^(?:full[- ]time|part[- ]time|contract|contractor|freelance|self[- ]employed|"
    r"internship|apprenticeship|seasonal|temporary|permanent|vollzeit|teilzeit|"
    r"cdi|cdd|temps plein|temps partiel|jornada completa|media jornada)$",
    re.IGNORECASE,
)
# "4 yrs 11 mos" after a date range: a length of time, not a name.
DURATION = re.compile(
    r"^(?:\d+\+?\s*(?:yrs?|years?|mos?|months?|jahre?|monate?|ans?|mois|años?|meses)\b\s*){1,2}$",
    re.IGNORECASE,
)
# "Lagos, Lagos State, Nigeria": a named region between the city and the country.
REGION_WORD = re.compile(
    r"\b(?:state|province|region|county|district|territory|prefecture|oblast|canton)\b",
    re.IGNORECASE,
)

INTERESTS = re.compile(r"interest|hobb|freizeit|loisir|intér|interes|aficion", re.IGNORECASE)
# Lower-case words inside a name: "Zeynep van de Brink", "Danilo da Rocha", "Ursula von der
# Leyen", "Mario de' Medici".
NAME_PARTICLES = frozenset(
    {"da", "das", "de", "del", "della", "den", "der", "des", "di", "do", "dos", "du", "het"}
    | {"la", "le", "van", "von", "ter", "ten", "zu", "de'"}
)

NETWORKS = {
    "linkedin": "LinkedIn",
    "github": "GitHub",
    "gitlab": "GitLab",
    "stackoverflow": "StackOverflow",
    "stack overflow": "StackOverflow",
    "twitter": "Twitter",
    "x": "X",
    "medium": "Medium",
    "dribbble": "Dribbble",
    "behance": "Behance",
    "xing": "XING",
    "kaggle": "Kaggle",
    "mastodon": "Mastodon",
    "youtube": "YouTube",
    "instagram": "Instagram",
    "facebook": "Facebook",
    "bitbucket": "Bitbucket",
    "leetcode": "LeetCode",
    "orcid": "ORCID",
    "researchgate": "ResearchGate",
}
NETWORK_DOMAINS = {
    "linkedin.com": "LinkedIn",
    "github.com": "GitHub",
    "gitlab.com": "GitLab",
    "stackoverflow.com": "StackOverflow",
    "twitter.com": "Twitter",
    "x.com": "X",
    "medium.com": "Medium",
    "dribbble.com": "Dribbble",
    "behance.net": "Behance",
    "xing.com": "XING",
    "kaggle.com": "Kaggle",
    "bitbucket.org": "Bitbucket",
    "leetcode.com": "LeetCode",
    "orcid.org": "ORCID",
    "youtube.com": "YouTube",
    "instagram.com": "Instagram",
    "facebook.com": "Facebook",
}

US_STATES = set(
    [
        "AL",
        "AK",
        "AZ",
        "AR",
        "CA",
        "CO",
        "CT",
        "DE",
        "FL",
        "GA",
        "HI",
        "ID",
        "IL",
        "IN",
        "IA",
        "KS",
        "KY",
        "LA",
        "ME",
        "MD",
        "MA",
        "MI",
        "MN",
        "MS",
        "MO",
        "MT",
        "NE",
        "NV",
        "NH",
        "NJ",
        "NM",
        "NY",
        "NC",
        "ND",
        "OH",
        "OK",
        "OR",
        "PA",
        "RI",
        "SC",
        "SD",
        "TN",
        "TX",
        "UT",
        "VT",
        "VA",
        "WA",
        "WV",
        "WI",
        "WY",
        "DC",
    ]
)
REGIONS = {
    fold(r)
    for r in [
        "Alabama",
        "Alaska",
        "Arizona",
        "Arkansas",
        "California",
        "Colorado",
        "Connecticut",
        "Delaware",
        "Florida",
        "Georgia",
        "Hawaii",
        "Idaho",
        "Illinois",
        "Indiana",
        "Iowa",
        "Kansas",
        "Kentucky",
        "Louisiana",
        "Maine",
        "Maryland",
        "Massachusetts",
        "Michigan",
        "Minnesota",
        "Mississippi",
        "Missouri",
        "Montana",
        "Nebraska",
        "Nevada",
        "New Hampshire",
        "New Jersey",
        "New Mexico",
        "New York",
        "North Carolina",
        "North Dakota",
        "Ohio",
        "Oklahoma",
        "Oregon",
        "Pennsylvania",
        "Rhode Island",
        "South Carolina",
        "South Dakota",
        "Tennessee",
        "Texas",
        "Utah",
        "Vermont",
        "Virginia",
        "Washington",
        "West Virginia",
        "Wisconsin",
        "Wyoming",
        "Ontario",
        "Quebec",
        "Québec",
        "British Columbia",
        "Alberta",
        "Manitoba",
        "Saskatchewan",
        "Nova Scotia",
        "New Brunswick",
        "Newfoundland",
        "ON",
        "QC",
        "BC",
        "AB",
        "MB",
        "SK",
        "NS",
        "NB",
        "NL",
        "PE",
        "New South Wales",
        "Victoria",
        "Queensland",
        "Tasmania",
        "NSW",
        "VIC",
        "QLD",
        "Bayern",
        "Bavaria",
        "Berlin",
        "Hessen",
        "Hamburg",
        "Sachsen",
        "Niedersachsen",
        "Nordrhein-Westfalen",
        "NRW",
        "Baden-Württemberg",
        "Île-de-France",
        "Ile-de-France",
        "Cataluña",
        "Catalunya",
        "Andalucía",
        "England",
        "Scotland",
        "Wales",
        "Northern Ireland",
    ]
}
COUNTRIES = {
    fold(name): code
    for code, names in {
        "US": "USA|U.S.A.|US|United States|United States of America|Vereinigte Staaten|"
        "États-Unis|Estados Unidos|Stati Uniti|Verenigde Staten",
        "GB": "UK|U.K.|United Kingdom|Great Britain|Vereinigtes Königreich|Royaume-Uni|Reino Unido|"
        "Regno Unito|Verenigd Koninkrijk",
        "DE": "Germany|Deutschland|Allemagne|Alemania|Germania|Alemanha|Duitsland",
        "FR": "France|Frankreich|Francia|França|Frankrijk",
        "ES": "Spain|Spanien|Espagne|España|Spagna|Espanha|Spanje",
        "IT": "Italy|Italien|Italie|Italia|Itália|Italië",
        "NL": "Netherlands|Niederlande|Pays-Bas|Países Bajos|Paesi Bassi|Países Baixos|Nederland|"
        "Holland|Holanda|Olanda",
        "BE": "Belgium|Belgien|Belgique|Bélgica|Belgio|België",
        "CH": "Switzerland|Schweiz|Suisse|Suiza|Svizzera|Suíça|Zwitserland",
        "AT": "Austria|Österreich|Autriche|Áustria|Oostenrijk",
        "CA": "Canada|Kanada|Canadá",
        "MX": "Mexico|México|Mexiko|Mexique",
        "BR": "Brazil|Brasil|Brasilien|Brésil|Brasile|Brazilië",
        "AR": "Argentina|Argentinien|Argentine",
        "IN": "India|Indien|Inde",
        "CN": "China|Chine",
        "JP": "Japan|Japon|Japón",
        "AU": "Australia|Australien|Australie",
        "IE": "Ireland|Irland|Irlande|Irlanda",
        "PT": "Portugal",
        "PL": "Poland|Polen|Pologne|Polonia",
        "SE": "Sweden|Schweden|Suède|Suecia",
        "DK": "Denmark|Dänemark|Danemark|Dinamarca",
        "NO": "Norway|Norwegen|Norvège|Noruega",
        "FI": "Finland|Finnland|Finlande|Finlandia",
        "SG": "Singapore|Singapur",
        "IL": "Israel",
        "CO": "Colombia|Kolumbien|Colombie",
        "CL": "Chile|Chili",
        "LU": "Luxembourg|Luxemburg|Luxemburgo",
        "GH": "Ghana",
        "NG": "Nigeria",
        "KE": "Kenya",
        "ZA": "South Africa|Südafrika|Afrique du Sud|Sudáfrica",
        "EG": "Egypt|Ägypten|Égypte|Egipto",
        "MA": "Morocco|Marokko|Maroc|Marruecos",
        "TR": "Turkey|Türkiye|Türkei|Turquie|Turquía",
        "GR": "Greece|Griechenland|Grèce|Grecia",
        "CZ": "Czech Republic|Czechia|Tschechien",
        "HU": "Hungary|Ungarn|Hongrie|Hungría",
        "RO": "Romania|Rumänien|Roumanie|Rumania",
        "UA": "Ukraine|Ucrania",
        "RU": "Russia|Russland|Russie|Rusia",
        "NZ": "New Zealand|Neuseeland|Nouvelle-Zélande|Nueva Zelanda",
        "KR": "South Korea|Korea|Südkorea|Corée du Sud|Corea del Sur",
        "VN": "Vietnam|Viet Nam",
        "PH": "Philippines|Philippinen|Filipinas",
        "ID": "Indonesia|Indonesien|Indonésie",
        "MY": "Malaysia|Malaisie|Malasia",
        "TH": "Thailand|Thaïlande|Tailandia",
        "PK": "Pakistan",
        "BD": "Bangladesh|Bangladesch",
        "AE": "United Arab Emirates|UAE|Vereinigte Arabische Emirate|Émirats arabes unis",
        "SA": "Saudi Arabia|Saudi-Arabien|Arabie saoudite|Arabia Saudita",
        "PE": "Peru|Perú|Pérou",
        "UY": "Uruguay",
        "VE": "Venezuela",
        "EC": "Ecuador|Équateur",
    }.items()
    for name in names.split("|")
}


@cache
def skills_vocabulary() -> dict[str, str]:
    """Known skills: folded spelling or synonym → canonical name (``data/skills.txt``)."""
    vocabulary: dict[str, str] = {}
    for line in (DATA / "skills.txt").read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        canonical, _, synonyms = line.partition("|")
        canonical = canonical.strip()
        vocabulary[fold(canonical)] = canonical
        for synonym in synonyms.split(","):
            if synonym.strip():
                vocabulary[fold(synonym)] = canonical
    return vocabulary


def canonical_skill(name: str) -> str | None:
    """The vocabulary's name for a skill (``js`` → ``JavaScript``), or None if unknown."""
    return skills_vocabulary().get(fold(name))


@lru_cache(maxsize=8192)
def title_score(text: str) -> int:
    """How many job-title words a text holds (accents ignored: "Chargée" is "chargee").
    Cached: an entry's parts are scored several times, and the pattern is slow to scan."""
    return len(TITLE_WORDS.findall(fold(text)))


def is_title(text: str) -> bool:
    return title_score(text) > 0
