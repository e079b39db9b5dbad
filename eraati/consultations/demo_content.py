"""The words of the demo: the pilot region's organisations, people, topics and comments.

Kept apart from ``demo.py`` (which writes them) so that the texts read as a document.
Everything here is invented for the demonstration (people, e-mail addresses, phone
numbers, case numbers); the themes come from the pilot's source documents (digital
support events, virtual service points, library services, health-centre hours in a
joint authority). The staff's work is here too: hidden comments with their reasons,
themes, key comments, paper feedback, summaries and published results.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from eraati.organisations.models import OrganisationKind, Role

PASSWORD = "Kalakukko-Savo-2026"  # noqa: S105 - the published demo password

ORGANISATIONS = [
    # slug, kind, fi, sv, en, languages
    (
        "ylasavon-sote",
        OrganisationKind.JOINT_AUTHORITY,
        "Ylä-Savon SOTE kuntayhtymä",
        "Samkommunen Ylä-Savon SOTE",
        "Ylä-Savo Joint Authority for Health and Social Services",
        "fi,sv",
    ),
    (
        "iisalmi",
        OrganisationKind.MUNICIPALITY,
        "Iisalmen kaupunki",
        "Idensalmi stad",
        "City of Iisalmi",
        "fi",
    ),
    (
        "vierema",
        OrganisationKind.MUNICIPALITY,
        "Vieremän kunta",
        "Vieremä kommun",
        "Municipality of Vieremä",
        "fi",
    ),
    (
        "keitele",
        OrganisationKind.MUNICIPALITY,
        "Keiteleen kunta",
        "Keitele kommun",
        "Municipality of Keitele",
        "fi",
    ),
    (
        "pielavesi",
        OrganisationKind.MUNICIPALITY,
        "Pielaveden kunta",
        "Pielavesi kommun",
        "Municipality of Pielavesi",
        "fi",
    ),
    (
        "tervo",
        OrganisationKind.MUNICIPALITY,
        "Tervon kunta",
        "Tervo kommun",
        "Municipality of Tervo",
        "fi",
    ),
    (
        "vesanto",
        OrganisationKind.MUNICIPALITY,
        "Vesannon kunta",
        "Vesanto kommun",
        "Municipality of Vesanto",
        "fi",
    ),
]

# Contact details shown on each organisation's page: e-mail, phone, website.
CONTACTS = {
    "ylasavon-sote": (
        "kirjaamo@ylasavonsote.example.fi", "017 555 0100", "https://www.ylasavonsote.example.fi"
    ),
    "iisalmi": ("kirjaamo@iisalmi.example.fi", "017 555 0200", "https://www.iisalmi.example.fi"),
    "vierema": ("kunta@vierema.example.fi", "017 555 0300", "https://www.vierema.example.fi"),
    "keitele": ("kunta@keitele.example.fi", "017 555 0400", "https://www.keitele.example.fi"),
    "pielavesi": (
        "kirjaamo@pielavesi.example.fi", "017 555 0500", "https://www.pielavesi.example.fi"
    ),
    "tervo": ("kunta@tervo.example.fi", "017 555 0600", "https://www.tervo.example.fi"),
    "vesanto": ("kunta@vesanto.example.fi", "017 555 0700", "https://www.vesanto.example.fi"),
}  # fmt: skip

# Reports that hide a comment until a moderator looks at it.
FLAG_THRESHOLD = 3

# The member municipalities of a joint authority (those of the pilot that are in the demo;
# Kiuruvesi and Sonkajärvi are members too but not in the pilot).
# Sites allowed to show an organisation's consultation card in a frame (its settings).
EMBED_ORIGINS = {"iisalmi": ["https://www.iisalmi.example.fi"]}

MEMBERS = {"ylasavon-sote": ("iisalmi", "vierema")}

# Statistics Finland codes (eraati/organisations/data/municipalities.csv): the
# municipalities' own, and the joint authority's member municipalities, also those with no
# pages here (Ylä-Savon SOTE: Iisalmi, Kiuruvesi, Sonkajärvi and Vieremä).
MUNICIPALITY_CODES = {
    "iisalmi": "140",
    "vierema": "925",
    "keitele": "239",
    "pielavesi": "595",
    "tervo": "844",
    "vesanto": "921",
}
MEMBER_MUNICIPALITIES = {"ylasavon-sote": ("140", "263", "762", "925")}
# Residents' home municipalities: their home organisation's code, but every seventh from
# the fourth lives in Kiuruvesi, from the sixth in Sonkajärvi, and from the seventh has
# not told (the results by municipality then show small groups hidden).
HOME_CODE_CYCLE = {3: "263", 5: "762", 6: None}


@dataclass(frozen=True)
class Person:
    key: str
    email: str
    name: str
    home: str  # organisation slug
    locale: str = "fi"
    roles: tuple[tuple[str, Role], ...] = ()
    platform_admin: bool = False
    label: str = ""  # what the log-in table says about this person


STAFF = [
    Person("asukas", "asukas@example.fi", "Sanna Nieminen", "vierema",
           label="resident of Vieremä (comments, votes, follows)"),
    Person("moderaattori", "moderaattori@example.fi", "Mervi Moilanen", "keitele",
           roles=(("keitele", Role.MODERATOR),), label="moderator, Keitele"),
    Person("moderaattori_tervo", "moderaattori.tervo@example.fi", "Eija Kokkonen", "tervo",
           roles=(("tervo", Role.MODERATOR),), label="moderator, Tervo"),
    Person("valmistelija", "valmistelija@example.fi", "Jari Pitkänen", "iisalmi",
           roles=(("ylasavon-sote", Role.PREPARER),), label="preparer, Ylä-Savon SOTE"),
    Person("paakayttaja", "paakayttaja@example.fi", "Tiina Kauppinen", "iisalmi",
           roles=(("iisalmi", Role.ADMIN),), label="organisation admin, Iisalmi"),
    Person("yllapito", "yllapito@example.fi", "eRaati-ylläpito", "iisalmi",
           platform_admin=True, label="platform admin"),
]  # fmt: skip

# The other organisations' staff: not in the short log-in list of ``make run``
# (``flask eraati seed-demo --list`` shows them). Same password.
OTHER_STAFF = [
    Person("paakayttaja_keitele", "paakayttaja.keitele@example.fi", "Anne Hakkarainen",
           "keitele", roles=(("keitele", Role.ADMIN),), label="organisation admin, Keitele"),
    Person("paakayttaja_vierema", "paakayttaja.vierema@example.fi", "Markku Kinnunen",
           "vierema", roles=(("vierema", Role.ADMIN),), label="organisation admin, Vieremä"),
    Person("moderaattori_vierema", "moderaattori.vierema@example.fi", "Riikka Huttunen",
           "vierema", roles=(("vierema", Role.MODERATOR),), label="moderator, Vieremä"),
    Person("paakayttaja_sote", "paakayttaja.sote@example.fi", "Katja Vartiainen", "iisalmi",
           roles=(("ylasavon-sote", Role.ADMIN),), label="organisation admin, Ylä-Savon SOTE"),
    Person("moderaattori_sote", "moderaattori.sote@example.fi", "Hanna Jääskeläinen",
           "vierema", roles=(("ylasavon-sote", Role.MODERATOR),),
           label="moderator, Ylä-Savon SOTE"),
    Person("valmistelija_keitele", "valmistelija.keitele@example.fi", "Jari Tikkanen",
           "keitele", roles=(("keitele", Role.PREPARER),), label="preparer, Keitele"),
    Person("moderaattori_iisalmi", "moderaattori.iisalmi@example.fi", "Pasi Turunen",
           "iisalmi", roles=(("iisalmi", Role.MODERATOR),), label="moderator, Iisalmi"),
    Person("moderaattori_nilakka", "moderaattori.nilakka@example.fi", "Satu Rissanen",
           "pielavesi", roles=(("pielavesi", Role.MODERATOR), ("vesanto", Role.MODERATOR)),
           label="moderator, Pielavesi and Vesanto"),
]  # fmt: skip

RESIDENTS = [
    Person("aino", "aino.rasanen@example.fi", "Aino Räsänen", "iisalmi"),
    Person("pekka", "pekka.karkkainen@example.fi", "Pekka Kärkkäinen", "vierema"),
    Person("leena", "leena.hyvonen@example.fi", "Leena Hyvönen", "keitele"),
    Person("matti", "matti.vaisanen@example.fi", "Matti Väisänen", "pielavesi"),
    Person("sirpa", "sirpa.tikkanen@example.fi", "Sirpa Tikkanen", "tervo"),
    Person("juha", "juha.partanen@example.fi", "Juha Partanen", "vesanto"),
    Person("eeva", "eeva.miettinen@example.fi", "Eeva Miettinen", "iisalmi"),
    Person("kalle", "kalle.heiskanen@example.fi", "Kalle Heiskanen", "vierema"),
    Person("marjatta", "marjatta.korhonen@example.fi", "Marjatta Korhonen", "pielavesi"),
    Person("tuomas", "tuomas.ruotsalainen@example.fi", "Tuomas Ruotsalainen", "keitele"),
    Person("helena", "helena.lappalainen@example.fi", "Helena Lappalainen", "vesanto"),
    Person("ville", "ville.savolainen@example.fi", "Ville Savolainen", "tervo"),
    Person("anna", "anna-maria.lindqvist@example.fi", "Anna-Maria Lindqvist", "iisalmi", "sv"),
    Person("erik", "erik.holm@example.fi", "Erik Holm", "vierema", "sv"),
    Person("oona", "oona.hamalainen@example.fi", "Oona Hämäläinen", "iisalmi", "en"),
    Person("reijo", "reijo.nissinen@example.fi", "Reijo Nissinen", "keitele"),
]


@dataclass
class C:
    """A demo comment: ``author`` is a person's key, ``None`` for paper/event feedback.

    The organisation's moderator (its admin when it has no moderator) did the staff work:
    hid it with reason template number ``reason`` (``status="hidden"``), approved it on a
    pre-moderated topic, entered it from paper (``place`` where it was received), tagged
    it with the topic's ``themes`` (indexes) and marked it ``key``. ``auto_hidden``: the
    ``flags`` hid it until a moderator looks (``status="pending"``). ``official``: a
    reply by staff member ``author`` in the organisation's name. ``block_days``: the
    author was also blocked from the organisation's topics for so many days."""

    author: str | None
    text: str
    replies: list[C] = field(default_factory=list)
    status: str = "visible"
    source: str = "web"
    nickname: str | None = None
    language: str = "fi"
    reason: int | None = None  # index into moderation.reasons.DEFAULT_REASONS
    flags: int = 0
    auto_hidden: bool = False
    themes: tuple[int, ...] = ()
    key: bool = False
    official: bool = False
    place: str | None = None
    block_days: int = 0
    block_reason: str = ""


