"""Fictional people from a seed: Faker names, companies, cities and phones in several locales,
our own word banks for what Faker does not know (job titles, degrees, skills, headings,
highlights). Every choice goes through one ``random.Random``, never through set order or
``hash()``, so a seed gives the same person on every run.
"""

from __future__ import annotations

import random
import unicodedata

from faker import Faker

from resumes.extraction.synth.person import (
    Basics,
    Certificate,
    Degree,
    Extra,
    Job,
    Location,
    Period,
    Person,
    Position,
    Project,
    SkillGroup,
    SocialProfile,
    SubBlock,
)

LOCALES = {
    "en": "en_US",
    "de": "de_DE",
    "fr": "fr_FR",
    "es": "es_ES",
    "it": "it_IT",
    "pt": "pt_BR",
    "nl": "nl_NL",
}
LANGUAGES = tuple(LOCALES)
COUNTRIES = {
    "en": ("United States", "US"),
    "de": ("Deutschland", "DE"),
    "fr": ("France", "FR"),
    "es": ("España", "ES"),
    "it": ("Italia", "IT"),
    "pt": ("Brasil", "BR"),
    "nl": ("Nederland", "NL"),
}
US_STATES = ("CA", "NY", "TX", "WA", "MA", "IL", "CO", "OR", "GA", "PA")

TITLES = {
    "en": (
        "Software Engineer",
        "Senior Software Engineer",
        "Data Engineer",
        "Data Analyst",
        "Product Manager",
        "Frontend Developer",
        "Backend Developer",
        "DevOps Engineer",
        "Engineering Manager",
        "QA Engineer",
        "Machine Learning Engineer",
        "UX Designer",
        "Project Coordinator",
        "Business Analyst",
        "Site Reliability Engineer",
        "Technical Lead",
        "Marketing Specialist",
        "Financial Analyst",
    ),
    "de": (
        "Softwareentwickler",
        "Senior Softwareentwicklerin",
        "Dateningenieur",
        "Projektleiterin",
        "Produktmanager",
        "Systemadministrator",
        "IT-Berater",
        "Werkstudent Softwareentwicklung",
        "Teamleiter Entwicklung",
        "Datenanalystin",
        "Backend-Entwickler",
    ),
    "fr": (
        "Ingénieur logiciel",
        "Développeuse full-stack",
        "Chef de projet",
        "Analyste de données",
        "Responsable produit",
        "Ingénieur DevOps",
        "Consultant technique",
        "Architecte logiciel",
        "Stagiaire développement",
    ),
    "es": (
        "Ingeniero de software",
        "Desarrolladora backend",
        "Jefe de proyecto",
        "Analista de datos",
        "Administrador de sistemas",
        "Consultora tecnológica",
        "Desarrollador frontend",
    ),
    "it": (
        "Ingegnere del software",
        "Sviluppatrice backend",
        "Project manager",
        "Analista dati",
        "Sistemista",
        "Consulente IT",
        "Sviluppatore full stack",
    ),
    "pt": (
        "Engenheiro de software",
        "Desenvolvedora backend",
        "Gerente de projetos",
        "Analista de dados",
        "Administrador de sistemas",
        "Desenvolvedor front-end",
        "Consultora de TI",
    ),
    "nl": (
        "Software-ontwikkelaar",
        "Data-analist",
        "Projectleider",
        "Productmanager",
        "Systeembeheerder",
        "Backend-ontwikkelaar",
        "IT-consultant",
    ),
}

DEGREES = {
    "en": (
        ("BSc", "in"),
        ("Bachelor of Science", "in"),
        ("MSc", "in"),
        ("Master of Arts", "in"),
        ("BA", "in"),
        ("PhD", "in"),
        ("MBA", None),
        ("Associate Degree", "in"),
    ),
    "de": (
        ("Bachelor of Science", "in"),
        ("Master of Science", "in"),
        ("Diplom", None),
        ("B.Sc.", ""),
        ("M.Sc.", ""),
        ("Promotion", "in"),
    ),
    "fr": (
        ("Licence", "en"),
        ("Master", "en"),
        ("Diplôme d'ingénieur", "en"),
        ("BTS", None),
        ("Doctorat", "en"),
    ),
    "es": (("Grado", "en"), ("Máster", "en"), ("Licenciatura", "en"), ("Doctorado", "en")),
    "it": (
        ("Laurea triennale", "in"),
        ("Laurea magistrale", "in"),
        ("Master", "in"),
        ("Dottorato", "in"),
    ),
    "pt": (("Bacharelado", "em"), ("Mestrado", "em"), ("Licenciatura", "em"), ("Doutorado", "em")),
    "nl": (("Bachelor", "in"), ("Master", "in"), ("HBO", None), ("MBO", None)),
}
AREAS = {
    "en": (
        "Computer Science",
        "Economics",
        "Mathematics",
        "Information Systems",
        "Electrical Engineering",
        "Physics",
        "Business Administration",
        "Psychology",
    ),
    "de": (
        "Informatik",
        "Wirtschaftsinformatik",
        "Mathematik",
        "Elektrotechnik",
        "Betriebswirtschaftslehre",
        "Physik",
    ),
    "fr": ("Informatique", "Mathématiques appliquées", "Économie", "Génie logiciel", "Physique"),
    "es": ("Ingeniería Informática", "Matemáticas", "Economía", "Telecomunicaciones"),
    "it": ("Informatica", "Ingegneria Informatica", "Matematica", "Economia"),
    "pt": (
        "Ciência da Computação",
        "Sistemas de Informação",
        "Engenharia Elétrica",
        "Administração",
    ),
    "nl": ("Informatica", "Bedrijfskunde", "Wiskunde", "Technische Natuurkunde"),
}
UNIVERSITY = {
    "en": (
        "University of {city}",
        "{city} State University",
        "{city} Institute of Technology",
        "{city} College",
    ),
    "de": ("Universität {city}", "Technische Universität {city}", "Hochschule {city}"),
    "fr": ("Université de {city}", "École Polytechnique de {city}", "IUT de {city}"),
    "es": ("Universidad de {city}", "Universidad Politécnica de {city}"),
    "it": ("Università di {city}", "Politecnico di {city}"),
    "pt": ("Universidade Federal de {city}", "Universidade de {city}"),
    "nl": ("Universiteit {city}", "Hogeschool {city}", "Technische Universiteit {city}"),
}
# Names that are not "University of X": acronyms ("UC Berkeley", "ETH Zürich") and a campus
# after a comma ("University of Texas, Austin").
INSTITUTION_SHAPES = ("{acronym} {city}", "{acronym}", "{name}, {city}")
# Values as template placeholders print them, which real uploads keep more often than not.
PLACEHOLDER_EMPLOYERS = ("Employer", "Your Company", "Employer Name", "Company Inc.")
PLACEHOLDER_INSTITUTIONS = ("University Name", "Your University", "Name of School", "College")
SCORE_LABELS = {
    "en": "GPA",
    "de": "Note",
    "fr": "Moyenne",
    "es": "Nota media",
    "it": "Voto",
    "pt": "CR",
    "nl": "Cijfer",
}

