"""The word tables of attribution: reporting verbs, pronouns, the words that end a party's name.

One table each, used by the source finder and by the claims linker.
"""

from __future__ import annotations

# Finite and participle forms of the reporting verbs (zeggen, melden, ...) and of the opinion
# verbs that report a stated view. Separable verbs are listed by their finite part; the
# particle is allowed after the subject ("laat X weten", "maakte X bekend").
REPORTING_VERBS: frozenset[str] = frozenset(
    """
    zegt zeggen zei zeiden zeg meldt melden meldde meldden schrijft schrijven schreef
    schreven vertelt vertellen vertelde vertelden verklaart verklaren verklaarde
    verklaarden stelt stellen stelde stelden bevestigt bevestigen bevestigde bevestigden
    waarschuwt waarschuwen waarschuwde waarschuwden erkent erkennen erkende erkenden
    benadrukt benadrukken benadrukte benadrukten claimt claimen claimde claimden schat
    schatten schatte noemt noemen noemde noemden ontkent ontkennen ontkende ontkenden
    vindt vinden vond vonden meent menen meende meenden concludeert concluderen
    concludeerde concludeerden beweert beweren beweerde beweerden onthult onthullen
    onthulde onthulden rapporteert rapporteren rapporteerde rapporteerden twittert
    twitterde antwoordt antwoordde zegde citeert citeren citeerde citeerden kopt koppen
    kopte kopten berichtte berichtten uitte uitten uiten omschrijft omschreef omschreven
    """.split()
)

# Separable and multi-word reporting verbs: finite part -> the particle that completes it.
SEPARABLE_VERBS: dict[str, frozenset[str]] = {
    "laat": frozenset({"weten"}),
    "laten": frozenset({"weten"}),
    "liet": frozenset({"weten"}),
    "lieten": frozenset({"weten"}),
    "maakt": frozenset({"bekend"}),
    "maken": frozenset({"bekend"}),
    "maakte": frozenset({"bekend"}),
    "maakten": frozenset({"bekend"}),
    "legt": frozenset({"uit"}),
    "leggen": frozenset({"uit"}),
    "legde": frozenset({"uit"}),
    "legden": frozenset({"uit"}),
    "geeft": frozenset({"aan"}),
    "geven": frozenset({"aan"}),
    "gaf": frozenset({"aan"}),
    "gaven": frozenset({"aan"}),
    "spreekt": frozenset({"van", "tegen"}),
    "spreken": frozenset({"van", "tegen"}),
    "sprak": frozenset({"van", "tegen"}),
    "spraken": frozenset({"van", "tegen"}),
    "kondigt": frozenset({"aan"}),
    "kondigen": frozenset({"aan"}),
    "kondigde": frozenset({"aan"}),
    "kondigden": frozenset({"aan"}),
    "roept": frozenset({"op"}),
    "roepen": frozenset({"op"}),
    "riep": frozenset({"op"}),
    "riepen": frozenset({"op"}),
    "zegt": frozenset({"toe"}),
    "zei": frozenset({"toe"}),
    "deelt": frozenset({"mee"}),
    "deelde": frozenset({"mee"}),
    "wijst": frozenset({"op"}),
    "wijzen": frozenset({"op"}),
    "wees": frozenset({"op"}),
    "voegt": frozenset({"toe"}),
    "voegde": frozenset({"toe"}),
    "voegden": frozenset({"toe"}),
}

# "uiten" reports only a view: "uitten hun zorgen", not "uitte zijn woede door te slaan".
VIEWS_UTTERED: frozenset[str] = frozenset(
    "zorgen zorg kritiek twijfels twijfel bezorgdheid verwijten bedenkingen steun".split()
)

# Verbs that name their speaker only right after a quote: `"...", vervolgt de eigenaar`.
QUOTE_VERBS: frozenset[str] = frozenset(
    """
    vervolgt vervolgde reageert reageerde verzucht verzuchtte beschrijft beschreef grapt
    grapte lacht lachte zucht zuchtte besluit besloot vult vulde
    """.split()
)

# Participles of the reporting verbs: "Dat heeft een woordvoerder gezegd", "X heeft ... gemeld".
REPORTING_PARTICIPLES: frozenset[str] = frozenset(
    """
    gezegd gemeld geschreven verteld verklaard gesteld bevestigd gewaarschuwd erkend
    benadrukt geclaimd geschat genoemd ontkend laten bekendgemaakt uitgelegd aangegeven
    vernomen meegedeeld toegezegd onthuld beweerd gerapporteerd aangekondigd geciteerd
    opgeroepen tegengesproken geuit berekend uitgerekend
    """.split()
)

AUXILIARIES: frozenset[str] = frozenset(
    ["heeft", "hebben", "had", "hadden", "is", "zijn", "was", "waren"]
)

# Before an auxiliary, these open a report in the perfect tense: "Dat heeft X gezegd".
PERFECT_OPENERS: frozenset[str] = frozenset(("dat", "dit", "zo", "wat", ","))