@dataclass
class Q:
    kind: str  # single | multiple | open | scale | ranking
    texts: dict[str, str]
    options: list[dict[str, str]] = field(default_factory=list)
    exclusive: tuple[int, ...] = ()  # indexes of options chosen only alone ("none of these")
    # How likely each option of a single-choice question is drawn (equal when empty), so
    # that the answers bear out what the topic's summary and results say about them; of a
    # scale question, each value 1-5; of a ranking, how strongly each option draws to the top.
    weights: tuple[int, ...] = ()
    required: bool = True
    max_length: int | None = None  # open questions
    scale_labels: dict[str, dict[str, str]] | None = None  # {"low": {...}, "high": {...}}
    answers: tuple[str, ...] = ()  # open questions: what the demo respondents write


@dataclass
class R:
    """Published results: days from now, the minutes, and per language the decision's
    outcome and how the feedback was used."""

    published: int
    minutes_url: str
    texts: dict[str, tuple[str, str]]


# The summaries and results below may quote the topic's figures as ``{name}``; the demo
# fills them in from the rows it wrote (``demo.quoted_figures``), so a text never quotes a
# number the results pages and the report do not show:
#   {comments}           shown comments and replies, without official replies
#   {support} {oppose} {neutral}  stances on the proposal
#   {q0_respondents}     people who answered the first poll question (q1_... the second)
#   {q0_o0}              people who chose its first option (q0_o1 the second, ...)


@dataclass
class T:
    org: str
    slug: str
    status: str  # draft | open | closed | published
    opens: int  # days from now
    closes: int
    texts: dict[str, tuple[str, str, str]]  # locale -> (title, summary, body html)
    deciding_body: str | dict[str, str]  # a str: in the organisation's first language
    case_number: str
    decision_in: int | None = None  # planned decision date, days from now
    concerns: tuple[str, ...] = ()
    allow_anonymous: bool = False
    premoderated: bool = False
    offers_rating: bool = False  # "Rate comments", one at a time
    stances_enabled: bool = True
    questions: list[Q] = field(default_factory=list)
    comments: list[C] = field(default_factory=list)
    activity: float = 0.6  # share of residents who take a stance, answer, vote
    # Of ten stances drawn, how many support, oppose and are neutral (on average).
    stance_mix: tuple[int, int, int] = (5, 3, 2)
    themes: list[dict[str, str]] = field(default_factory=list)  # {"fi": ..., "sv": ...}
    summary: dict[str, str] = field(default_factory=dict)  # the moderator's, per language
    results: R | None = None  # decided on the planned decision date (``decision_in``)
    # Generated respondents who answer the survey besides the demo residents (accounts
    # vastaaja-NNN@example.fi; they take no other part).
    respondents: int = 0
    # The survey's background questions (consultations.background), which the generated
    # respondents answer (some skip them).
    background: tuple[str, ...] = ()

    def deciding_bodies(self, primary: str) -> dict[str, str]:
        body = self.deciding_body
        return dict(body) if isinstance(body, dict) else {primary: body}


def _o(fi: str, sv: str, en: str) -> dict[str, str]:
    return {"fi": fi, "sv": sv, "en": en}


SOTE_BOARD = {
    "fi": "Ylä-Savon SOTE kuntayhtymän hallitus",
    "sv": "Styrelsen för samkommunen Ylä-Savon SOTE",
}