SKILL_GROUPS = {
    "languages": (
        "Python",
        "Java",
        "TypeScript",
        "Go",
        "Rust",
        "C++",
        "Kotlin",
        "SQL",
        "JavaScript",
        "Scala",
        "Ruby",
        "PHP",
        "C#",
    ),
    "frameworks": (
        "Django",
        "React",
        "Spring Boot",
        "FastAPI",
        "Vue.js",
        "Angular",
        "Flask",
        "Node.js",
        "Next.js",
        "Rails",
        "pandas",
        "PyTorch",
    ),
    "tools": (
        "Docker",
        "Kubernetes",
        "Terraform",
        "Git",
        "Jenkins",
        "GitHub Actions",
        "AWS",
        "Azure",
        "GCP",
        "Linux",
        "PostgreSQL",
        "Redis",
        "Kafka",
        "Elasticsearch",
        "Grafana",
        "Ansible",
    ),
    "methods": (
        "Scrum",
        "Kanban",
        "TDD",
        "CI/CD",
        "Domain-Driven Design",
        "Code Review",
        "REST APIs",
        "Microservices",
    ),
}
# Skill levels printed as words, under a group's label or beside one skill.
SKILL_LEVELS = {
    "en": ("Beginner", "Intermediate", "Advanced", "Expert", "Proficient"),
    "de": ("Grundkenntnisse", "Gut", "Sehr gut", "Fortgeschritten", "Experte"),
    "fr": ("Débutant", "Intermédiaire", "Avancé", "Expert", "Confirmé"),
    "es": ("Básico", "Intermedio", "Avanzado", "Experto"),
    "it": ("Base", "Intermedio", "Avanzato", "Esperto", "Ottimo"),
    "pt": ("Básico", "Intermediário", "Avançado", "Especialista"),
    "nl": ("Basis", "Gemiddeld", "Gevorderd", "Expert", "Goed"),
}
GROUP_LABELS: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {
        "languages": ("Languages", "Programming Languages", "Programming"),
        "frameworks": ("Frameworks", "Libraries & Frameworks"),
        "tools": ("Tools", "Cloud & DevOps", "Technologies", "Tech Stack"),
        "methods": ("Methods", "Practices"),
    },
    "de": {
        "languages": ("Programmiersprachen", "Sprachen"),
        "frameworks": ("Frameworks", "Bibliotheken"),
        "tools": ("Werkzeuge", "Technologien", "Tools"),
        "methods": ("Methoden", "Arbeitsweisen"),
    },
    "fr": {
        "languages": ("Langages", "Langages de programmation"),
        "frameworks": ("Frameworks", "Bibliothèques"),
        "tools": ("Outils", "Technologies"),
        "methods": ("Méthodes", "Méthodologies"),
    },
    "es": {
        "languages": ("Lenguajes", "Lenguajes de programación"),
        "frameworks": ("Frameworks",),
        "tools": ("Herramientas", "Tecnologías"),
        "methods": ("Metodologías",),
    },
    "it": {
        "languages": ("Linguaggi", "Linguaggi di programmazione"),
        "frameworks": ("Framework",),
        "tools": ("Strumenti", "Tecnologie"),
        "methods": ("Metodologie",),
    },
    "pt": {
        "languages": ("Linguagens", "Linguagens de programação"),
        "frameworks": ("Frameworks",),
        "tools": ("Ferramentas", "Tecnologias"),
        "methods": ("Metodologias",),
    },
    "nl": {
        "languages": ("Programmeertalen", "Talen"),
        "frameworks": ("Frameworks",),
        "tools": ("Tools", "Technologieën"),
        "methods": ("Methoden", "Werkwijzen"),
    },
}

