"""The words of the demo: the pilot region's organisations, people, topics and comments.

Kept apart from ``demo.py`` (which writes them) so that the texts read as a document.
Everything here is invented for the demonstration; the themes come from the pilot's
source documents (digital support events, virtual service points, library services,
health-centre hours in a joint authority).
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
    Person("valmistelija", "valmistelija@example.fi", "Jari Pitkänen", "iisalmi",
           roles=(("ylasavon-sote", Role.PREPARER),), label="preparer, Ylä-Savon SOTE"),
    Person("paakayttaja", "paakayttaja@example.fi", "Tiina Kauppinen", "iisalmi",
           roles=(("iisalmi", Role.ADMIN),), label="organisation admin, Iisalmi"),
    Person("yllapito", "yllapito@example.fi", "eRaati-ylläpito", "iisalmi",
           platform_admin=True, label="platform admin"),
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
    """A demo comment: ``author`` is a person's key, ``None`` for paper/event feedback."""

    author: str | None
    text: str
    replies: list[C] = field(default_factory=list)
    status: str = "visible"
    source: str = "web"
    nickname: str | None = None
    language: str = "fi"
    hidden_reason: str | None = None
    flags: int = 0


@dataclass
class Q:
    kind: str  # single | multiple
    texts: dict[str, str]
    options: list[dict[str, str]]


@dataclass
class T:
    org: str
    slug: str
    status: str  # draft | open | closed | published
    opens: int  # days from now
    closes: int
    texts: dict[str, tuple[str, str, str]]  # locale -> (title, summary, body html)
    deciding_body: str
    case_number: str
    decision_in: int | None = None  # planned decision date, days from now
    concerns: tuple[str, ...] = ()
    allow_anonymous: bool = False
    premoderated: bool = False
    stances_enabled: bool = True
    questions: list[Q] = field(default_factory=list)
    comments: list[C] = field(default_factory=list)
    activity: float = 0.6  # share of residents who take a stance, answer, vote


def _o(fi: str, sv: str, en: str) -> dict[str, str]:
    return {"fi": fi, "sv": sv, "en": en}


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
        "Ylä-Savon SOTE kuntayhtymän hallitus", "YSSOTE/412/2026", decision_in=60,
        concerns=("iisalmi", "vierema"),
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
               _o("En mitään näistä", "Inget av dessa", "None of these")]),
        ],
        comments=[
            C("pekka", "Vieremältä on Iisalmeen 25 kilometriä. Iltavastaanotto omalla asemalla "
              "olisi työssäkäyvälle paras, nyt pitää aina ottaa vapaata töistä.",
              [C("kalle", "Samaa mieltä. Kaksi iltaa viikossa riittäisi hyvin."),
               C("aino", "Iisalmessa iltavastaanotto on ollut ruuhkainen, joten lisää "
                 "iltavuoroja tarvitaan muuallekin.")]),
            C("marjatta", "Minulla ei ole tietokonetta enkä osaa videopuheluita. Toivon, että "
              "puhelimella saa edelleen ajan ja että asemalle pääsee käymään.",
              [C("helena", "Kirjastossa on digitukea tiistaisin, sieltä saa apua "
                 "videovastaanoton kokeiluun.")]),
            C("oona", "Remote appointments in the evening would help families with small "
              "children a lot. Please make the chat available in English too.",
              language="en"),
            C("anna", "Det vore bra om distansmottagningen fanns på svenska också. Många "
              "äldre vill tala sitt eget språk med läkaren.", language="sv"),
            C("eeva", "Etävastaanotto sopii reseptien uusimiseen ja laboratoriotulosten "
              "kysymiseen. Sairaana haluan silti käydä paikan päällä."),
            C("juha", "Aamuvastaanotto kello 7 olisi maatalousyrittäjälle parempi kuin ilta."),
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
        "Ylä-Savon SOTE kuntayhtymän hallitus", "YSSOTE/233/2026", decision_in=20,
        concerns=("iisalmi", "vierema"),
        questions=[
            Q("single",
              _o("Pitäisikö etähoivaa laajentaa koko alueelle?",
                 "Borde distansvården utvidgas till hela området?",
                 "Should remote care be extended to the whole region?"),
              [_o("Kyllä", "Ja", "Yes"), _o("Ei", "Nej", "No"),
               _o("En osaa sanoa", "Vet inte", "I cannot say")]),
        ],
        comments=[
            C("aino", "Äitini on ollut kokeilussa mukana. Kuvapuhelu aamulla on tuonut "
              "turvallisuutta, mutta se ei saa korvata käyntejä kokonaan.",
              [C("eeva", "Meillä sama kokemus. Tabletin käyttö opittiin parissa viikossa.")]),
            C("kalle", "Huono nettiyhteys katkaisee puhelun usein. Kyliin tarvitaan ensin "
              "kunnon valokuitu.", flags=1),
            C("erik", "Min far tyckte om videosamtalen, men ibland kom samtalet en timme för "
              "sent.", language="sv"),
            C(None, "Omaisena pidän tärkeänä, että saan itsekin tiedon, jos äiti ei vastaa "
              "kuvapuheluun.", source="paper"),
            C("pekka", "Kokeilu oli hyvä. Laajentakaa se, mutta pitäkää puhelinnumero, "
              "johon saa aina ihmisen kiinni."),
        ],
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
        ],
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
              "pyöräreittien varrelle ikäihmisille.", source="event"),
        ],
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
        comments=[
            C("leena", "Hamulan koulun pysäkki on tärkeä. Lapset lainaavat siellä "
              "koulupäivän jälkeen.",
              [C("reijo", "Ja kaupan pihassa käy iltaisin paljon väkeä, sinne iltapysäkki.")]),
            C("tuomas", "Aikataulu kahden viikon välein on liian harva. Viikoittain edes "
              "kesällä?", flags=1),
            C("sirpa", "Tervon kirkonkylään iltapysäkki, kiitos. Päivällä olemme töissä."),
            C(None, "Kirjastoauto on kylän ainoa palvelu. Älkää vähentäkö pysäkkejä.",
              nickname="Mummo Sulkavanjärveltä", status="pending"),
            C(None, "Kirjastoautossa pitäisi olla myös kahvitarjoilu ja pullaa!!!",
              nickname="Nälkäinen", status="pending"),
            C("reijo", "Typerä suunnitelma, valmistelijat eivät ole käyneet kylillä "
              "koskaan. Idiootteja.", status="hidden",
              hidden_reason="Loukkaava kielenkäyttö", flags=3),
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
              "lomakkeita.", source="event"),
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
            C(None, "Toivon digitukea Niinivedelle, sinne ei kulje bussi.", source="paper"),
            C(None, "Apua tarvitaan erityisesti pankkitunnusten ja Omakannan kanssa.",
              source="paper"),
            C(None, "Kylätalolla kahvin kanssa, niin uskaltaa tulla kysymään.",
              source="event"),
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
]
LARGE_ENDINGS = [
    "Se vaikuttaa arkeen joka päivä.",
    "Muuten ihmiset muuttavat pois.",
    "Tämä on pieni asia, mutta tärkeä.",
    "Rahaa ei tarvita paljon.",
    "Tästä on puhuttu jo vuosia.",
]
