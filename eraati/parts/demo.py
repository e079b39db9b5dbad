"""The demo's draft read part by part: Vieremä's municipal strategy 2027–2030, in five
parts in Finnish and Swedish, with residents' comments on its paragraphs and a few
replies (``flask eraati seed-demo``, called from eraati.consultations.demo)."""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa

from eraati.consultations.models import Comment, CommentStatus, Topic, TopicStatus, TopicTranslation
from eraati.extensions import db
from eraati.organisations.models import Organisation
from eraati.parts import paragraphs
from eraati.parts.models import TopicPart, TopicPartText

ORG = "vierema"
TOPIC = "kuntastrategia-2027-2030"
DAY = timedelta(days=1)

TITLE = {
    "fi": "Vieremän kuntastrategia 2027–2030 -luonnos",
    "sv": "Utkast till Vieremä kommunstrategi 2027–2030",
}
SUMMARY = {
    "fi": (
        "Kunnanhallitus pyytää kuntalaisten näkemyksiä kuntastrategian luonnokseen. Luonnos "
        "on jaettu viiteen osaan: voit kommentoida kokonaisuutta, osaa tai yksittäistä kappaletta."
    ),
    "sv": (
        "Kommunstyrelsen ber om invånarnas synpunkter på utkastet till kommunstrategi. Utkastet "
        "är indelat i fem delar: du kan kommentera helheten, en del eller ett enskilt stycke."
    ),
}
BODY = {
    "fi": (
        "<p>Kuntastrategia kertoo, millaista Vieremällä halutaan olevan vuonna 2030 ja mihin "
        "kunnan voimavarat suunnataan. Valtuusto hyväksyy strategian keväällä 2027.</p>"
        "<p>Lue luonnos osa kerrallaan. Kerro, mikä on hyvää, mikä puuttuu ja mitä pitäisi "
        "muuttaa. Kommentit käsitellään strategiatyöryhmässä ennen kuin kunnanhallitus "
        "tekee esityksensä valtuustolle.</p>"
    ),
    "sv": (
        "<p>Kommunstrategin beskriver hurdant Vieremä vill vara år 2030 och vart kommunens "
        "resurser riktas. Fullmäktige godkänner strategin våren 2027.</p>"
        "<p>Läs utkastet del för del. Berätta vad som är bra, vad som saknas och vad som borde "
        "ändras. Kommentarerna behandlas i strategiarbetsgruppen innan kommunstyrelsen lägger "
        "fram sitt förslag för fullmäktige.</p>"
    ),
}