HEADINGS = {
    "en": {
        "summary": ("Summary", "Profile", "About Me", "Professional Summary"),
        "work": (
            "Experience",
            "Work Experience",
            "Professional Experience",
            "Employment History",
            "Work History",
        ),
        "volunteer": ("Volunteering", "Volunteer Experience", "Leadership & Activities"),
        "education": ("Education", "Academic Background", "Education & Training"),
        "skills": ("Skills", "Technical Skills", "Core Competencies", "Skills & Tools"),
        "projects": ("Projects", "Selected Projects", "Personal Projects"),
        "certificates": ("Certifications", "Certificates", "Licenses & Certifications"),
        "contact": ("Contact", "Contact Details"),
        "profiles": ("Profiles", "Links", "Online"),
        "languages": ("Languages",),
        "interests": ("Interests", "Hobbies"),
        "awards": ("Awards", "Honors & Awards"),
        "publications": ("Publications",),
        "references": ("References",),
    },
    "de": {
        "summary": ("Profil", "Über mich", "Kurzprofil"),
        "work": ("Berufserfahrung", "Beruflicher Werdegang", "Berufliche Erfahrung"),
        "volunteer": ("Ehrenamt", "Ehrenamtliches Engagement"),
        "education": ("Ausbildung", "Bildungsweg", "Studium"),
        "skills": ("Kenntnisse", "Fähigkeiten", "IT-Kenntnisse", "Kompetenzen"),
        "projects": ("Projekte", "Ausgewählte Projekte"),
        "certificates": ("Zertifikate", "Zertifizierungen", "Weiterbildung"),
        "contact": ("Kontakt",),
        "profiles": ("Links", "Online-Profile"),
        "languages": ("Sprachen",),
        "interests": ("Interessen", "Hobbys"),
        "awards": ("Auszeichnungen",),
        "publications": ("Publikationen", "Veröffentlichungen"),
        "references": ("Referenzen",),
    },
    "fr": {
        "summary": ("Profil", "À propos", "Résumé"),
        "work": ("Expérience professionnelle", "Expériences", "Parcours professionnel"),
        "volunteer": ("Bénévolat", "Engagement associatif"),
        "education": ("Formation", "Études", "Diplômes"),
        "skills": ("Compétences", "Compétences techniques"),
        "projects": ("Projets", "Projets personnels"),
        "certificates": ("Certifications", "Certificats"),
        "contact": ("Contact", "Coordonnées"),
        "profiles": ("Profils", "Liens"),
        "languages": ("Langues",),
        "interests": ("Centres d'intérêt", "Loisirs"),
        "awards": ("Distinctions", "Prix"),
        "publications": ("Publications",),
        "references": ("Références",),
    },
    "es": {
        "summary": ("Perfil", "Sobre mí", "Resumen"),
        "work": ("Experiencia", "Experiencia profesional", "Experiencia laboral"),
        "volunteer": ("Voluntariado",),
        "education": ("Formación", "Educación", "Formación académica"),
        "skills": ("Habilidades", "Competencias", "Conocimientos"),
        "projects": ("Proyectos",),
        "certificates": ("Certificaciones", "Certificados"),
        "contact": ("Contacto",),
        "profiles": ("Perfiles", "Enlaces"),
        "languages": ("Idiomas",),
        "interests": ("Intereses", "Aficiones"),
        "awards": ("Premios",),
        "publications": ("Publicaciones",),
        "references": ("Referencias",),
    },
    "it": {
        "summary": ("Profilo", "Chi sono"),
        "work": ("Esperienza", "Esperienza professionale", "Esperienze lavorative"),
        "volunteer": ("Volontariato",),
        "education": ("Istruzione", "Formazione", "Istruzione e formazione"),
        "skills": ("Competenze", "Competenze tecniche"),
        "projects": ("Progetti",),
        "certificates": ("Certificazioni",),
        "contact": ("Contatti",),
        "profiles": ("Profili", "Link"),
        "languages": ("Lingue",),
        "interests": ("Interessi",),
        "awards": ("Premi",),
        "publications": ("Pubblicazioni",),
        "references": ("Referenze",),
    },
    "pt": {
        "summary": ("Perfil", "Sobre mim", "Resumo"),
        "work": ("Experiência", "Experiência profissional"),
        "volunteer": ("Voluntariado", "Trabalho voluntário"),
        "education": ("Formação", "Educação", "Formação acadêmica"),
        "skills": ("Habilidades", "Competências", "Conhecimentos"),
        "projects": ("Projetos",),
        "certificates": ("Certificações", "Certificados"),
        "contact": ("Contato",),
        "profiles": ("Perfis", "Links"),
        "languages": ("Idiomas",),
        "interests": ("Interesses",),
        "awards": ("Prêmios",),
        "publications": ("Publicações",),
        "references": ("Referências",),
    },
    "nl": {
        "summary": ("Profiel", "Over mij"),
        "work": ("Werkervaring", "Ervaring", "Loopbaan"),
        "volunteer": ("Vrijwilligerswerk",),
        "education": ("Opleiding", "Opleidingen"),
        "skills": ("Vaardigheden", "Competenties", "Kennis"),
        "projects": ("Projecten",),
        "certificates": ("Certificaten", "Certificeringen"),
        "contact": ("Contact", "Contactgegevens"),
        "profiles": ("Profielen", "Links"),
        "languages": ("Talen",),
        "interests": ("Interesses", "Hobby's"),
        "awards": ("Prijzen",),
        "publications": ("Publicaties",),
        "references": ("Referenties",),
    },
}