PERSONAL_PRONOUNS: frozenset[str] = frozenset(
    """
    hij zij ze hem haar hen hun wij we ik jij je u men
    """.split()
)

# Words that never belong to the name of a party: they end it, looking either way.
NAME_STOPS: frozenset[str] = frozenset(
    """
    dat die dit deze wat waar wie welke omdat maar en of want als terwijl nadat voordat
    hoewel zodat toen sinds tot totdat wanneer indien doordat zoals is zijn was waren
    wordt worden werd werden heeft hebben had hadden zal zullen zou zouden kan kunnen
    kon konden moet moeten moest moesten wil willen wilde wilden mag mogen mocht gaat
    gaan ging gingen komt komen kwam kwamen staat staan stond stonden lijkt lijken
    blijkt bleek blijft bleef krijgt kreeg doet deed zet zette niet geen ook nog al wel
    zelf zelfs eerder later nu dan toch echter namelijk inmiddels vandaag gisteren
    morgen maandag dinsdag woensdag donderdag vrijdag zaterdag zondag vorige vorig
    afgelopen onlangs opnieuw verder bovendien daarom daarnaast er hier daar in op tegen
    over met bij naar aan door tijdens om na uit onder boven zonder via per binnen
    buiten achter tussen tegenover sinds vanaf rond te zo vervolgens tevens eveneens hoe hoeveel
    waarom daarvoor daarna daardoor daarbij daarover hierover hiervoor erover
    ruim bijna ongeveer circa zo'n meer minder te
    """.split()
)

# Inside a party's name these join its parts ("minister van Financiën").
NAME_JOINS: frozenset[str] = frozenset(["van", "voor", "der", "den", "des", "von"])

# Particles inside a person's name ("Xan de Waard", "Ursula von der Leyen").
NAME_PARTICLES: frozenset[str] = frozenset(
    "de van der den von ter ten te la le du da al el bin".split()
)

# Before "van", these count the members of a party: "een van de bronnen", "twee van de daders".
COUNT_WORDS: frozenset[str] = frozenset("een één twee drie vier vijf geen elk ieder".split())

DETERMINERS: frozenset[str] = frozenset(
    """
    de het een zijn haar hun onze ons mijn deze die dit twee drie vier enkele meerdere
    """.split()
)

# "volgens" followed by one of these is no party: "volgens plan".
NOT_AGENTS_AFTER_VOLGENS: frozenset[str] = frozenset(
    """
    plan planning schema verwachting verwachtingen traditie afspraak afspraken regels
    wet protocol berekeningen schatting schattingen cijfers gegevens onderzoek peilingen
    peiling prognoses prognose ramingen raming data metingen meting rapport rapporten
    bronnen informatie bericht berichten berichtgeving artikel
    """.split()
)

# Nouns that credit a figure or a document to a party named after "van" ("cijfers van het CBS").
CREDITING_NOUNS: frozenset[str] = frozenset(
    """
    cijfers gegevens onderzoek schattingen schatting berekeningen rapport peiling
    peilingen prognoses raming ramingen data statistieken analyse metingen bronnen
    informatie berichtgeving uitspraken kritiek reactie
    """.split()
)

# ... and the endings of compounds that do the same ("seizoensstatistiek", "leefstijlmonitor").
CREDITING_SUFFIXES: tuple[str, ...] = (
    "cijfers", "statistiek", "monitor", "tellingen", "onderzoek", "rapport", "peiling",
    "begroting", "analyse", "gegevens", "enquête", "verslag",
)  # fmt: skip

# "blijkt uit X van Y", "staat in X van Y": the document's party is a source.
EVIDENTIAL_VERBS: frozenset[str] = frozenset("blijkt bleek blijken bleken staat stond".split())

# Nouns for what a party said: "een reactie van X, die zei": X says it, not the reaction.
STATEMENT_NOUNS: frozenset[str] = frozenset(
    "reactie brief verklaring tweet uitspraak kritiek oproep toespraak interview bericht".split()
)

# Focus words before a subject that opens its clause: "Ook de burgemeester noemde ...".
FOCUS_WORDS: frozenset[str] = frozenset("ook zelfs alleen vooral juist eveneens".split())

# Conjunctions that open a clause: the subject of a reporting verb comes after them.
CLAUSE_CONJUNCTIONS: frozenset[str] = frozenset(
    ["dat", "omdat", "maar", "terwijl", "nadat", "want", "en", "of"]
)

# Sentence openers that point back at the previous sentence's claim ("Dat meldt X.").
BACK_REFERENCES: frozenset[str] = frozenset(["dat", "dit", "zo"])