# (fi title, fi paragraphs, sv title, sv paragraphs); a list item is marked "- ".
PARTS = [
    (
        "Visio: elinvoimainen maaseutukunta",
        [
            "Vuonna 2030 Vieremä on elinvoimainen maaseutukunta, jossa on hyvä asua, "
            "yrittää ja kasvaa. Kunnan vahvuuksia ovat toimiva teollisuus, puhdas luonto ja "
            "yhteisöllinen kylätoiminta.",
            "Väestö ikääntyy ja syntyvyys on pieni. Strategian tavoitteena on, että "
            "kunnan väkiluku vakiintuu noin 3 500 asukkaaseen.",
            "Kunta tekee päätöksensä avoimesti ja kuulee asukkaita ennen suuria muutoksia.",
        ],
        "Vision: en livskraftig landsbygdskommun",
        [
            "År 2030 är Vieremä en livskraftig landsbygdskommun där det är bra att bo, "
            "driva företag och växa upp. Kommunens styrkor är en fungerande industri, ren "
            "natur och en gemenskapsinriktad byverksamhet.",
            "Befolkningen blir äldre och nativiteten är låg. Målet med strategin är att "
            "invånarantalet stabiliseras kring 3 500 invånare.",
            "Kommunen fattar sina beslut öppet och hör invånarna före stora förändringar.",
        ],
    ),
    (
        "Hyvinvointi ja palvelut",
        [
            "Kunta vastaa sivistyspalveluista: varhaiskasvatuksesta, perusopetuksesta, "
            "kirjastosta, liikunnasta ja kulttuurista. Sote-palvelut järjestää "
            "hyvinvointialue, jonka kanssa kunta tekee tiivistä yhteistyötä.",
            "- Vieremän koulu ja lukio säilyvät omassa kunnassa.",
            "- Kirjaston aukioloa laajennetaan omatoimikirjastolla.",
            "- Ikäihmisten kotona asumista tuetaan kylien palveluilla ja kuljetuksilla.",
            "Kunta kehittää liikuntapaikkoja yhdessä seurojen kanssa ja pitää uimahallin käytössä.",
        ],
        "Välfärd och tjänster",
        [
            "Kommunen ansvarar för bildningstjänsterna: småbarnspedagogik, "
            "grundläggande utbildning, bibliotek, idrott och kultur. Social- och "
            "hälsovårdstjänsterna ordnas av välfärdsområdet, som kommunen samarbetar nära med.",
            "- Vieremä skola och gymnasium finns kvar i den egna kommunen.",
            "- Bibliotekets öppettider utvidgas med ett meröppet bibliotek.",
            "- Äldre personers boende hemma stöds med service och transporter i byarna.",
            "Kommunen utvecklar idrottsplatserna tillsammans med föreningarna och håller "
            "simhallen i bruk.",
        ],
    ),
    (
        "Elinvoima, yrittäjyys ja työ",
        [
            "Vieremän työpaikkaomavaraisuus on yli sata prosenttia. Kunta turvaa "
            "teollisuuden kasvun edellytykset kaavoituksella ja tonttitarjonnalla.",
            "Kunta houkuttelee uusia asukkaita työn perässä muuttaville: tarjolla on "
            "vuokra-asuntoja, omakotitontteja ja apua puolison työnhakuun.",
            "Maatalous ja metsätalous ovat edelleen tärkeitä. Kunta tukee "
            "sukupolvenvaihdoksia ja lähiruoan käyttöä kunnan keittiöissä.",
            "Matkailua kehitetään Kärkkäänkosken ja Vieremän liikuntakeskuksen ympärille.",
        ],
        "Livskraft, företagande och arbete",
        [
            "Vieremäs arbetsplatssjälvförsörjning är över hundra procent. Kommunen tryggar "
            "förutsättningarna för industrins tillväxt genom planläggning och tomtutbud.",
            "Kommunen lockar nya invånare som flyttar efter arbete: det finns hyresbostäder, "
            "egnahemstomter och hjälp för makens eller makans jobbsökande.",
            "Jord- och skogsbruket är fortfarande viktigt. Kommunen stöder "
            "generationsväxlingar och användningen av närproducerad mat i kommunens kök.",
            "Turismen utvecklas kring Kärkkäänkoski och Vieremä idrottscentrum.",
        ],
    ),
    (
        "Ympäristö, liikenne ja kylät",
        [
            "Kunta vähentää kasvihuonepäästöjään puoleen vuoden 2007 tasosta vuoteen 2030 "
            "mennessä ja siirtyy uusiutuvaan energiaan omissa kiinteistöissään.",
            "Kylätiet ja kevyen liikenteen väylät pidetään kunnossa. Kunta esittää "
            "valtiolle valtatien 27 liittymien turvallisuuden parantamista.",
            "Kyläyhdistykset saavat kunnalta toiminta-avustusta ja kylätalojen "
            "käyttö tuetaan myös palvelupisteinä.",
        ],
        "Miljö, trafik och byar",
        [
            "Kommunen halverar sina växthusgasutsläpp från 2007 års nivå till år 2030 och "
            "övergår till förnybar energi i sina egna fastigheter.",
            "Bynas vägar och lättrafikleder hålls i skick. Kommunen föreslår för staten "
            "att säkerheten i anslutningarna till riksväg 27 förbättras.",
            "Byföreningarna får verksamhetsbidrag av kommunen och byhusen används också "
            "som serviceställen.",
        ],
    ),
    (
        "Talous ja toteutus",
        [
            "Kunnan talous pidetään tasapainossa. Investoinnit ajoitetaan niin, että "
            "lainakanta asukasta kohden ei kasva strategiakaudella.",
            "Strategian toteutumista seurataan vuosittain tilinpäätöksen yhteydessä, ja "
            "mittarit julkaistaan kunnan verkkosivuilla.",
            "Valtuusto arvioi strategian uudelleen vuonna 2029.",
        ],
        "Ekonomi och genomförande",
        [
            "Kommunens ekonomi hålls i balans. Investeringarna tidsplaneras så att lånestocken "
            "per invånare inte växer under strategiperioden.",
            "Hur strategin förverkligas följs upp årligen i samband med bokslutet, och "
            "mätarna publiceras på kommunens webbplats.",
            "Fullmäktige utvärderar strategin på nytt år 2029.",
        ],
    ),
]