# Highlights: verb + object (+ result), per language.
VERBS = {
    "en": (
        "Built",
        "Designed",
        "Led",
        "Migrated",
        "Automated",
        "Reduced",
        "Introduced",
        "Maintained",
        "Launched",
        "Improved",
        "Mentored",
        "Coordinated",
    ),
    "de": (
        "Entwicklung von",
        "Einführung von",
        "Leitung von",
        "Migration von",
        "Automatisierung von",
        "Betreuung von",
        "Aufbau von",
        "Optimierung von",
    ),
    "fr": (
        "Conception de",
        "Développement de",
        "Mise en place de",
        "Migration de",
        "Automatisation de",
        "Pilotage de",
        "Refonte de",
        "Maintenance de",
    ),
    "es": (
        "Desarrollo de",
        "Diseño de",
        "Migración de",
        "Automatización de",
        "Coordinación de",
        "Implantación de",
        "Mantenimiento de",
    ),
    "it": (
        "Sviluppo di",
        "Progettazione di",
        "Migrazione di",
        "Automazione di",
        "Gestione di",
        "Introduzione di",
        "Manutenzione di",
    ),
    "pt": (
        "Desenvolvimento de",
        "Criação de",
        "Migração de",
        "Automação de",
        "Coordenação de",
        "Implantação de",
        "Manutenção de",
    ),
    "nl": (
        "Ontwikkeling van",
        "Ontwerp van",
        "Migratie van",
        "Automatisering van",
        "Begeleiding van",
        "Invoering van",
        "Onderhoud van",
    ),
}
OBJECTS = {
    "en": (
        "the billing platform",
        "a data pipeline for {n} sources",
        "the customer portal",
        "internal tooling for the support team",
        "a team of {n} engineers",
        "the deployment process",
        "the search service",
        "a monitoring stack",
        "the mobile checkout flow",
        "an onboarding programme for new hires",
    ),
    "de": (
        "einer Datenplattform für {n} Quellen",
        "des Kundenportals",
        "internen Werkzeugen für den Support",
        "einem Team aus {n} Entwicklern",
        "der Deployment-Pipeline",
        "eines Monitoring-Systems",
        "des Suchdienstes",
    ),
    "fr": (
        "la plateforme de facturation",
        "un pipeline de données pour {n} sources",
        "l'espace client",
        "outils internes pour le support",
        "une équipe de {n} personnes",
        "la chaîne de déploiement",
        "un système de supervision",
    ),
    "es": (
        "la plataforma de facturación",
        "un flujo de datos para {n} fuentes",
        "el portal de clientes",
        "herramientas internas de soporte",
        "un equipo de {n} personas",
        "el proceso de despliegue",
    ),
    "it": (
        "la piattaforma di fatturazione",
        "una pipeline dati per {n} sorgenti",
        "il portale clienti",
        "strumenti interni per il supporto",
        "un team di {n} sviluppatori",
        "il processo di rilascio",
    ),
    "pt": (
        "a plataforma de faturamento",
        "um pipeline de dados para {n} fontes",
        "o portal do cliente",
        "ferramentas internas de suporte",
        "uma equipe de {n} pessoas",
        "o processo de implantação",
    ),
    "nl": (
        "het factuurplatform",
        "een datapijplijn voor {n} bronnen",
        "het klantportaal",
        "interne tools voor support",
        "een team van {n} ontwikkelaars",
        "het uitrolproces",
    ),
}
RESULTS = {
    "en": (
        ", cutting costs by {n}%",
        ", serving {n}k users a day",
        " ahead of schedule",
        " used by {n} teams",
        "",
    ),
    "de": (" mit {n} % weniger Kosten", " für {n}.000 Nutzer täglich", ""),
    "fr": (", réduisant les coûts de {n} %", " pour {n} 000 utilisateurs", ""),
    "es": (", reduciendo costes un {n} %", " para {n} mil usuarios", ""),
    "it": (", riducendo i costi del {n}%", " per {n} mila utenti", ""),
    "pt": (", reduzindo custos em {n}%", " para {n} mil usuários", ""),
    "nl": (", met {n}% lagere kosten", " voor {n}.000 gebruikers", ""),
}
SUMMARY_SENTENCES = {
    "en": (
        "Responsible for the design and operation of services used across the company.",
        "Worked closely with product and design to ship features every week.",
        "Owned the roadmap for the team and reported to the head of engineering.",
        "Focused on reliability, observability and developer experience.",
    ),
    "de": (
        "Verantwortlich für Entwurf und Betrieb zentraler Dienste.",
        "Enge Zusammenarbeit mit Produktmanagement und Design.",
        "Fachliche Leitung des Teams und Berichterstattung an die Geschäftsführung.",
    ),
    "fr": (
        "Responsable de la conception et de l'exploitation des services centraux.",
        "Travail en étroite collaboration avec les équipes produit et design.",
        "Animation de l'équipe et suivi de la feuille de route.",
    ),
    "es": (
        "Responsable del diseño y la operación de los servicios centrales.",
        "Colaboración estrecha con los equipos de producto y diseño.",
    ),
    "it": (
        "Responsabile della progettazione e della gestione dei servizi centrali.",
        "Stretta collaborazione con i team di prodotto e design.",
    ),
    "pt": (
        "Responsável pelo projeto e pela operação dos serviços centrais.",
        "Trabalho próximo às equipes de produto e design.",
    ),
    "nl": (
        "Verantwoordelijk voor ontwerp en beheer van centrale diensten.",
        "Nauwe samenwerking met product en design.",
    ),
}
SUBBLOCK_LABELS = {
    "en": ("Key achievements:", "Tech stack:", "Summary:"),
    "de": ("Erfolge:", "Technologien:", "Aufgaben:"),
    "fr": ("Réalisations :", "Environnement technique :", "Missions :"),
    "es": ("Logros:", "Tecnologías:", "Funciones:"),
    "it": ("Risultati:", "Tecnologie:", "Attività:"),
    "pt": ("Conquistas:", "Tecnologias:", "Atividades:"),
    "nl": ("Resultaten:", "Technologieën:", "Taken:"),
}
CERTIFICATES = (
    ("AWS Certified Solutions Architect – Associate", "Amazon Web Services", "SAA-C03"),
    ("Certified Kubernetes Administrator", "The Linux Foundation", "CKA-{y}-{n}"),
    ("Professional Scrum Master I", "Scrum.org", None),
    ("Microsoft Certified: Azure Administrator", "Microsoft", "AZ-104-{y}-{n}"),
    ("Google Professional Data Engineer", "Google Cloud", None),
    ("ITIL 4 Foundation", "AXELOS", None),
    ("Oracle Certified Professional, Java SE 17 Developer", "Oracle", "OCP-{n}"),
    ("PRINCE2 Foundation", "PeopleCert", None),
    ("Terraform Associate", "HashiCorp", "HCTA-{y}-{n}"),
    ("Project Management Professional", "Project Management Institute (PMI)", "PMP-{n}"),
    ("Certified Information Systems Security Professional", "(ISC)²", None),
    ("Certified Tester Foundation Level", "International Software Testing Board (ISTQB)", None),
    ("Kubernetes and Cloud Native Associate", "Cloud Native Computing Foundation (CNCF)", None),
    ("Machine Learning Specialization", "DeepLearning.AI", None),
)
PROJECT_NAMES = (
    "Atlas",
    "Beacon",
    "Cobalt",
    "Driftwood",
    "Ember",
    "Fjord",
    "Granite",
    "Harbor",
    "Iris",
    "Juniper",
    "Kestrel",
    "Lumen",
    "Meridian",
    "Nimbus",
)
PROJECT_KINDS = {
    "en": ("An open-source CLI for {x}", "A web app to track {x}", "A library for {x}"),
    "de": ("Ein Open-Source-Werkzeug für {x}", "Eine Web-App zur Verwaltung von {x}"),
    "fr": ("Un outil libre pour {x}", "Une application web de suivi de {x}"),
    "es": ("Una herramienta libre para {x}", "Una aplicación web para gestionar {x}"),
    "it": ("Uno strumento open source per {x}", "Un'applicazione web per gestire {x}"),
    "pt": ("Uma ferramenta livre para {x}", "Um aplicativo web para gerenciar {x}"),
    "nl": ("Een open-source tool voor {x}", "Een webapp om {x} bij te houden"),
}
PROJECT_NOUNS = ("App", "Platform", "Dashboard", "Tracker", "Bot", "API", "Engine", "Service")
PROJECT_TOPICS = (
    "budgets",
    "sensor data",
    "reading lists",
    "release notes",
    "time sheets",
    "recipes",
    "invoices",
    "workouts",
)
# Certificates made up from parts: "<vendor> Certified <role>" and "<topic> <course>" from
# a learning platform, beside the well-known ones above.
CERTIFICATE_VENDORS = ("Microsoft", "Google Cloud", "Cisco", "Salesforce", "Snowflake", "Red Hat")
CERTIFICATE_ROLES = (
    "Developer",
    "Data Analyst",
    "Security Specialist",
    "Network Associate",
    "Administrator",
    "Solutions Engineer",
)
CERTIFICATE_COURSES = (
    "Professional Certificate in {topic}",
    "{topic} Specialization",
    "{topic} Nanodegree",
    "Introduction to {topic}",
    "Advanced {topic}",
)
CERTIFICATE_TOPICS = (
    "Data Science",
    "Web Development",
    "Machine Learning",
    "Cloud Security",
    "UX Design",
    "Project Management",
    "Python Programming",
    "Digital Marketing",
)
LEARNING_PLATFORMS = ("Udemy", "edX", "Udacity", "LinkedIn Learning", "Pluralsight", "freeCodeCamp")
PROJECT_ROLES = {
    "en": ("Maintainer", "Lead developer", "Contributor"),
    "de": ("Maintainer", "Hauptentwickler"),
    "fr": ("Mainteneur", "Développeur"),
    "es": ("Responsable", "Desarrolladora"),
    "it": ("Maintainer", "Sviluppatore"),
    "pt": ("Mantenedor", "Desenvolvedora"),
    "nl": ("Maintainer", "Ontwikkelaar"),
}
SPOKEN = {
    "en": (
        ("English", "Native"),
        ("Spanish", "Fluent"),
        ("German", "Intermediate"),
        ("French", "Basic"),
    ),
    "de": (
        ("Deutsch", "Muttersprache"),
        ("Englisch", "Fließend"),
        ("Französisch", "Grundkenntnisse"),
    ),
    "fr": (("Français", "Langue maternelle"), ("Anglais", "Courant"), ("Espagnol", "Notions")),
    "es": (("Español", "Nativo"), ("Inglés", "Avanzado"), ("Francés", "Básico")),
    "it": (("Italiano", "Madrelingua"), ("Inglese", "Fluente"), ("Tedesco", "Base")),
    "pt": (("Português", "Nativo"), ("Inglês", "Fluente"), ("Espanhol", "Intermediário")),
    "nl": (("Nederlands", "Moedertaal"), ("Engels", "Vloeiend"), ("Duits", "Goed")),
}
INTERESTS = {
    "en": "Cycling, chess, photography",
    "de": "Radfahren, Schach, Fotografie",
    "fr": "Randonnée, échecs, photographie",
    "es": "Ciclismo, ajedrez, fotografía",
    "it": "Ciclismo, scacchi, fotografia",
    "pt": "Ciclismo, xadrez, fotografia",
    "nl": "Wielrennen, schaken, fotografie",
}
AWARDS = {
    "en": "Employee of the Year",
    "de": "Innovationspreis",
    "fr": "Prix de l'innovation",
    "es": "Premio a la innovación",
    "it": "Premio innovazione",
    "pt": "Prêmio de inovação",
    "nl": "Innovatieprijs",
}
HEADLINE_PREFIX = {"en": "", "de": "", "fr": "", "es": "", "it": "", "pt": "", "nl": ""}
# Publications (academic CVs): titles and venues in English, as most are printed.
PAPER_TOPICS = (
    "Graph Neural Networks",
    "Federated Learning",
    "Query Optimisation",
    "Energy-Aware Scheduling",
    "Time Series Forecasting",
    "Causal Inference",
    "Program Synthesis",
    "Edge Computing",
    "Anomaly Detection",
    "Stream Processing",
)
PAPER_FRAMES = (
    "{topic} for {area}",
    "A Study of {topic} in Practice",
    "Scalable {topic}",
    "Towards Robust {topic}",
    "{topic}: A Survey",
    "Revisiting {topic} at Scale",
)
VENUES = (
    "Journal of {area}",
    "Proceedings of the International Conference on {topic}",
    "IEEE Transactions on {area}",
    "Workshop on {topic}",
    "arXiv preprint",
)
PLACEHOLDERS = ("Job title", "Employer")