TOPICS = [
    T(
        "ylasavon-sote", "terveysasemien-aukioloajat", "open", -12, 16,
        {
            "fi": (
                "Terveysasemien aukioloajat ja etävastaanotto 2027",
                "Ylä-Savon SOTE valmistelee terveysasemien aukioloaikoja vuodelle 2027. "
                "Kerro, milloin tarvitset vastaanottoa ja käyttäisitkö etävastaanottoa.",
                "<p>Ylä-Savon SOTE:n terveysasemat Iisalmessa, Vieremällä, Kiuruvedellä ja "
                "Sonkajärvellä ovat nyt auki arkisin kello 8–16. Iltavastaanotto on vain "
                "Iisalmessa.</p>"
                "<h2>Mitä valmistellaan</h2>"
                "<p>Hallitus päättää keväällä, miten aukioloajat järjestetään vuonna 2027. "
                "Vaihtoehtoja on kolme:</p>"
                "<ol><li><strong>Nykyinen malli</strong>: kaikki asemat auki arkisin 8–16.</li>"
                "<li><strong>Iltavastaanotot</strong>: jokainen asema auki kahtena iltana "
                "viikossa kello 19 asti, aamuisin myöhemmin.</li>"
                "<li><strong>Etävastaanotto</strong>: video- ja chat-vastaanotto arkisin "
                "8–20, asemat auki 8–16.</li></ol>"
                "<p>Kaikki mielipiteet luetaan ja niistä tehdään yhteenveto hallitukselle. "
                "Voit vastata myös paperilomakkeella terveysasemilla ja kirjastoissa.</p>",
            ),
            "sv": (
                "Hälsostationernas öppettider och distansmottagning 2027",
                "Ylä-Savon SOTE bereder hälsostationernas öppettider för 2027. Berätta när "
                "du behöver mottagning och om du skulle använda distansmottagning.",
                "<p>Hälsostationerna i Idensalmi, Vieremä, Kiuruvesi och Sonkajärvi har i dag "
                "öppet vardagar kl. 8–16. Kvällsmottagning finns bara i Idensalmi.</p>"
                "<h2>Vad bereds</h2>"
                "<p>Styrelsen beslutar i vår hur öppettiderna ordnas 2027. Det finns tre "
                "alternativ:</p>"
                "<ol><li><strong>Nuvarande modell</strong>: alla stationer öppna vardagar "
                "8–16.</li>"
                "<li><strong>Kvällsmottagning</strong>: varje station öppen två kvällar i "
                "veckan till kl. 19.</li>"
                "<li><strong>Distansmottagning</strong>: video- och chattmottagning vardagar "
                "8–20, stationerna öppna 8–16.</li></ol>"
                "<p>Alla åsikter läses och sammanfattas för styrelsen.</p>",
            ),
        },
        SOTE_BOARD, "YSSOTE/412/2026", decision_in=60,
        concerns=("iisalmi", "vierema"), offers_rating=True,
        questions=[
            Q("single",
              _o("Mikä malli sopii sinulle parhaiten?", "Vilken modell passar dig bäst?",
                 "Which model suits you best?"),
              [_o("Nykyinen malli", "Nuvarande modell", "The current model"),
               _o("Iltavastaanotot", "Kvällsmottagning", "Evening appointments"),
               _o("Etävastaanotto", "Distansmottagning", "Remote appointments"),
               _o("En osaa sanoa", "Vet inte", "I cannot say")]),
            Q("multiple",
              _o("Mitä etäpalveluja käyttäisit?", "Vilka distanstjänster skulle du använda?",
                 "Which remote services would you use?"),
              [_o("Videovastaanotto", "Videomottagning", "Video appointment"),
               _o("Chat", "Chatt", "Chat"),
               _o("Puhelinvastaanotto", "Telefonmottagning", "Telephone appointment"),
               _o("En mitään näistä", "Inget av dessa", "None of these")],
              exclusive=(3,)),
        ],
        themes=[
            {"fi": "Vastaanottoajat illalla ja aamulla",
             "sv": "Mottagningstider på kvällen och morgonen"},
            {"fi": "Etävastaanotto ja digituki", "sv": "Distansmottagning och digitalt stöd"},
            {"fi": "Palvelu omalla kielellä", "sv": "Service på eget språk"},
            {"fi": "Matkat ja asiointi paikan päällä", "sv": "Resor och besök på plats"},
        ],
        comments=[
            C("pekka", "Vieremältä on Iisalmeen 25 kilometriä. Iltavastaanotto omalla asemalla "
              "olisi työssäkäyvälle paras, nyt pitää aina ottaa vapaata töistä.",
              [C("kalle", "Samaa mieltä. Kaksi iltaa viikossa riittäisi hyvin.", themes=(0,)),
               C("aino", "Iisalmessa iltavastaanotto on ollut ruuhkainen, joten lisää "
                 "iltavuoroja tarvitaan muuallekin.", themes=(0,))],
              themes=(0, 3), key=True),
            C("marjatta", "Minulla ei ole tietokonetta enkä osaa videopuheluita. Toivon, että "
              "puhelimella saa edelleen ajan ja että asemalle pääsee käymään.",
              [C("helena", "Kirjastossa on digitukea tiistaisin, sieltä saa apua "
                 "videovastaanoton kokeiluun.", themes=(1,)),
               C("moderaattori_sote", "Kiitos kommentista. Ajan voi varata jatkossakin "
                 "puhelimella, ja terveysasemalle pääsee käymään kaikissa vaihtoehdoissa. "
                 "Etävastaanotto tulisi lisäksi, ei käyntien tilalle.", official=True)],
              themes=(1, 3), key=True),
            C("oona", "Remote appointments in the evening would help families with small "
              "children a lot. Please make the chat available in English too.",
              language="en", themes=(0, 1, 2)),
            C("anna", "Det vore bra om distansmottagningen fanns på svenska också. Många "
              "äldre vill tala sitt eget språk med läkaren.", language="sv",
              replies=[C("moderaattori_sote", "Tack för kommentaren. Distansmottagningen "
                         "planeras på både finska och svenska, och en tid på svenska kan "
                         "alltid bokas per telefon.", language="sv", official=True)],
              themes=(2,)),
            C("eeva", "Etävastaanotto sopii reseptien uusimiseen ja laboratoriotulosten "
              "kysymiseen. Sairaana haluan silti käydä paikan päällä.", themes=(1, 3)),
            C("kalle", "Naapurini Eino Salahmelta on käynyt kolme kertaa päivystyksessä "
              "sydänvaivojen takia, koska Vieremällä ei ole iltavastaanottoa.",
              status="hidden", reason=1),
            C("juha", "Aamuvastaanotto kello 7 olisi maatalousyrittäjälle parempi kuin ilta.",
              themes=(0,)),
        ],
    ),
    T(
        "ylasavon-sote", "laboratorion-naytteenotto-kysely", "open", -6, 21,
        {
            "fi": (
                "Laboratorion näytteenotto 2027: kysely",
                "Ylä-Savon SOTE uudistaa laboratorion näytteenottoa. Vastaa lyhyeen "
                "kyselyyn: kerro, missä käyt ja mikä sinulle on tärkeintä.",
                "<p>Näytteenottopisteitä on nyt kuusi, ja osa niistä on auki vain kahtena "
                "aamuna viikossa. Vuodelle 2027 valmistellaan muutosta, jossa pienten "
                "pisteiden tilalle tulisi liikkuva näytteenottoauto ja suurimmat pisteet "
                "avattaisiin jo kello 7.</p>"
                "<p>Kyselyssä on neljä kysymystä. Vastaaminen vie noin kolme minuuttia. "
                "Vastauksia voi muuttaa kyselyn loppuun asti.</p>",
            ),
            "sv": (
                "Laboratoriets provtagning 2027: enkät",
                "Ylä-Savon SOTE förnyar laboratoriets provtagning. Svara på en kort enkät: "
                "berätta var du lämnar prov och vad som är viktigast för dig.",
                "<p>Det finns nu sex provtagningsställen, och en del av dem är öppna bara "
                "två morgnar i veckan. För 2027 bereds en ändring där en mobil "
                "provtagningsbil ersätter de små ställena och de största öppnar redan "
                "klockan 7.</p>"
                "<p>Enkäten har fyra frågor. Det tar ungefär tre minuter att svara. Du kan "
                "ändra dina svar så länge enkäten pågår.</p>",
            ),
        },
        SOTE_BOARD, "YSSOTE/455/2026", decision_in=75, concerns=("iisalmi", "vierema"),
        stances_enabled=False, activity=0.5, respondents=240,
        background=("age", "relation", "municipality"),
        questions=[
            Q("single",
              _o("Missä käyt yleensä näytteenotossa?", "Var lämnar du vanligen prov?",
                 "Where do you usually give samples?"),
              [_o("Iisalmi", "Idensalmi", "Iisalmi"),
               _o("Vieremä", "Vieremä", "Vieremä"),
               _o("Kiuruvesi", "Kiuruvesi", "Kiuruvesi"),
               _o("Sonkajärvi", "Sonkajärvi", "Sonkajärvi"),
               _o("En ole käynyt kahteen vuoteen", "Jag har inte lämnat prov på två år",
                  "I have not been in two years")],
              weights=(9, 4, 3, 2, 2)),
            Q("scale",
              _o("Kuinka tyytyväinen olet näytteenottoon nyt?",
                 "Hur nöjd är du med provtagningen nu?",
                 "How satisfied are you with sample collection now?"),
              weights=(2, 4, 7, 8, 3),
              scale_labels={
                  "low": _o("Erittäin tyytymätön", "Mycket missnöjd", "Very dissatisfied"),
                  "high": _o("Erittäin tyytyväinen", "Mycket nöjd", "Very satisfied"),
              }),
            Q("ranking",
              _o("Mikä näytteenotossa on sinulle tärkeintä? Järjestä tärkeimmästä alkaen.",
                 "Vad är viktigast för dig i provtagningen? Ordna från det viktigaste.",
                 "What matters most to you in sample collection? Rank from the most "
                 "important."),
              [_o("Piste lähellä kotia", "Nära hemmet", "Close to home"),
               _o("Aukeaa jo kello 7", "Öppnar redan klockan 7", "Opens at 7 a.m."),
               _o("Ajan voi varata verkossa", "Tid kan bokas på nätet", "Booking online"),
               _o("Lyhyt jonotus", "Kort kö", "Short queue")],
              weights=(8, 5, 3, 6)),
            Q("open",
              _o("Mitä muuta haluat sanoa laboratoriopalveluista?",
                 "Vad vill du annars säga om laboratorietjänsterna?",
                 "Anything else about the laboratory services?"),
              required=False, max_length=800,
              answers=(
                  "Aamuseitsemältä avautuva piste olisi loistava, ehtisi ennen töitä.",
                  "Vieremän piste on tärkeä, koska bussilla Iisalmeen pääsee vain kerran "
                  "päivässä.",
                  "Ajanvaraus verkossa toimii hyvin, mutta puhelinnumero pitää säilyttää "
                  "niille, jotka eivät käytä nettiä.",
                  "Näytteenottoauto voisi käydä kylällä vaikka kerran viikossa, se riittäisi.",
                  "Jonot ovat maanantaisin pitkiä. Lisää henkilökuntaa alkuviikkoon.",
                  "Paastonäytteen takia aikainen aamu on tärkein asia.",
                  "Det vore bra med service på svenska också i laboratoriet.",
                  "Pysäköinti Iisalmen pisteellä on hankalaa, lisää paikkoja "
                  "liikuntarajoitteisille.",
                  "Lasten näytteenottoon toivoisin omia aikoja, ettei tarvitse jonottaa.",
                  "Tekstiviestimuistutus edellisenä päivänä auttaisi muistamaan paaston.",
              )),
        ],
        comments=[
            C("aino", "Hyvä, että kysytte. Näytteenottoauto voisi käydä myös "
              "palvelutalojen pihoilla."),
            C("pekka", "Vieremän pisteen säilyttäminen on meille tärkeintä."),
        ],
    ),
    T(
        "ylasavon-sote", "kotihoidon-etahoiva", "closed", -60, -10,
        {
            "fi": (
                "Kotihoidon etähoiva ja digituki ikäihmisille",
                "Kotihoidossa kokeillaan kuvapuhelulla annettavaa etähoivaa. Kysyimme "
                "asiakkailta ja omaisilta, mikä kokeilussa toimi ja mikä ei.",
                "<p>Kotihoidon etähoivassa hoitaja soittaa asiakkaalle kuvapuhelun "
                "tabletilla sovittuna aikana, esimerkiksi lääkkeenoton muistuttamiseksi. "
                "Kokeilussa oli mukana 120 asiakasta Iisalmessa ja Vieremällä.</p>"
                "<p>Palautteen perusteella hallitus päättää, laajennetaanko etähoivaa koko "
                "alueelle.</p>",
            ),
            "sv": (
                "Distansvård inom hemvården och digitalt stöd för äldre",
                "Hemvården har prövat distansvård per videosamtal. Vi frågade klienter och "
                "anhöriga vad som fungerade.",
                "<p>I distansvården ringer vårdaren ett videosamtal till klienten vid en "
                "avtalad tid, till exempel för att påminna om mediciner. I försöket deltog "
                "120 klienter i Idensalmi och Vieremä.</p>",
            ),
        },
        SOTE_BOARD, "YSSOTE/233/2026", decision_in=20,
        concerns=("iisalmi", "vierema"),
        questions=[
            Q("single",
              _o("Pitäisikö etähoivaa laajentaa koko alueelle?",
                 "Borde distansvården utvidgas till hela området?",
                 "Should remote care be extended to the whole region?"),
              [_o("Kyllä", "Ja", "Yes"), _o("Ei", "Nej", "No"),
               _o("En osaa sanoa", "Vet inte", "I cannot say")],
              weights=(6, 2, 2)),
        ],
        stance_mix=(6, 1, 3),
        themes=[
            {"fi": "Turvallisuus ja arjen tuki", "sv": "Trygghet och stöd i vardagen"},
            {"fi": "Tekniikka ja nettiyhteydet", "sv": "Teknik och nätförbindelser"},
            {"fi": "Omaisten tiedonsaanti", "sv": "Anhörigas information"},
            {"fi": "Henkilökohtaiset käynnit", "sv": "Personliga besök"},
        ],
        comments=[
            C("aino", "Äitini on ollut kokeilussa mukana. Kuvapuhelu aamulla on tuonut "
              "turvallisuutta, mutta se ei saa korvata käyntejä kokonaan.",
              [C("eeva", "Meillä sama kokemus. Tabletin käyttö opittiin parissa viikossa.",
                 themes=(1,))],
              themes=(0, 3), key=True),
            C("kalle", "Huono nettiyhteys katkaisee puhelun usein. Kyliin tarvitaan ensin "
              "kunnon valokuitu.",
              [C("moderaattori_sote", "Kiitos palautteesta. Kokeilun tabletit käyttävät "
                 "mobiiliyhteyttä, ja katkokset kirjataan. Jos etähoiva laajenee, yhteydet "
                 "tarkistetaan jokaisen asiakkaan kotona ennen aloitusta.", official=True)],
              flags=1, themes=(1,)),
            C("juha", "Koko kokeilu on hoitajien laiskuutta, ja sen keksineet päättäjät "
              "ovat idiootteja.", status="hidden", reason=0),
            C("erik", "Min far tyckte om videosamtalen, men ibland kom samtalet en timme för "
              "sent.", language="sv", themes=(0,)),
            C(None, "Omaisena pidän tärkeänä, että saan itsekin tiedon, jos äiti ei vastaa "
              "kuvapuheluun.", source="paper", place="Vieremän terveysasema",
              themes=(2,), key=True),
            C("pekka", "Kokeilu oli hyvä. Laajentakaa se, mutta pitäkää puhelinnumero, "
              "johon saa aina ihmisen kiinni.", themes=(0, 3)),
        ],
        summary={
            "fi": "Etähoivaa pidettiin pääosin hyvänä: aamun kuvapuhelu tuo turvallisuutta ja "
                  "muistuttaa lääkkeistä, ja tabletin käyttö oppii nopeasti. Kolme asiaa "
                  "toistui kommenteissa ja paperilla annetussa palautteessa:\n\n"
                  "1. Etähoiva ei saa korvata kotikäyntejä kokonaan, ja puhelinnumero, josta "
                  "saa ihmisen kiinni, pitää säilyttää.\n"
                  "2. Kylien huono nettiyhteys katkaisee kuvapuheluita.\n"
                  "3. Omaiset haluavat tiedon, jos asiakas ei vastaa kuvapuheluun.\n\n"
                  "Lisäksi kerrottiin, että kuvapuhelu on tullut toisinaan tunnin myöhässä.\n\n"
                  "Kyselyyn vastasi {q0_respondents} asukasta. Heistä {q0_o0} laajentaisi "
                  "etähoivan koko alueelle, {q0_o1} ei laajentaisi ja {q0_o2} ei osannut "
                  "sanoa.",
            "sv": "Distansvården ansågs i huvudsak vara bra: morgonens videosamtal ger trygghet "
                  "och påminner om medicinerna, och det går snabbt att lära sig använda "
                  "surfplattan. Tre saker återkom i kommentarerna och i responsen på "
                  "papper:\n\n"
                  "1. Distansvården får inte helt ersätta hembesöken, och ett telefonnummer där "
                  "man når en människa ska finnas kvar.\n"
                  "2. Dåliga nätförbindelser i byarna bryter videosamtalen.\n"
                  "3. Anhöriga vill bli informerade om klienten inte svarar.\n\n"
                  "Dessutom berättades att videosamtalet ibland har kommit en timme för "
                  "sent.\n\n"
                  "Enkäten besvarades av {q0_respondents} invånare. Av dem ville {q0_o0} "
                  "utvidga distansvården till hela området, {q0_o1} ville inte det och "
                  "{q0_o2} kunde inte säga.",
        },
    ),
    T(
        "ylasavon-sote", "suun-terveydenhuollon-ajanvaraus", "published", -120, -80,
        {
            "fi": (
                "Suun terveydenhuollon ajanvaraus ja hammashoitolat",
                "Kysyimme, miten hammashoitolat ovat auki ja otetaanko käyttöön sähköinen "
                "ajanvaraus. Hallitus on tehnyt päätöksen, ja tulokset on julkaistu.",
                "<p>Ylä-Savon SOTE:n hammashoitolat ovat Iisalmessa, Vieremällä, "
                "Kiuruvedellä ja Sonkajärvellä. Aikaa varataan nyt vain puhelimella, ja "
                "Vieremän hoitola on auki kahtena päivänä viikossa.</p>"
                "<p>Hallitus päättää, otetaanko käyttöön sähköinen ajanvaraus ja miten "
                "hoitoloiden aukiolo järjestetään.</p>",
            ),
            "sv": (
                "Tidsbokning och tandkliniker inom munhälsovården",
                "Vi frågade hur tandklinikerna ska hålla öppet och om elektronisk "
                "tidsbokning ska tas i bruk. Styrelsen har fattat beslut och resultaten "
                "har publicerats.",
                "<p>Ylä-Savon SOTE har tandkliniker i Idensalmi, Vieremä, Kiuruvesi och "
                "Sonkajärvi. I dag bokas tider bara per telefon, och tandkliniken i Vieremä "
                "har öppet två dagar i veckan.</p>"
                "<p>Styrelsen beslutar om elektronisk tidsbokning ska tas i bruk och hur "
                "klinikernas öppettider ordnas.</p>",
            ),
        },
        SOTE_BOARD, "YSSOTE/98/2026", decision_in=-50,
        concerns=("iisalmi", "vierema"),
        questions=[
            Q("single",
              _o("Varaisitko hammaslääkäriajan verkossa?",
                 "Skulle du boka tandläkartid på nätet?",
                 "Would you book a dental appointment online?"),
              [_o("Kyllä", "Ja", "Yes"), _o("Ei", "Nej", "No"),
               _o("En osaa sanoa", "Vet inte", "I cannot say")],
              weights=(7, 2, 1)),
        ],
        stance_mix=(8, 1, 1),
        themes=[
            {"fi": "Sähköinen ajanvaraus", "sv": "Elektronisk tidsbokning"},
            {"fi": "Hoitoloiden aukiolo", "sv": "Klinikernas öppettider"},
            {"fi": "Palvelu ruotsiksi", "sv": "Service på svenska"},
        ],
        comments=[
            C("eeva", "Sähköinen ajanvaraus on ehdottomasti tarpeen. Puhelinjonossa menee "
              "joka kerta puoli tuntia.", themes=(0,), key=True),
            C("marjatta", "Puhelinajanvaraus pitää säilyttää meille, jotka eivät käytä "
              "nettiä.", themes=(0,)),
            C("pekka", "Vieremän hoitolan pitää olla auki useampana päivänä. Iisalmeen on "
              "pitkä matka särkevän hampaan kanssa.", themes=(1,), key=True,
              replies=[C("kalle", "Kiireellinen hoito pitää saada samana päivänä omassa "
                         "kunnassa.", themes=(1,))]),
            C("anna", "Det vore bra att kunna boka tid på svenska på nätet.", language="sv",
              themes=(0, 2)),
            C(None, "Hyvinvointipäivässä moni toivoi, että hoitola olisi auki myös yhtenä "
              "iltana viikossa.", source="event",
              place="Vieremän koulukeskus, hyvinvointipäivä", themes=(1,)),
        ],
        summary={
            "fi": "Kuulemisessa annettiin {comments} kommenttia ja vastausta, ja kyselyyn "
                  "vastasi {q0_respondents} asukasta. Heistä {q0_o0} varaisi "
                  "hammaslääkäriajan verkossa, {q0_o1} ei varaisi ja {q0_o2} ei osannut "
                  "sanoa.\n\n"
                  "Sähköistä ajanvarausta kannatettiin laajasti, mutta puhelinajanvaraus "
                  "haluttiin säilyttää niille, jotka eivät käytä verkkopalveluja. Vieremän "
                  "hoitolaan toivottiin lisää aukiolopäiviä ja kiireellistä hoitoa omaan "
                  "kuntaan. Ajanvarausta toivottiin myös ruotsiksi. Hyvinvointipäivässä "
                  "toivottiin iltavastaanottoa.",
            "sv": "I hörandet gavs {comments} kommentarer och svar, och enkäten besvarades "
                  "av {q0_respondents} invånare. Av dem skulle {q0_o0} boka tandläkartid på "
                  "nätet, {q0_o1} skulle inte göra det och {q0_o2} kunde inte säga.\n\n"
                  "Elektronisk tidsbokning fick brett stöd, men telefonbokningen ville man "
                  "behålla för dem som inte använder nättjänster. Man önskade fler öppetdagar "
                  "vid tandkliniken i Vieremä och akut vård i den egna kommunen. Tidsbokning "
                  "på svenska efterfrågades också. På välfärdsdagen önskades "
                  "kvällsmottagning.",
        },
        results=R(
            -40, "https://www.ylasavonsote.example.fi/poytakirjat/hallitus/2026-4",
            {
                "fi": (
                    "Hallitus päätti ottaa sähköisen ajanvarauksen käyttöön kaikissa "
                    "hammashoitoloissa syyskuusta 2026 alkaen. Puhelinajanvaraus jatkuu "
                    "ennallaan. Vieremän hammashoitola on auki kolmena päivänä viikossa, ja "
                    "kiireellinen hoito järjestetään arkisin samana päivänä.",
                    "Kyselyyn vastanneista {q0_respondents} asukkaasta {q0_o0} varaisi ajan "
                    "verkossa, joten sähköinen ajanvaraus otettiin käyttöön. "
                    "Kuulemisen perusteella puhelinajanvaraus säilytettiin sähköisen "
                    "rinnalla, ja Vieremän hoitolan aukiolo laajennettiin kahdesta päivästä "
                    "kolmeen. Sähköinen ajanvaraus toimii suomeksi ja ruotsiksi. Toivetta "
                    "iltavastaanotosta selvitetään vuoden 2027 talousarvion valmistelussa.",
                ),
                "sv": (
                    "Styrelsen beslutade att ta i bruk elektronisk tidsbokning vid alla "
                    "tandkliniker från och med september 2026. Telefonbokningen fortsätter "
                    "som tidigare. Tandkliniken i Vieremä har öppet tre dagar i veckan, och "
                    "akut vård ordnas samma dag på vardagar.",
                    "Av de {q0_respondents} invånare som svarade på enkäten skulle {q0_o0} "
                    "boka tid på nätet, och därför togs den elektroniska tidsbokningen i "
                    "bruk. Utifrån hörandet behölls telefonbokningen vid sidan av den "
                    "elektroniska, "
                    "och tandkliniken i Vieremä har nu öppet tre dagar i stället för två. Den "
                    "elektroniska tidsbokningen fungerar på finska och svenska. Önskemålet om "
                    "kvällsmottagning utreds i beredningen av budgeten för 2027.",
                ),
            },
        ),
    ),
    T(
        "iisalmi", "kirjaston-omatoimiaukiolo", "open", -5, 21,
        {
            "fi": (
                "Kirjaston omatoimiaukiolo lauantaisin ja sunnuntaisin",
                "Iisalmen kaupunginkirjasto voisi olla auki viikonloppuisin omatoimisesti "
                "kirjastokortilla ja PIN-koodilla. Mitä mieltä olet?",
                "<p>Omatoimikirjastossa ei ole henkilökuntaa paikalla, mutta lainaaminen, "
                "palauttaminen, lehtien lukeminen ja tietokoneiden käyttö onnistuu. Sisään "
                "pääsee kirjastokortilla ja PIN-koodilla.</p>"
                "<p>Kokeilu alkaisi maaliskuussa 2027. Kustannukset ovat noin 18 000 euroa "
                "vuodessa (kulunvalvonta ja vartiointi).</p>",
            )
        },
        "Sivistyslautakunta", "IIS/1187/2026", decision_in=45,
        questions=[
            Q("single",
              _o("Käyttäisitkö omatoimikirjastoa viikonloppuna?",
                 "Skulle du använda det självbetjänade biblioteket på veckoslutet?",
                 "Would you use the self-service library at weekends?"),
              [_o("Kyllä, usein", "Ja, ofta", "Yes, often"),
               _o("Joskus", "Ibland", "Sometimes"),
               _o("En", "Nej", "No")]),
        ],
        comments=[
            C("eeva", "Loistava ajatus! Arkena en ehdi kirjastoon ennen sulkemisaikaa.",
              [C("oona", "Same here. Saturday mornings would be perfect.", language="en")]),
            C("aino", "Entä turvallisuus? Toivottavasti kameravalvonta on kunnossa."),
            C("anna", "Bra förslag, men barnavdelningen borde ha personal åtminstone på "
              "lördagar.", language="sv"),
            C("ville", "Viikonloppuna kirjasto täyttyy samoista kaljaporukoista kuin "
              "rautatieasema. Ei kiitos.", status="pending", auto_hidden=True, flags=3),
        ],
    ),
    T(
        "iisalmi", "uimahallin-peruskorjaus", "open", 9, 40,
        {
            "fi": (
                "Uimahallin peruskorjaus ja uinnin väistötilat",
                "Iisalmen uimahalli peruskorjataan vuosina 2027–2028. Kuuleminen alkaa "
                "yhdeksän päivän kuluttua: aineisto on jo luettavissa.",
                "<p>Uimahallin altaat, ilmanvaihto ja pukuhuoneet uusitaan. Halli on "
                "kiinni noin vuoden. Koulujen uimaopetus ja seurojen vuorot siirtyvät "
                "naapurikuntien halleihin; kaupunki selvittää kuljetuksia.</p>"
                "<p>Kuulemisessa kysytään, mitkä vuorot ovat tärkeimpiä säilyttää ja "
                "millaisia kuljetuksia tarvitaan.</p>",
            )
        },
        "Tekninen lautakunta", "IIS/1302/2026", decision_in=75,
    ),
    T(
        "iisalmi", "keskustan-pyoratiet", "published", -90, -45,
        {
            "fi": (
                "Keskustan pyöräreitit ja talvikunnossapito",
                "Iisalmen keskustaan suunnitellaan yhtenäisiä pyöräreittejä. Kuulemisen "
                "tulokset ja tehty päätös on julkaistu.",
                "<p>Suunnitelmassa Savonkadulle ja Pohjolankadulle tehdään erotellut "
                "pyöräkaistat ja pyöräreittien talviaurausta nopeutetaan.</p>",
            )
        },
        "Tekninen lautakunta", "IIS/455/2026", decision_in=-20,
        comments=[
            C("eeva", "Talviauraus on tärkein asia. Pyöräilen ympäri vuoden."),
            C("aino", "Savonkadulla pyöräkaista on hyvä, mutta bussipysäkkien kohdalla "
              "tarvitaan selvät merkinnät."),
            C("oona", "Please add more bicycle parking near the railway station.",
              language="en"),
            C(None, "Kaupunginkirjaston kuulemistilaisuudessa toivottiin penkkejä "
              "pyöräreittien varrelle ikäihmisille.", source="event",
              place="Iisalmen kaupunginkirjasto, kuulemistilaisuus"),
        ],
        summary={
            "fi": "Kommenteissa toivottiin ennen kaikkea nopeaa talviaurausta ympäri vuoden "
                  "pyöräileville. Lisäksi toivottiin selviä merkintöjä Savonkadun "
                  "bussipysäkkien kohdalle, lisää pyöräpaikkoja rautatieasemalle ja "
                  "kuulemistilaisuudessa penkkejä reittien varrelle ikäihmisille.",
        },
        results=R(
            -14, "https://www.iisalmi.example.fi/poytakirjat/tekninen-lautakunta/2026-7",
            {"fi": (
                "Tekninen lautakunta hyväksyi keskustan pyöräreittisuunnitelman. Savonkadulle "
                "ja Pohjolankadulle tehdään erotellut pyöräkaistat vuosina 2027–2028, ja "
                "pyöräreitit aurataan talvella samassa kiireellisyysluokassa kuin pääkadut.",
                "Talviauraus oli kuulemisessa tärkein asia, ja pyöräreitit nostettiin "
                "ensimmäiseen aurausluokkaan. Bussipysäkkien kohdalle tehdään selvät "
                "merkinnät, rautatieaseman viereen tulee 40 uutta pyöräpaikkaa ja reittien "
                "varrelle penkkejä kuulemistilaisuuden toiveen mukaisesti.",
            )},
        ),
    ),
    T(
        "vierema", "koulukeskuksen-lahiliikuntapaikka", "open", -3, 25,
        {
            "fi": (
                "Koulukeskuksen lähiliikuntapaikka",
                "Vieremän koulukeskuksen pihalle rakennetaan lähiliikuntapaikka. Mitä sinne "
                "pitäisi tulla?",
                "<p>Lähiliikuntapaikka on kaikkien kuntalaisten käytössä koulupäivän "
                "jälkeen. Hankkeeseen haetaan valtionavustusta, ja kunnan osuus on "
                "enintään 120 000 euroa.</p>"
                "<p>Suunnitelmaluonnoksessa on monitoimikenttä, ulkokuntoiluvälineet ja "
                "skeittialue. Kerro, mitä pidät tärkeimpänä.</p>",
            )
        },
        "Vieremän kunnanhallitus", "VIE/302/2026", decision_in=50,
        questions=[
            Q("multiple",
              _o("Mitä lähiliikuntapaikalla pitäisi olla?",
                 "Vad borde finnas på närmotionsplatsen?",
                 "What should the local sports area have?"),
              [_o("Monitoimikenttä", "Mångsidig plan", "Multi-purpose court"),
               _o("Ulkokuntoiluvälineet", "Utegym", "Outdoor gym"),
               _o("Skeittialue", "Skateområde", "Skate park"),
               _o("Valaistu kävelyreitti", "Belyst promenadstig", "Lit walking path")]),
        ],
        comments=[
            C("pekka", "Valaistu kävelyreitti palvelisi myös meitä vanhempia talvella.",
              [C("asukas", "Kannatan. Pimeällä ei nyt ole turvallista paikkaa kävellä.")]),
            C("kalle", "Skeittialue pitää nuoret kylillä. Nyt lähdetään Iisalmeen."),
            C("erik", "En mångsidig plan som spolas till skridskobana på vintern vore bäst.",
              language="sv"),
        ],
    ),
    T(
        "vierema", "kylateiden-talvikunnossapito", "open", 5, 40,
        {
            "fi": (
                "Kyläteiden talvikunnossapidon avustukset",
                "Vieremä uudistaa yksityisteiden talvikunnossapidon avustuksia. Kuuleminen "
                "alkaa viiden päivän kuluttua.",
                "<p>Avustusten myöntämisperusteet uudistetaan vuodelle 2027.</p>",
            )
        },
        "Vieremän tekninen lautakunta", "VIE/341/2026", decision_in=70,
    ),
    T(
        "vierema", "kouluverkko-2028", "open", -4, 26,
        {
            "fi": (
                "Kyläkoulujen tulevaisuus ja kouluverkko 2028",
                "Vieremän oppilasmäärä pienenee. Jatkavatko kyläkoulut vai siirtyvätkö "
                "oppilaat koulukeskukseen syksyllä 2028? Kerro näkemyksesi.",
                "<p>Vieremän alakouluissa on nyt 280 oppilasta, ja ennusteen mukaan vuonna "
                "2030 heitä on noin 220. Kunnanhallitus on teettänyt selvityksen "
                "kouluverkon vaihtoehdoista.</p>"
                "<h2>Vaihtoehdot</h2>"
                "<ol><li><strong>Nykyinen kouluverkko</strong>: kaksi kyläkoulua ja "
                "koulukeskus jatkavat. Kustannukset oppilasta kohden kasvavat.</li>"
                "<li><strong>Yksi kyläkoulu</strong>: toinen kyläkouluista yhdistetään "
                "koulukeskukseen syksyllä 2028.</li>"
                "<li><strong>Kaikki oppilaat koulukeskukseen</strong> syksystä 2028. "
                "Koulukuljetuksia tarvitaan enemmän.</li></ol>"
                "<p>Aihe herättää paljon tunteita, joten kaikki kommentit tarkistetaan "
                "ennen julkaisua. Voit kommentoida myös nimimerkillä. Koulukeskuksessa "
                "järjestetään lisäksi asukasilta ennen päätöstä.</p>",
            )
        },
        "Vieremän kunnanvaltuusto", "VIE/288/2026", decision_in=75,
        allow_anonymous=True, premoderated=True,
        questions=[
            Q("single",
              _o("Mikä vaihtoehto on mielestäsi paras?", "Vilket alternativ är bäst enligt dig?",
                 "Which option do you think is best?"),
              [_o("Nykyinen kouluverkko", "Nuvarande skolnät", "The current school network"),
               _o("Yksi kyläkoulu", "En byskola", "One village school"),
               _o("Kaikki oppilaat koulukeskukseen", "Alla elever till skolcentret",
                  "All pupils to the school centre"),
               _o("En osaa sanoa", "Vet inte", "I cannot say")]),
        ],
        comments=[
            C("kalle", "Kyläkoulu on kylän sydän. Jos koulu lähtee, lähtevät lapsiperheetkin, "
              "eikä kylälle muuta enää kukaan.",
              [C("erik", "Håller med. Skolan är också byns samlingslokal på kvällarna.",
                 language="sv")]),
            C("pekka", "Koulukeskuksessa on uudet tilat ja enemmän valinnaisaineita. Kannatan "
              "yhdistämistä, vaikka päätös on vaikea."),
            C("asukas", "Meidän kylältä koulukeskukseen on yli 20 kilometriä. Kuinka kauan "
              "ekaluokkalainen istuisi joka päivä koulukyydissä?", status="pending"),
            C(None, "Opettajia on jo nyt vaikea saada kyläkouluihin. Isommassa koulussa "
              "sijaisia löytyy helpommin.", nickname="Huolestunut isä", status="pending"),
            C("kalle", "Esiopetus pitää säilyttää kylällä joka tapauksessa. Kuusivuotiaalle "
              "pitkä koulumatka on liian raskas.", status="pending"),
        ],
    ),
    T(
        "keitele", "kirjastoauton-pysakit", "open", -8, 12,
        {
            "fi": (
                "Nilakan kirjastoauton uudet pysäkit",
                "Nilakan kirjastoauto kiertää Keiteleen, Pielaveden, Tervon ja Vesannon "
                "kylissä. Reitit uudistetaan: missä auton pitäisi pysähtyä?",
                "<p>Kirjastoauto ajaa nyt neljää reittiä kahden viikon välein. Uudessa "
                "aikataulussa osa pysäkeistä siirtyy koulujen ja kauppojen luo, ja iltapysäkkejä "
                "lisätään.</p>"
                "<p>Voit kommentoida myös nimimerkillä ilman tunnusta. Nimimerkillä "
                "kirjoitetut kommentit tarkistetaan ennen julkaisua.</p>",
            )
        },
        "Keiteleen sivistyslautakunta", "KEI/77/2026", decision_in=30,
        concerns=("pielavesi", "tervo", "vesanto"),
        allow_anonymous=True, premoderated=True,
        themes=[
            {"fi": "Koulujen ja kauppojen pysäkit"},
            {"fi": "Iltapysäkit"},
            {"fi": "Aikataulu ja käyntitiheys"},
            {"fi": "Esteettömyys"},
        ],
        comments=[
            C("leena", "Hamulan koulun pysäkki on tärkeä. Lapset lainaavat siellä "
              "koulupäivän jälkeen.",
              [C("reijo", "Ja kaupan pihassa käy iltaisin paljon väkeä, sinne iltapysäkki.",
                 themes=(0, 1))],
              themes=(0,), key=True),
            C("tuomas", "Aikataulu kahden viikon välein on liian harva. Viikoittain edes "
              "kesällä?", flags=1, themes=(2,),
              replies=[C("paakayttaja_keitele", "Kiitos palautteesta. Kesällä 2027 "
                         "kirjastoauto ajaa kokeiluna viikoittain Keiteleen ja Tervon "
                         "reiteillä. Kerromme kokeilun kokemuksista tällä sivulla.",
                         official=True)]),
            C("sirpa", "Tervon kirkonkylään iltapysäkki, kiitos. Päivällä olemme töissä.",
              themes=(1,)),
            C(None, "Kyläkaupan pihassa kirjastoauto palvelisi parhaiten. Lauantaiaamuna "
              "siellä käy koko kylä.", source="paper", place="Keiteleen kirjasto",
              themes=(0,)),
            C(None, "Auton porras on korkea, eikä rollaattorin kanssa pääse sisään. "
              "Tarvitaan kaide tai nostolava.", source="event",
              place="Keiteleen kirjasto, digituen ilta", themes=(3,), key=True),
            C(None, "Koululaisille pysäkki heti koulupäivän jälkeen kello 14–15, niin lapset "
              "ehtivät lainata ennen koulukyytiä.", source="paper",
              place="Keiteleen kunnantalo", themes=(0, 2)),
            C("tuomas", "Kuljettaja Ari K. ajaa kylätiellä aivan liian lujaa. Hän asuu "
              "Kotalahdentien varressa, käykää sanomassa hänelle.", status="hidden",
              reason=1, flags=2,
              replies=[C("leena", "Ajonopeuksista kannattaa kertoa suoraan kirjastolle. "
                         "Aikataulu on kyllä ollut niin tiukka, ettei pysäkeillä ehdi "
                         "asioida rauhassa.", themes=(2,))]),
            C(None, "Kirjastoauto on kylän ainoa palvelu. Älkää vähentäkö pysäkkejä.",
              nickname="Mummo Sulkavanjärveltä", status="pending"),
            C(None, "Kirjastoautossa pitäisi olla myös kahvitarjoilu ja pullaa!!!",
              nickname="Nälkäinen", status="pending"),
            C("reijo", "Typerä suunnitelma, valmistelijat eivät ole käyneet kylillä "
              "koskaan. Idiootteja.", status="hidden", reason=0, block_days=14,
              block_reason="Toistuvasti loukkaavaa kielenkäyttöä kirjastoauton pysäkkejä "
                           "koskevassa kuulemisessa."),
            C("matti", "Pielaveden Laukkalaan pysäkki koulun viereen.", status="deleted"),
        ],
    ),
    T(
        "keitele", "talousarvio-2027", "draft", 10, 40,
        {
            "fi": (
                "Talousarvion 2027 painopisteet",
                "Luonnos: mihin Keiteleen kunnan pitäisi käyttää rahaa vuonna 2027?",
                "<p>Luonnos, ei vielä julkaistu.</p>",
            )
        },
        "Keiteleen kunnanvaltuusto", "KEI/12/2027", decision_in=80,
    ),
    T(
        "pielavesi", "virtuaaliasiointipiste", "open", -10, 18,
        {
            "fi": (
                "Virtuaaliasiointipiste kirjastoon",
                "Pielaveden kirjastoon tulee asiointipiste, jossa voi hoitaa kunnan ja "
                "Kelan asioita videoyhteydellä. Kerro, mitä asioita hoitaisit.",
                "<p>Nilakan kunnissa kokeiltiin virtuaaliasiointia videon ja chatin avulla. "
                "Kokemukset olivat hyviä, ja kirjastot tarjoavat nyt asiakaspalvelua myös "
                "videolla.</p>"
                "<p>Asiointipisteessä on näyttö, kamera ja kuulokkeet. Kirjaston "
                "henkilökunta auttaa yhteyden avaamisessa.</p>",
            )
        },
        "Pielaveden kunnanhallitus", "PIE/210/2026", decision_in=40,
        questions=[
            Q("multiple",
              _o("Mitä asioita hoitaisit asiointipisteessä?",
                 "Vilka ärenden skulle du sköta vid servicepunkten?",
                 "What would you do at the service point?"),
              [_o("Kelan asiat", "FPA-ärenden", "Kela (social insurance)"),
               _o("Kunnan lupa-asiat", "Kommunens tillståndsärenden", "Municipal permits"),
               _o("Terveysneuvonta", "Hälsorådgivning", "Health advice"),
               _o("Pankkiasiat", "Bankärenden", "Banking")]),
        ],
        comments=[
            C("matti", "Hyvä palvelu, kun Kelan toimisto lähti Pielavedeltä.",
              [C("marjatta", "Tarvitsen apua ensimmäisillä kerroilla, muuten hyvä.")]),
            C(None, "Digituen tapahtumassa moni kysyi, voiko asiointipisteessä tulostaa "
              "lomakkeita.", source="event", place="Pielaveden kirjasto, digituen ilta"),
        ],
    ),
    T(
        "tervo", "rantasaunan-vuorot", "open", -6, 9,
        {
            "fi": (
                "Kunnan rantasaunan vuorot ja hinnat",
                "Tervon kunnan rantasauna uudistuu. Kerro, mihin aikaan saunoisit ja "
                "mikä hinta on sopiva — myös kesäasukkaat.",
                "<p>Rantasauna lämpiää nyt lauantaisin. Ehdotuksessa sauna lämpiäisi "
                "keskiviikkoisin ja lauantaisin, ja kertamaksu nousisi 5 eurosta 6 euroon. "
                "Kesäasukkaille tulisi kausikortti.</p>",
            )
        },
        "Tervon vapaa-aikalautakunta", "TER/58/2026", decision_in=21,
        questions=[
            Q("single",
              _o("Mikä kertamaksu on sopiva?", "Vilken engångsavgift är lämplig?",
                 "What single-visit price is right?"),
              [_o("5 euroa", "5 euro", "5 euros"), _o("6 euroa", "6 euro", "6 euros"),
               _o("7 euroa", "7 euro", "7 euros")]),
        ],
        comments=[
            C("sirpa", "Keskiviikon vuoro on hyvä lisäys. Avantouinti kuuluu talveen!"),
            C("ville", "Kausikortti kesäasukkaille on reilu, mutta myös vakituisille "
              "asukkaille pitäisi olla sarjakortti.",
              [C("asukas", "Olen kesäasukas Vieremältä ja ostaisin kausikortin heti.")]),
        ],
    ),
    T(
        "vesanto", "digituki-kylille", "open", -15, 6,
        {
            "fi": (
                "Tartu digiin: digituen tapahtumat kylille",
                "Vesanto järjestää digitukea kylillä: apua pankkitunnuksiin, ajanvaraukseen "
                "ja digilehtiin. Missä ja milloin tapahtumat pitäisi järjestää?",
                "<p>Digituen kiertueella saa maksutta henkilökohtaista opastusta "
                "sähköisten palvelujen käyttöön, esimerkiksi laboratorioajan varaamiseen "
                "tai digilehden lukemiseen.</p>",
            )
        },
        "Vesannon kunnanhallitus", "VES/99/2026", decision_in=30,
        comments=[
            C("juha", "Kyläkoululla iltapäivällä, niin sinne pääsee myös koulukyydillä."),
            C("helena", "Kirjaston digituki tiistaisin on ollut tosi hyvä. Lisää samaa!"),
            C(None, "Toivon digitukea Niinivedelle, sinne ei kulje bussi.", source="paper",
              place="Vesannon kirjasto"),
            C(None, "Apua tarvitaan erityisesti pankkitunnusten ja Omakannan kanssa.",
              source="paper", place="Vesannon kirjasto"),
            C(None, "Kylätalolla kahvin kanssa, niin uskaltaa tulla kysymään.",
              source="event", place="Vesannon kunnantalo, ikäihmisten neuvosto"),
        ],
    ),
    T(
        "vesanto", "kuntastrategia-2030", "closed", -45, -3,
        {
            "fi": (
                "Vesannon kuntastrategia 2030",
                "Kuntastrategian luonnos oli kommentoitavana. Kommentit käsitellään "
                "valtuuston seminaarissa.",
                "<p>Strategian painopisteet ovat elinvoima, hyvinvointi ja kestävä "
                "talous.</p>",
            )
        },
        "Vesannon kunnanvaltuusto", "VES/12/2026", decision_in=14,
        comments=[
            C("juha", "Elinvoima tarkoittaa meillä ennen kaikkea toimivia teitä ja "
              "nettiyhteyksiä."),
            C("helena", "Hyvinvointiin kuuluu, että terveysasema pysyy kunnassa."),
        ],
    ),
]  # fmt: skip