# (part number, paragraph or None, resident key, language, text, replies [(key, lang, text)])
COMMENTS = [
    (
        1,
        1,
        "pekka",
        "fi",
        "Hyvä visio, mutta puhtaan luonnon lisäksi kannattaisi nostaa esiin "
        "järvet ja virkistysalueet. Ne ovat monelle syy muuttaa tänne.",
        [],
    ),
    (
        1,
        2,
        "kalle",
        "fi",
        "3 500 asukasta on kunnianhimoinen tavoite. Mitä tehdään, jos "
        "väkiluku laskee silti? Strategiassa voisi olla myös varasuunnitelma.",
        [
            ("asukas", "fi", "Samaa mietin. Palveluverkko pitäisi mitoittaa realistisesti."),
        ],
    ),
    (
        1,
        2,
        "asukas",
        "fi",
        "Väestötavoitteen rinnalle tarvitaan tavoite nuorten "
        "paluumuutosta: moni lähtee opiskelemaan eikä palaa.",
        [],
    ),
    (
        1,
        3,
        "erik",
        "sv",
        "Bra att kommunen vill höra invånarna. Det vore bra om "
        "samråden också ordnades på svenska när det gäller hela kommunen.",
        [],
    ),
    (1, None, "pekka", "fi", "Visio-osa on selkeä ja lyhyt, hyvä niin.", []),
    (
        2,
        2,
        "asukas",
        "fi",
        "Koulun ja lukion säilyttäminen on tärkeintä koko strategiassa. "
        "Ilman lukiota perheet eivät muuta tänne.",
        [
            (
                "kalle",
                "fi",
                "Komppaan. Lukion erikoislinjat (esim. liikunta) ovat vetovoimatekijä.",
            ),
        ],
    ),
    (
        2,
        2,
        "pekka",
        "fi",
        "Lukion oppilasmäärä on pieni. Onko yhteistyötä Iisalmen kanssa "
        "harkittu, jotta kurssitarjonta pysyy laajana?",
        [],
    ),
    (
        2,
        3,
        "kalle",
        "fi",
        "Omatoimikirjasto on hyvä ajatus. Iltaisin ja viikonloppuisin "
        "kirjasto olisi monelle ainoa paikka tavata muita.",
        [],
    ),
    (
        2,
        4,
        "asukas",
        "fi",
        "Kylien kuljetuksiin kannattaa ottaa mukaan asiointiliikenne, "
        "joka kulkee ainakin kahdesti viikossa jokaiseen kylään.",
        [],
    ),
    (
        2,
        4,
        "erik",
        "sv",
        "Min mamma bor i en by tio kilometer från centrum. Utan "
        "servicetrafik klarar hon sig inte hemma.",
        [],
    ),
    (
        2,
        4,
        "pekka",
        "fi",
        "Kotona asumisen tuki on hyvä tavoite, mutta kunnan ja "
        "hyvinvointialueen työnjako pitää kertoa selvästi.",
        [],
    ),
    (
        2,
        5,
        "kalle",
        "fi",
        "Uimahalli on kallis, mutta lapsille uimaopetus on "
        "välttämätöntä. Hallin käyttöä voisi tehostaa koulujen ja seurojen vuoroilla.",
        [],
    ),
    (
        3,
        1,
        "pekka",
        "fi",
        "Teollisuusalueen laajennus on tarpeen, mutta raskas liikenne "
        "keskustan läpi pitää ratkaista samalla.",
        [],
    ),
    (
        3,
        2,
        "asukas",
        "fi",
        "Vuokra-asuntoja tarvitaan erityisesti nuorille ja "
        "työperäisille muuttajille. Nyt niitä on vaikea saada.",
        [
            ("erik", "sv", "Samma erfarenhet: vi väntade ett halvt år på en hyresbostad."),
        ],
    ),
    (3, 2, "kalle", "fi", "Puolison työnhaun tuki on erinomainen idea.", []),
    (
        3,
        3,
        "pekka",
        "fi",
        "Lähiruoan osuudelle kunnan keittiöissä voisi asettaa "
        "mitattavan tavoitteen, esimerkiksi 30 prosenttia.",
        [],
    ),
    (
        3,
        4,
        "asukas",
        "fi",
        "Kärkkäänkosken reitit ja laavut kaipaavat kunnostusta ennen "
        "kuin matkailua voi markkinoida.",
        [],
    ),
    (
        4,
        1,
        "kalle",
        "fi",
        "Päästötavoite on hyvä. Kunnan kiinteistöjen aurinkopaneelit "
        "olisivat näkyvä ja nopea toimenpide.",
        [],
    ),
    (
        4,
        2,
        "pekka",
        "fi",
        "Valtatien 27 liittymät ovat vaarallisia, erityisesti "
        "koulumatkoilla. Tämä pitää nostaa strategiassa kärkeen.",
        [
            ("asukas", "fi", "Kyllä. Alikulku tai kiertoliittymä tarvitaan pian."),
            ("kalle", "fi", "Myös valaistus puuttuu useasta liittymästä."),
        ],
    ),
    (4, 2, "erik", "sv", "Lättrafikleden till skolan saknar belysning på en lång sträcka.", []),
    (
        4,
        3,
        "asukas",
        "fi",
        "Kylätalot palvelupisteinä on hieno ajatus. Etäpalvelupiste "
        "voisi tuoda hyvinvointialueen palvelut lähemmäs.",
        [],
    ),
    (
        5,
        1,
        "kalle",
        "fi",
        "Lainakannan kasvukielto voi estää tarpeelliset investoinnit, "
        "kuten koulun peruskorjauksen.",
        [],
    ),
    (
        5,
        2,
        "pekka",
        "fi",
        "Mittarit verkkosivuille on hyvä. Ne pitäisi esittää selkeästi "
        "ja vertailukelpoisesti vuodesta toiseen.",
        [],
    ),
    (
        None,
        None,
        "asukas",
        "fi",
        "Kiitos, että luonnos on jaettu osiin. Näin sitä on helppo lukea ja kommentoida.",
        [],
    ),
    (None, None, "erik", "sv", "Bra att utkastet också finns på svenska.", []),
]