def ascii_slug(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in folded.lower() if ch.isalnum())


def _period(rng: random.Random, year: int, month_known: bool) -> tuple[Period, int]:
    """A period ending at ``year``; returns it and the year it starts in."""
    length = rng.randint(1, 4)
    start_year = year - length
    start = (start_year, rng.randint(1, 12) if month_known else None)
    end = (year, rng.randint(1, 12) if month_known else None)
    if start_year == year and end[1] is not None and start[1] is not None and end[1] < start[1]:
        start, end = end, start
    return Period(start=start, end=end), start_year


def _highlight(rng: random.Random, language: str) -> str:
    n = rng.choice((3, 4, 5, 8, 12, 20, 30, 40))
    text = rng.choice(VERBS[language]) + " " + rng.choice(OBJECTS[language]).format(n=n)
    text += rng.choice(RESULTS[language]).format(n=n * 2)
    return text[0].upper() + text[1:]


def _skills(rng: random.Random, count: int) -> list[str]:
    pool = [s for group in SKILL_GROUPS.values() for s in group]
    return rng.sample(pool, count)


def _acronym(rng: random.Random, low: int = 2, high: int = 4) -> str:
    return "".join(rng.choice("ABCDEFGHIJKLMNOPRSTUVW") for _ in range(rng.randint(low, high)))


