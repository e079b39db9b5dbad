"""A generated, tagged set of Finnish and Swedish comments of a municipal consultation,
for measuring suggested themes and keywords (tests/analysis/test_suggestions.py,
test_keywords.py) without any resident's text.

Six themes typical of a municipality's service-network consultation: bus stops and
traffic, schools, the health centre, the library, roads in winter, parks and nature.
Each comment is a few sentences: one or two about its theme, written from varied
templates with inflected words ("pysäkki", "pysäkille", "pysäkeillä"; "hållplatsen",
"hållplatser"), general sentences every theme shares (the municipality, money, families,
the village), and often a passing mention of another theme ("koulubussi", "children at
the library"), so that no single word tells a theme. Words are shared between themes
on purpose: "lapset" (schools, library, parks), "pyörätie" (traffic, winter), "talvi".

Deterministic: ``comments(language, n, seed)`` gives the same list for the same input.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

THEMES = ("traffic", "schools", "health", "library", "winter", "nature")


@dataclass(frozen=True)
class GeneratedComment:
    text: str
    language: str
    theme: str


# Words and phrases of each theme, in the forms a sentence needs (any case, any number).
# fmt: off
_TERMS = {
    "fi": {
        "traffic": [
            "bussipysäkki", "bussipysäkille", "pysäkin katos", "pysäkeillä", "linja-autot",
            "bussivuorot", "vuoroja", "aikataulu", "aikatauluja", "suojatie", "suojatiellä",
            "nopeusrajoitus", "ylinopeudet", "risteyksessä", "liikennevalot", "liikenne",
            "autoilijat", "pyörätie", "jalankulkijat", "kaupunkiin kulkeva bussi",
        ],
        "schools": [
            "koulu", "koulussa", "kouluun", "oppilaat", "oppilaiden", "opettajat",
            "opettajia", "luokkakoot", "kouluruoka", "koulumatka", "koulumatkat",
            "koulurakennus", "opetus", "opetusta", "välitunnit", "lapset", "erityisopetus",
            "lukio", "alakoulun", "koulun piha",
        ],
        "health": [
            "terveysasema", "terveysasemalla", "terveysasemalle", "lääkäri", "lääkärille",
            "lääkäriaika", "hoitaja", "hoitajan vastaanotto", "jonot", "päivystys",
            "päivystykseen", "hammaslääkäri", "ajanvaraus", "potilaat", "hoitoon",
            "neuvola", "ikäihmiset", "laboratorio", "reseptit", "vastaanotolle",
        ],
        "library": [
            "kirjasto", "kirjastossa", "kirjastoon", "kirjat", "kirjoja", "lainaaminen",
            "aukioloajat", "aukioloaikoja", "lukusali", "satutunti", "lehdet",
            "kirjastoauto", "e-kirjat", "lukupiiri", "kirjaston tapahtumat", "lapset",
            "kirjastonhoitaja", "omatoimikirjasto", "äänikirjat", "lehtilukusali",
        ],
        "winter": [
            "lumi", "lunta", "auraus", "aurataan", "aura-auto", "hiekoitus",
            "hiekoittamaton", "liukkaus", "liukkaat kadut", "jäinen", "pyörätie",
            "talvikunnossapito", "polanne", "lumikasat", "lumivallit", "talvella",
            "jalkakäytävät", "katujen auraus", "sohjo", "jäätä",
        ],
        "nature": [
            "puisto", "puistossa", "metsä", "metsää", "luonto", "luontoa", "roskat",
            "roskia", "kierrätys", "kierrätyspiste", "ranta", "rannalla", "järvi",
            "viheralueet", "puut", "hakkuut", "linnut", "uimaranta", "lapset", "luontopolku",
        ],
    },
    "sv": {
        "traffic": [
            "busshållplatsen", "hållplatsen", "hållplatser", "väderskyddet", "bussarna",
            "bussturerna", "turer", "tidtabellen", "tidtabeller", "övergångsstället",
            "hastighetsbegränsningen", "fortkörning", "korsningen", "trafikljusen",
            "trafiken", "bilisterna", "cykelvägen", "fotgängare", "bussen till staden",
            "trafiksäkerheten",
        ],
        "schools": [
            "skolan", "skolor", "eleverna", "elevernas", "lärarna", "lärare",
            "klasstorlekarna", "skolmaten", "skolvägen", "skolvägar", "skolbyggnaden",
            "undervisningen", "rasterna", "barnen", "specialundervisning", "gymnasiet",
            "lågstadiet", "skolgården", "klassrummen", "läxhjälp",
        ],
        "health": [
            "hälsocentralen", "hälsostationen", "läkaren", "läkare", "läkartid",
            "sjukskötaren", "mottagningen", "köerna", "jouren", "tandläkaren",
            "tidsbokningen", "patienterna", "vården", "rådgivningen", "de äldre",
            "laboratoriet", "recepten", "vårdtiden", "hälsovården", "sjukvården",
        ],
        "library": [
            "biblioteket", "bibliotek", "böckerna", "böcker", "lån", "öppettiderna",
            "läsesalen", "sagostunden", "tidningarna", "bokbussen", "e-böckerna",
            "läsecirkeln", "bibliotekets evenemang", "barnen", "bibliotekarien",
            "meröppet bibliotek", "ljudböcker", "tidskrifter", "boklån", "lånekortet",
        ],
        "winter": [
            "snön", "snö", "plogningen", "plogas", "plogbilen", "sandningen", "osandade",
            "halkan", "hala gator", "isiga", "cykelvägen", "vinterunderhållet", "vintern",
            "snövallarna", "snöhögarna", "på vintern", "trottoarerna", "gatornas plogning",
            "snömodd", "isen",
        ],
        "nature": [
            "parken", "parker", "skogen", "skogar", "naturen", "skräpet", "skräp",
            "återvinningen", "återvinningsstationen", "stranden", "sjön", "grönområdena",
            "träden", "avverkningarna", "fåglarna", "badstranden", "barnen", "naturstigen",
            "strandängen", "grönområden",
        ],
    },
}
# fmt: on

# Sentences about a theme: {a} and {b} are two of its terms.
_THEME_SENTENCES = {
    "fi": [
        "Minusta {a} on tärkeä asia koko kunnalle.",
        "Toivon, että {a} otetaan huomioon päätöksessä.",
        "{a} ja {b} ovat olleet huonossa kunnossa jo vuosia.",
        "Kylällämme {a} ei toimi, ja asukkaat ovat tyytymättömiä.",
        "Kunnan pitäisi käyttää enemmän rahaa, kun on kyse asiasta {a}.",
        "Ikäihmisille {a} on erityisen tärkeä, samoin {b}.",
        "Perheet kaipaavat parannusta: {a}, {b}.",
        "Olen asunut täällä kaksikymmentä vuotta, eikä {a} ole parantunut.",
        "Kiitos, {a} on parantunut viime vuosina, mutta {b} ei.",
        "Ehdotan, että {a} ja {b} suunnitellaan uudelleen.",
        "Miksi {a} on aina viimeisenä listalla?",
        "Meidän perheellemme {a} ja {b} ovat arkea joka päivä.",
        "Päättäjien kannattaisi käydä katsomassa, miten {a} oikeasti toimii.",
        "Keskustassa {a} on kunnossa, mutta kylillä {b} unohdetaan.",
    ],
    "sv": [
        "Jag tycker att {a} är viktig för hela kommunen.",
        "Jag hoppas att man tänker på {a} i beslutet.",
        "{a} och {b} har varit i dåligt skick i flera år.",
        "I vår by fungerar inte {a}, och invånarna är missnöjda.",
        "Kommunen borde satsa mer pengar på {a}.",
        "För äldre personer är {a} särskilt viktig, liksom {b}.",
        "Familjerna behöver förbättringar: {a}, {b}.",
        "Jag har bott här i tjugo år och {a} har inte blivit bättre.",
        "Tack, {a} har blivit bättre de senaste åren, men inte {b}.",
        "Jag föreslår att {a} och {b} planeras om.",
        "Varför kommer {a} alltid sist på listan?",
        "För vår familj är {a} och {b} vardag varje dag.",
        "Beslutsfattarna borde komma och se hur {a} fungerar i verkligheten.",
        "I centrum är {a} i skick, men i byarna glöms {b} bort.",
    ],
}

# Sentences of any theme: the municipality, money, the village, feelings.
_GENERAL = {
    "fi": [
        "Kunnan talous on tiukalla, sen ymmärrän.",
        "Asukkaiden mielipiteitä pitäisi kuunnella enemmän.",
        "Tämä kysely on hyvä asia.",
        "Päätös vaikuttaa koko kylän elämään.",
        "Nuoret muuttavat pois, jos palvelut heikkenevät.",
        "Toivottavasti valtuusto lukee nämä kommentit.",
        "Olen huolissani tulevaisuudesta.",
        "Säästöt eivät saa osua heikoimpiin.",
        "Kiitos mahdollisuudesta kommentoida.",
        "Tästä on puhuttu kylällä paljon.",
        "Rahaa löytyy kyllä, kun sitä halutaan.",
        "Muissa kunnissa asia on hoidettu paremmin.",
    ],
    "sv": [
        "Kommunens ekonomi är stram, det förstår jag.",
        "Invånarnas åsikter borde lyssnas på mer.",
        "Den här enkäten är en bra sak.",
        "Beslutet påverkar livet i hela byn.",
        "De unga flyttar bort om servicen blir sämre.",
        "Jag hoppas att fullmäktige läser de här kommentarerna.",
        "Jag är orolig för framtiden.",
        "Inbesparingarna får inte drabba de svagaste.",
        "Tack för möjligheten att kommentera.",
        "Det här har diskuterats mycket i byn.",
        "Pengar finns nog när man vill.",
        "I andra kommuner har saken skötts bättre.",
    ],
}

# A passing mention of another theme: {a} is one of its terms.
_ASIDE = {
    "fi": [
        "Sivumennen sanoen myös {a} kaipaisi huomiota.",
        "{a} on toki myös tärkeä, mutta ei tärkein.",
        "Viime viikolla puhuimme naapurin kanssa myös asiasta {a}.",
    ],
    "sv": [
        "Förresten behöver också {a} uppmärksamhet.",
        "{a} är förstås också viktig, men inte viktigast.",
        "Förra veckan pratade vi med grannen också om {a}.",
    ],
}


def _capital(sentence: str) -> str:
    return sentence[:1].upper() + sentence[1:]


def comments(language: str, n: int = 400, *, seed: int = 18) -> list[GeneratedComment]:
    """``n`` comments in ``language`` ("fi" or "sv"), the themes in turn, shuffled."""
    rng = random.Random(f"{seed}-{language}")  # noqa: S311 - a fixed test set, no secret
    terms, own, general, aside = (
        _TERMS[language],
        _THEME_SENTENCES[language],
        _GENERAL[language],
        _ASIDE[language],
    )
    out = []
    for i in range(n):
        theme = THEMES[i % len(THEMES)]
        sentences = []
        for _ in range(rng.choice((1, 1, 2))):
            a, b = rng.sample(terms[theme], 2)
            sentences.append(_capital(rng.choice(own).format(a=a, b=b)))
        for _ in range(rng.choice((0, 1, 1, 2))):
            sentences.append(rng.choice(general))
        if rng.random() < 0.4:  # a passing mention of another theme
            other = rng.choice([t for t in THEMES if t != theme])
            sentences.append(_capital(rng.choice(aside).format(a=rng.choice(terms[other]))))
        rng.shuffle(sentences)
        out.append(GeneratedComment(" ".join(sentences), language, theme))
    rng.shuffle(out)
    return out