def _texts(items: list[str]) -> str:
    """Paragraphs as HTML; the lines marked "- " make one list."""
    html, in_list = [], False
    for item in items:
        if item.startswith("- "):
            if not in_list:
                html.append("<ul>")
                in_list = True
            html.append(f"<li>{item[2:]}</li>")
        else:
            if in_list:
                html.append("</ul>")
                in_list = False
            html.append(f"<p>{item}</p>")
    if in_list:
        html.append("</ul>")
    return "".join(html)


def seed(now: datetime, people: dict, admin) -> int | None:
    """Create the topic if it is missing; its id, or None when nothing was made."""
    org = db.session.scalar(sa.select(Organisation).where(Organisation.slug == ORG))
    if org is None:
        return None
    exists = db.session.scalar(
        sa.select(Topic.id).where(Topic.organisation_id == org.id, Topic.slug == TOPIC)
    )
    if exists is not None:
        return None
    topic = Topic(
        organisation=org,
        slug=TOPIC,
        status=TopicStatus.OPEN,
        opens_at=now - 12 * DAY,
        closes_at=now + 23 * DAY,
        case_number="VIE/412/00.01.02/2026",
        created_at=now - 20 * DAY,
        created_by_id=getattr(admin, "id", None),
    )
    for locale in ("fi", "sv"):
        topic.translations.append(
            TopicTranslation(
                locale=locale,
                title=TITLE[locale],
                summary=SUMMARY[locale],
                body=BODY[locale],
                deciding_body="Kunnanvaltuusto" if locale == "fi" else "Kommunfullmäktige",
            )
        )
    db.session.add(topic)
    db.session.flush()
    parts = []
    for position, (fi_title, fi_items, sv_title, sv_items) in enumerate(PARTS, start=1):
        part = TopicPart(topic_id=topic.id, position=position, created_at=topic.created_at)
        part.texts.append(TopicPartText(locale="fi", title=fi_title, body=_texts(fi_items)))
        part.texts.append(TopicPartText(locale="sv", title=sv_title, body=_texts(sv_items)))
        parts.append(part)
    db.session.add_all(parts)
    db.session.flush()

    moment = topic.opens_at + 3 * timedelta(hours=5)
    step = (now - moment) / (len(COMMENTS) + 8)
    for number, paragraph, key, language, text, replies in COMMENTS:
        moment += step
        part = parts[number - 1] if number else None
        quote = None
        if part is not None and paragraph is not None:
            quote = paragraphs.split(part.text_in("fi").body).get(paragraph).text
        root = Comment(
            topic_id=topic.id,
            part_id=part.id if part else None,
            paragraph=paragraph if quote else None,
            paragraph_quote=quote,
            author_id=people[key].id,
            body=text,
            language=language,
            status=CommentStatus.VISIBLE,
            created_at=moment,
        )
        db.session.add(root)
        db.session.flush()
        for i, (reply_key, reply_language, reply_text) in enumerate(replies, start=1):
            db.session.add(
                Comment(
                    topic_id=topic.id,
                    part_id=root.part_id,
                    parent_id=root.id,
                    root_id=root.id,
                    author_id=people[reply_key].id,
                    body=reply_text,
                    language=reply_language,
                    status=CommentStatus.VISIBLE,
                    created_at=moment + i * timedelta(hours=3),
                )
            )
    db.session.flush()
    return topic.id