def _place(rng: random.Random, fake: Faker, language: str) -> str:
    """A place as entries print one: "Lyon", "Austin, Texas", "Austin, TX", "Lyon, France",
    "Lyon, FR"."""
    city = fake.city()
    shape = rng.random()
    if shape < 0.35:
        return city
    if shape < 0.55:
        return f"{city}, {fake.administrative_unit()}"
    if language == "en" and shape < 0.8:
        return f"{city}, {rng.choice(US_STATES)}"
    return f"{city}, {rng.choice(COUNTRIES[language])}"


def _employer(rng: random.Random, fake: Faker) -> str:
    """Mostly Faker's companies; also one-word brands, acronyms and placeholders."""
    shape = rng.random()
    if shape < 0.65:
        return fake.company()
    if shape < 0.82:
        return fake.word().capitalize()
    if shape < 0.96:
        suffix = rng.choice(("", " Corporation", " Company", " Group", " Labs", " Systems"))
        return _acronym(rng, 2, 3) + suffix
    return rng.choice(PLACEHOLDER_EMPLOYERS)


def _institution(rng: random.Random, fake: Faker, language: str) -> str:
    name = rng.choice(UNIVERSITY[language]).format(city=fake.city())
    draw = rng.random()
    if draw < 0.7:
        return name
    if draw < 0.75:
        return rng.choice(PLACEHOLDER_INSTITUTIONS)
    template = rng.choice(INSTITUTION_SHAPES)
    return template.format(acronym=_acronym(rng), city=fake.city(), name=name)


def _project_name(rng: random.Random, index: int) -> str:
    """A product name ("Cobalt", "Atlas 2", "BeaconDB") or what it is ("Real-time Budgets
    Tracker")."""
    if rng.random() < 0.65:
        return rng.choice(PROJECT_NAMES) + rng.choice(("", " " + str(index + 1), "DB", "Kit"))
    topic = rng.choice(PROJECT_TOPICS).title()
    prefix = rng.choice(("", "", "Open ", "Smart ", "Real-time ", "Personal "))
    return prefix + topic + " " + rng.choice(PROJECT_NOUNS)