# The large topic for ``seed-demo --comments N``: comments are put together from these.
LARGE_TOPIC = T(
    "iisalmi", "suuri-kuuleminen", "open", -20, 30,
    {
        "fi": (
            "Iisalmen kaupunkistrategia 2030: mitä kaupungin pitää tehdä ensin?",
            "Suuri kuuleminen kaupunkistrategiasta. Kaikki ehdotukset luetaan.",
            "<p>Kaupunkistrategia ohjaa Iisalmen kaupungin toimintaa vuoteen 2030.</p>",
        )
    },
    "Iisalmen kaupunginvaltuusto", "IIS/1/2026", decision_in=60,
)  # fmt: skip

LARGE_OPENINGS = [
    "Mielestäni tärkeintä on",
    "Toivoisin, että kaupunki panostaa",
    "Iisalmessa pitäisi ensin parantaa",
    "Lapsiperheenä toivomme lisää",
    "Eläkeläisen näkökulmasta tärkeää on",
    "Yrittäjänä pidän tärkeänä",
    "Strategiassa pitää parantaa",
    "Opiskelijana toivon, että kaupunki kehittää",
    "Kyläläisten puolesta pyydän parantamaan",
    "Kaupungin kannattaa kehittää",
    "Nuorena iisalmelaisena toivon, että kaupunki tukee",
    "Tärkeää on myös kehittää",
]
LARGE_SUBJECTS = [
    "keskustan kävelykatuja",
    "kirjaston aukioloaikoja",
    "kylien nettiyhteyksiä",
    "uimahallin vuoroja",
    "joukkoliikenteen vuoroja iltaisin",
    "koulujen sisäilmaa",
    "terveysaseman ajanvarausta",
    "talviaurausta",
    "nuorten harrastuspaikkoja",
    "ikäihmisten digitukea",
    "pyöräteiden kunnossapitoa",
    "torin tapahtumia",
    "päiväkotien ryhmäkokoja",
    "kotihoidon henkilöstöä",
    "vuokra-asuntojen tarjontaa",
    "liikuntapaikkojen valaistusta",
    "järvien rantojen siisteyttä",
    "kulttuuritalon ohjelmaa",
    "yritysten neuvontaa",
    "koulukuljetuksia",
]
# Sentences of which a generated comment takes four after its opening: with the
# openings and subjects, enough combinations that generated comments are seldom the
# same or nearly the same, so that the campaign texts below are what the moderators'
# analysis finds in the large topic.
LARGE_SENTENCES = [
    "Se vaikuttaa arkeen joka päivä.",
    "Muuten ihmiset muuttavat pois.",
    "Tämä on pieni asia, mutta tärkeä.",
    "Rahaa ei tarvita paljon.",
    "Tästä on puhuttu jo vuosia.",
    "Toivon, että asia etenee nopeasti.",
    "Kiitos, että saamme sanoa mielipiteemme.",
    "Muissa kunnissa tämä on jo tehty.",
    "Päättäjien kannattaa käydä katsomassa itse.",
    "Pienilläkin muutoksilla on iso merkitys.",
    "Nuoret perheet katsovat juuri tällaisia asioita.",
    "Asiasta kannattaa kysyä myös kylien asukkailta.",
    "Nyt siihen menee liikaa aikaa.",
    "Moni naapurini on sanonut samaa.",
    "Tilanne on huonontunut viime vuosina.",
    "Lapset ja nuoret hyötyisivät tästä eniten.",
    "Ikäihmiset jäävät nyt helposti ilman.",
    "Samalla kaupunki säästäisi pitkän päälle.",
    "Kesällä asia on kunnossa, talvella ei.",
    "Tieto ei nyt kulje asukkaille asti.",
    "Kaikki eivät pysty käyttämään autoa.",
    "Tämä näkyy myös yritysten arjessa.",
    "Vertailin tilannetta naapurikuntiin.",
    "Asiasta on tehty aloitteita ennenkin.",
    "Omassa perheessäni tämä on iso kysymys.",
    "Kaupungin maine paranisi tästä.",
    "Etätyöläisille tämä on välttämätöntä.",
    "Kesäasukkaatkin toivovat tätä.",
    "Asun Kirmanmäellä, ja matkat ovat pitkiä.",
    "Peltosalmella tämä puuttuu kokonaan.",
    "Lappetelussa asia hoidettiin hyvin, siitä voi ottaa mallia.",
    "Runnilla kesäasukkaat kysyvät tätä joka vuosi.",
    "Keskustassa tilanne on parempi kuin kylillä.",
    "Työmatkani kulkee tätä kautta joka aamu.",
    "Olen asunut Iisalmessa koko ikäni.",
    "Muutimme tänne kolme vuotta sitten.",
    "Naapurikunnassa sama asia maksoi vähemmän kuin luultiin.",
    "Kokeilu voisi alkaa jo ensi vuonna.",
    "Vapaaehtoiset auttaisivat varmasti.",
    "Yhdistyksemme voi olla mukana suunnittelussa.",
    "Kuntalaisia pitää kuulla myös jatkossa.",
    "Aikataulu on tähän asti venynyt liikaa.",
    "Ilman tätä strategia jää paperiksi.",
    "Kustannukset voi jakaa usealle vuodelle.",
    "Tämä kannattaa tehdä yhdessä seurakunnan kanssa.",
    "Koulut ja kirjasto voisivat tehdä yhteistyötä.",
    "Pimeään aikaan tämä korostuu.",
    "Lasten harrastukset ovat tästä kiinni.",
    "Kävin viime viikolla katsomassa tilannetta itse.",
    "Ehdotan, että asiasta tehdään kysely.",
    "Tästä hyötyisivät myös matkailijat.",
    "Ympäristö kiittäisi myös.",
    "Palvelun pitää olla sama kaikille asukkaille.",
    "Isovanhempani puhuvat tästä usein.",
    "Sain tästä kokemusta työssäni sairaalassa.",
    "Hyvä esimerkki löytyy Kuopiosta.",
    "Tähän riittäisi pieni määräraha.",
    "Seuraavassa budjetissa tälle pitää varata rahaa.",
    "Asiaa voisi kokeilla ensin yhdellä alueella.",
    "Asukasillassa tästä oli paljon puhetta.",
]