# Functions and titles that stand before a name and belong to the party's span ("premier Jan
# Jansen", "kinderarts Els de Boer"), and the endings of compounds that are titles too.
TITLES: frozenset[str] = frozenset(
    """
    premier minister staatssecretaris president vicepremier burgemeester wethouder
    gedeputeerde directeur topman topvrouw voorzitter woordvoerder hoogleraar professor
    arts advocaat advocate officier rechter trainer coach bondscoach aanvoerder kamerlid
    raadslid fractievoorzitter partijleider ceo cfo bestuurder commissaris gouverneur
    ambassadeur generaal commandant onderzoeker econoom analist deskundige expert
    hoofdredacteur redacteur correspondent verslaggever chef baas eigenaar oprichter
    politicus senator koning koningin prins paus bisschop dominee imam rabbijn
    ombudsman inspecteur burgervader
    """.split()
)
TITLE_ENDINGS: tuple[str, ...] = (
    "woordvoerder", "woordvoerster", "directeur", "voorzitter", "minister", "arts", "leider",
    "president", "secretaris", "commissaris", "coach", "trainer", "deskundige", "topman",
)  # fmt: skip
# ... but not these, which end like one: "achterwaarts", "huiswaarts" are no "arts".
NOT_TITLE_ENDINGS: tuple[str, ...] = ("waarts",)

# Before a noun naming a person or a group these are its determiner ("volgens haar advocaat"),
# otherwise a pronoun standing for the party ("volgens haar").
POSSESSIVE_PRONOUNS: frozenset[str] = frozenset(["haar", "hun"])
PARTY_NOUNS: frozenset[str] = frozenset(
    """
    moeder vader ouders familie partij club team ploeg bedrijf vrouw man zoon dochter broer
    zus collega collega's baas raadsman raadsvrouw advocaten woordvoerders dokter zaakwaarnemer
    manager management achterban fractie organisatie bond vakbond werkgever
    """.split()
)
PARTY_NOUN_ENDINGS: tuple[str, ...] = ("aten", "ers", "isten", "anten", "enten", "eurs")

# A ministry's portfolio after "van" is part of the title, "en" and commas included.
PORTFOLIOS: tuple[tuple[str, ...], ...] = tuple(
    tuple(name.lower().replace(",", " ,").split())
    for name in sorted(
        [
            "Justitie en Veiligheid", "Volksgezondheid, Welzijn en Sport",
            "Economische Zaken en Klimaat", "Infrastructuur en Waterstaat",
            "Onderwijs, Cultuur en Wetenschap", "Binnenlandse Zaken en Koninkrijksrelaties",
            "Sociale Zaken en Werkgelegenheid", "Landbouw, Natuur en Voedselkwaliteit",
            "Landbouw, Visserij, Voedselzekerheid en Natuur", "Klimaat en Groene Groei",
            "Volkshuisvesting en Ruimtelijke Ordening", "Asiel en Migratie",
            "Buitenlandse Handel en Ontwikkelingshulp", "Klimaat en Energie",
            "Buitenlandse Handel en Ontwikkelingssamenwerking", "Medische Zorg en Sport",
            "Jeugd, Preventie en Sport", "Primair en Voortgezet Onderwijs",
            "Armoedebeleid, Participatie en Pensioenen", "Veiligheid en Justitie",
        ],
        key=len,
        reverse=True,
    )
)  # fmt: skip

# Negated reporting is no attribution: "kan niet zeggen", "wil ze niet zeggen", "zei niets".
NEGATIONS_BEFORE: frozenset[str] = frozenset(["niet", "nooit", "geen"])
NEGATIONS_AFTER: frozenset[str] = frozenset(["niets", "niks", "weinig"])

# Indefinite pronouns and quantifiers after a reporting verb are its object, never an inverted
# subject: "Dat zegt veel", "Dat zegt alles over hem", "Het zegt iets over de zaak".
INDEFINITES: frozenset[str] = NEGATIONS_AFTER | frozenset(
    """
    veel alles iets genoeg meer minder wat niemand evenveel zoveel zo'n dergelijks
    allerlei vanalles
    """.split()
)

# Nominalisations that "verklaren" explains, as its object after "Dat" or "Dit" ("Dat
# verklaart de stijging"), unlike a party that declares it ("Dat verklaarde de regering").
EXPLAINED_ENDINGS: tuple[str, ...] = ("ing", "heid", "groei", "name", "val", "stand")
NOT_EXPLAINED: frozenset[str] = frozenset(
    "regering stichting vereniging leiding beweging directie overheid".split()
)

# "toevoegen" reports only with what it adds said after it ("voegde eraan toe dat ...",
# "voegt toe: ...") or with a quote right before it; "voegt zout toe" adds a thing.
ADDING_VERBS: frozenset[str] = frozenset(["voegt", "voegde", "voegden"])

# Before a finite part, these make it an infinitive: "heeft laten weten", "zal bekendmaken".
VERB_HELPERS: frozenset[str] = AUXILIARIES | frozenset(
    "zal zullen zou zouden kan kunnen kon konden moet moeten moest wil wilde".split()
)

# Documents and reports whose party is named after "in" or "van": "na een bericht in Het
# Parool", "volgens een artikel van NRC".
REPORT_NOUNS: frozenset[str] = frozenset(
    "bericht berichten berichtgeving artikel publicatie reportage uitzending".split()
)