def _certificates(rng: random.Random, count: int) -> list[tuple[str, str, str | None]]:
    """(name, issuer, credential pattern): well-known certificates and made-up ones."""
    out = rng.sample(CERTIFICATES, count)
    for index in range(count):
        if rng.random() < 0.5:
            continue
        if rng.random() < 0.5:
            vendor = rng.choice(CERTIFICATE_VENDORS)
            out[index] = (f"{vendor} Certified {rng.choice(CERTIFICATE_ROLES)}", vendor, None)
        else:
            course = rng.choice(CERTIFICATE_COURSES).format(topic=rng.choice(CERTIFICATE_TOPICS))
            out[index] = (course, rng.choice(LEARNING_PLATFORMS), None)
    return out


def _faker(locale: str, seed: int) -> Faker:
    """A seeded Faker whose word lists keep one order in every process: Faker builds its
    it_IT city list from a set, whose order follows the process's string hashing."""
    fake = Faker(locale)
    fake.seed_instance(seed)
    for provider in fake.providers:
        cities = getattr(provider, "cities", None)
        if isinstance(cities, list):
            provider.cities = sorted(cities)
    return fake


def make_person(rng: random.Random, language: str | None = None) -> Person:
    """One fictional person, every choice drawn from ``rng``."""
    language = language or rng.choice(LANGUAGES)
    locale = LOCALES[language]
    fake = _faker(locale, rng.randrange(2**31))
    first, last = fake.first_name(), fake.last_name()
    name = f"{first} {last}"
    country, code = COUNTRIES[language]
    city = fake.city()
    region = rng.choice(US_STATES) if language == "en" else None
    location = Location(city=city, region=region, country=country, country_code=code)
    if rng.random() < 0.25:
        # The street and postcode, printed with the city in the contact details.
        location.address = fake.street_address().replace(",", "")
        location.postal_code = fake.postcode()
    handle = (
        ascii_slug(first)[:1] + ascii_slug(last) + rng.choice(("", "", str(rng.randint(1, 99))))
    )
    handle = handle or "jdoe"
    domain = rng.choice(("example.com", "example.org", fake.free_email_domain()))
    email = f"{ascii_slug(first)}.{ascii_slug(last)}@{domain}"
    profiles = []
    for network, base in rng.sample(
        (("LinkedIn", "linkedin.com/in/"), ("GitHub", "github.com/"), ("GitLab", "gitlab.com/")),
        rng.randint(0, 2),
    ):
        profiles.append(SocialProfile(network, handle, base + handle))
    website = rng.choice((None, f"{handle}.dev", f"www.{handle}.net", f"https://{handle}.me"))
    titles = TITLES[language]
    headline = rng.choice(titles)
    summary = " ".join(
        rng.sample(SUMMARY_SENTENCES[language], min(2, len(SUMMARY_SENTENCES[language])))
    )
    basics = Basics(
        name=name,
        label=headline,
        email=email,
        phone=fake.phone_number().split("x")[0].strip(),
        url=website,
        location=location,
        profiles=profiles,
        summary=summary,
    )
    person = Person(locale=locale, language=language, basics=basics)

    # Work, newest first.
    year = 2025
    month_known = rng.random() < 0.75
    for index in range(rng.choice((1, 2, 2, 3, 3, 3, 4, 5))):
        roles: list[Position] = []
        for role_index in range(2 if rng.random() < 0.15 else 1):
            period, start_year = _period(rng, year, month_known)
            if index == 0 and role_index == 0 and rng.random() < 0.6:
                period = Period(start=period.start, current=True)
            position = Position(position=rng.choice(titles), period=period)
            shape = rng.random()
            if shape < 0.6:
                position.highlights = [_highlight(rng, language) for _ in range(rng.randint(1, 4))]
            elif shape < 0.8:
                position.summary = " ".join(
                    rng.sample(
                        SUMMARY_SENTENCES[language], min(2, len(SUMMARY_SENTENCES[language]))
                    )
                )
            elif shape < 0.95:
                labels = SUBBLOCK_LABELS[language]
                position.blocks = [
                    SubBlock(
                        labels[0], "highlights", [_highlight(rng, language) for _ in range(2)]
                    ),
                    SubBlock(labels[1], "keywords", _skills(rng, 3)),
                ]
            if rng.random() < 0.25:
                position.keywords = _skills(rng, 3)
            roles.append(position)
            year = start_year - (1 if rng.random() < 0.5 else 0)
        person.jobs.append(
            Job(
                employer=_employer(rng, fake),
                roles=roles,
                location=_place(rng, fake, language) if rng.random() < 0.6 else None,
            )
        )
    if rng.random() < 0.2:
        period, _ = _period(rng, rng.randint(2015, 2023), month_known)
        person.jobs.append(
            Job(
                employer=rng.choice(
                    ("Red Cross", "Code Club", "Habitat for Humanity", fake.company())
                ),
                roles=[
                    Position(
                        position=rng.choice(("Volunteer", "Mentor", "Coordinator")),
                        period=period,
                        highlights=[_highlight(rng, language)],
                    )
                ],
                volunteer=True,
            )
        )

    # Education.
    for _ in range(rng.choice((1, 1, 2, 2, 3))):
        kind, joiner = rng.choice(DEGREES[language])
        area = rng.choice(AREAS[language]) if joiner is not None else None
        period, _ = _period(rng, year, rng.random() < 0.3)
        year = (period.start or (year, None))[0] - rng.randint(0, 1)
        degree = Degree(
            institution=_institution(rng, fake, language),
            study_type=kind,
            area=area,
            period=period,
            location=_place(rng, fake, language) if rng.random() < 0.3 else None,
        )
        if rng.random() < 0.3:
            degree.score = rng.choice(("3.8", "3.6", "3.9/4.0", "1,7", "1.3", "16/20", "110/110"))
            degree.score_label = SCORE_LABELS[language]
        person.education.append(degree)

    # Skills: labelled groups (each with a level, in some), one flat list, or single skills
    # each with its level ("Python — Expert").
    levels = SKILL_LEVELS[language]
    shape = rng.random()
    if shape < 0.6:
        groups = rng.sample(list(SKILL_GROUPS), rng.randint(2, 4))
        levelled = rng.random() < 0.3
        for group in groups:
            label = rng.choice(GROUP_LABELS[language][group])
            keywords = rng.sample(SKILL_GROUPS[group], rng.randint(2, 5))
            level = rng.choice(levels) if levelled else None
            person.skills.append(SkillGroup(label, keywords, level))
    elif shape < 0.85:
        person.skills.append(SkillGroup(None, _skills(rng, rng.randint(4, 10))))
    else:
        person.skills.extend(
            SkillGroup(skill, [], rng.choice(levels)) for skill in _skills(rng, rng.randint(3, 7))
        )

    if rng.random() < 0.45:
        for index in range(rng.randint(1, 3)):
            project = Project(
                name=_project_name(rng, index),
                description=rng.choice(PROJECT_KINDS[language]).format(
                    x=rng.choice(PROJECT_TOPICS)
                ),
            )
            if rng.random() < 0.5:
                project.url = f"github.com/{handle}/{ascii_slug(project.name)}"
            if rng.random() < 0.4:
                project.keywords = _skills(rng, 3)
            if rng.random() < 0.3:
                project.roles = [rng.choice(PROJECT_ROLES[language])]
            person.projects.append(project)
    if rng.random() < 0.5:
        for name, issuer, credential in _certificates(rng, rng.randint(1, 3)):
            issued_year = rng.randint(2016, 2025)
            certificate = Certificate(
                name=name,
                issuer=issuer,
                issued=(issued_year, rng.randint(1, 12) if rng.random() < 0.5 else None),
            )
            if credential and rng.random() < 0.5:
                certificate.credential_id = credential.format(
                    y=issued_year, n=rng.randint(100, 999)
                )
            if rng.random() < 0.3:
                certificate.expires = (
                    issued_year + 3,
                    certificate.issued[1] if certificate.issued else None,
                )
            person.certificates.append(certificate)

    headings = HEADINGS[language]
    if rng.random() < 0.6:
        spoken = rng.sample(SPOKEN[language], min(len(SPOKEN[language]), rng.randint(2, 3)))
        person.extras.append(
            Extra("languages", rng.choice(headings["languages"]), [f"{a} – {b}" for a, b in spoken])
        )
    if rng.random() < 0.4:
        person.extras.append(
            Extra("interests", rng.choice(headings["interests"]), [INTERESTS[language]])
        )
    if rng.random() < 0.25:
        person.extras.append(
            Extra(
                "awards",
                rng.choice(headings["awards"]),
                [f"{AWARDS[language]} ({rng.randint(2015, 2024)})"],
            )
        )
    person.headings = {key: rng.choice(values) for key, values in headings.items()}
    # Drawn from Faker's own generator, so that the people without them stay as they were.
    if fake.random.random() < 0.2:
        papers = _papers(fake.random, fake, last)
        person.extras.append(Extra("publications", person.headings["publications"], papers))
    return person