# Campaign texts of the large topic (``seed-demo --comments N``): an association asked its
# members to send this letter, most as such, some in their own case and punctuation ...
LARGE_CAMPAIGN = (
    "Vastustamme Kirkonsalmen rantapuiston rakentamista. Puisto on kaupunkilaisten yhteinen "
    "virkistysalue, ja sen vanhat puut kuuluvat Iisalmen kaupunkikuvaan. Strategiaan on "
    "kirjattava, että keskustan viheralueet säilytetään."
)
# ... and another letter that many wrote with a word of their own or a sentence added.
LARGE_NEAR_CAMPAIGN = (
    "Uimahallin peruskorjaus on aloitettava vuonna 2027. Halli on ainoa paikka, jossa "
    "koululaiset voivat oppia uimaan talvella, ja sen vuorot ovat nyt täynnä."
)
LARGE_NEAR_WORDS = [
    ("koululaiset", "lapset"),
    ("talvella", "ympäri vuoden"),
    ("täynnä", "aivan täynnä"),
    ("aloitettava", "ehdottomasti aloitettava"),
    ("ainoa", "kaupungin ainoa"),
]
LARGE_NEAR_ADDITIONS = [
    "Käymme siellä koko perheen kanssa.",
    "Olen uinut siellä lapsesta asti.",
    "Asun aivan hallin lähellä.",
    "Kuntoutukseni on siitä kiinni.",
]