def _papers(rng: random.Random, fake: Faker, surname: str) -> list[str]:
    """Two to four citations in one of the common styles: "Author, A., & Other, B. (2021).
    Title. Venue, 12(3), 45–67.", numbered, or the title first."""
    style = rng.choice(("apa", "numbered", "title-first"))
    out = []
    for number in range(rng.randint(2, 4)):
        authors = [f"{surname}, {fake.first_name()[:1]}."]
        authors += [
            f"{fake.last_name()}, {fake.first_name()[:1]}." for _ in range(rng.randint(0, 2))
        ]
        names = ", ".join(authors[:-1]) + f", & {authors[-1]}" if len(authors) > 1 else authors[0]
        topic, area = rng.choice(PAPER_TOPICS), rng.choice(AREAS["en"])
        title = rng.choice(PAPER_FRAMES).format(topic=topic, area=area)
        venue = rng.choice(VENUES).format(topic=topic, area=area)
        year = rng.randint(2012, 2025)
        volume, first_page = rng.randint(1, 40), rng.randint(1, 300)
        pages = f"{volume}({rng.randint(1, 4)}), {first_page}–{first_page + rng.randint(8, 30)}"
        if style == "apa":
            out.append(f"{names} ({year}). {title}. {venue}, {pages}.")
        elif style == "numbered":
            out.append(f"[{number + 1}] {names} {title}. {venue}, {year}.")
        else:
            out.append(f"{title}. {names} {venue}, {year}.")
    return out
