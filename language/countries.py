"""Countries and their capitals, for telling whose figure a source gives. Pure Python.

News names a state by its capital as often as by its name ("Baku signed", "ordered from
Belgrade"), so a capital counts as its country. Names are folded (language.folding.fold);
other languages' spellings are matched by likeness where they share a root (Azerbejdžan).
"""

from __future__ import annotations

import functools

from language.folding import entity_tokens, exonym

# country: capital, other names and adjectives that do not start with its name; ...
# (English names: UN members and a few others in the news)
_COUNTRIES = """
afghanistan: kabul, afghan; albania: tirana; algeria: algiers; andorra: andorra; angola:
luanda; argentina: buenos aires; armenia: yerevan; australia: canberra; austria: vienna;
azerbaijan: baku; bahamas: nassau; bahrain: manama; bangladesh: dhaka; barbados: bridgetown;
belarus: minsk, belarusian; belgium: brussels; belize: belmopan; benin: porto novo; bhutan:
thimphu; bolivia: sucre; bosnia and herzegovina: sarajevo, bosnian; botswana: gaborone; brazil:
brasilia; brunei: bandar seri begawan; bulgaria: sofia; burkina faso: ouagadougou; burundi:
gitega; cambodia: phnom penh; cameroon: yaounde; canada: ottawa; cape verde: praia; chad:
ndjamena; chile: santiago; china: beijing, chinese; colombia: bogota; comoros: moroni; congo:
brazzaville; costa rica: san jose; croatia: zagreb; cuba: havana; cyprus: nicosia, cypriot;
czechia: prague, czech republic, czech; denmark: copenhagen, danish; djibouti: djibouti;
dominican republic: santo domingo; ecuador: quito; egypt: cairo; el salvador: san salvador;
eritrea: asmara; estonia: tallinn; eswatini: mbabane, swaziland; ethiopia: addis ababa; fiji:
suva; finland: helsinki, finnish; france: paris, french; gabon: libreville; gambia: banjul;
georgia: tbilisi; germany: berlin, german; ghana: accra; greece: athens, greek; guatemala:
guatemala; guinea: conakry; guyana: georgetown; haiti: port au prince; honduras: tegucigalpa;
hungary: budapest; iceland: reykjavik; india: new delhi; indonesia: jakarta; iran: tehran;
iraq: baghdad; ireland: dublin, irish; israel: jerusalem, tel aviv, israeli; italy: rome; ivory
coast: yamoussoukro, cote d'ivoire; jamaica: kingston; japan: tokyo, japanese; jordan: amman;
kazakhstan: astana, kazakh; kenya: nairobi; kosovo: pristina; kuwait: kuwait; kyrgyzstan:
bishkek, kyrgyz; laos: vientiane; latvia: riga; lebanon: beirut; lesotho: maseru; liberia:
monrovia; libya: tripoli; liechtenstein: vaduz; lithuania: vilnius; luxembourg: luxembourg;
madagascar: antananarivo; malawi: lilongwe; malaysia: kuala lumpur; maldives:; mali: bamako;
malta: valletta; mauritania: nouakchott; mauritius: port louis; mexico: mexico city; moldova:
chisinau; monaco: monaco; mongolia: ulaanbaatar; montenegro: podgorica; morocco: rabat;
mozambique: maputo; myanmar: naypyidaw, burma; namibia: windhoek; nepal: kathmandu;
netherlands: amsterdam, dutch, holland; new zealand: wellington; nicaragua: managua; niger:
niamey; nigeria: abuja; north korea: pyongyang, dprk; north macedonia: skopje; norway: oslo;
oman: muscat; pakistan: islamabad; palestine: ramallah; panama: panama; papua new guinea: port
moresby; paraguay: asuncion; peru: lima; philippines: manila, filipino; poland: warsaw, polish;
portugal: lisbon; qatar: doha; romania: bucharest; russia: moscow, russian federation; rwanda:
kigali; saudi arabia: riyadh; senegal: dakar; serbia: belgrade; sierra leone: freetown;
singapore: singapore; slovakia: bratislava, slovak; slovenia: ljubljana; somalia: mogadishu;
south africa: pretoria; south korea: seoul, korean; south sudan: juba; spain: madrid, spanish;
sri lanka: colombo; sudan: khartoum; suriname: paramaribo; sweden: stockholm, swedish;
switzerland: bern, swiss; syria: damascus; taiwan: taipei; tajikistan: dushanbe, tajik;
tanzania: dodoma; thailand: bangkok, thai; togo: lome; tunisia: tunis; turkey: ankara, turkiye,
turkish; turkmenistan: ashgabat, turkmen; uganda: kampala; ukraine: kyiv, kiev; united arab
emirates: abu dhabi, uae, emirati; united kingdom: london, uk, britain, great britain, british;
united states: washington, usa, american, u s; uruguay: montevideo; uzbekistan: tashkent,
uzbek; venezuela: caracas; vietnam: hanoi, vietnamese; yemen: sanaa; zambia: lusaka; zimbabwe:
harare
"""


# Names from another root in the languages this beat reads (Serbian/Croatian/Bosnian,
# Russian, Turkish, French), folded, as word starts: a word that begins with one names the
# country, whatever its case ending (Srbije; Сербии -> serbii). "=": the whole word only.
_OTHER_LANGUAGES = """
armenia: jermenij, armeni, ermenist; azerbaijan: azerbejdzan, azerbaidzhan, azerbaycan;
georgia: gruzi, gurcist, georgie; turkey: tursk, turci, turqui, turkiy; russia: rusij, rossii,
rossiy, rossie, rusya, russie; serbia: srbij, serbi, sirbist; israel: izrael, izrail, israil;
bosnia and herzegovina: bosn; croatia: hrvatsk, horvati, hirvatist, croatie; cyprus: kipar,
kipr, kibris, chypre; greece: grck, greci, yunanist, grece; ukraine: ukrajin, ukrain, ukrayn;
belarus: bjelorus, belorus; kazakhstan: kazahst, kazakhst; china: kitai, kitay, kina, chine;
india: indij, indii, indiy, hindist, inde=; united states: ssha, etats unis; germany: nemack,
germani, almanya, allemagne; france: francusk, franciy, francii, franciei, fransa; united
kingdom: britanij, britaniy, britanii, ingilter, royaume uni; slovakia: slovack, slovakij;
morocco: maroko, marokk, maroc, fas=; kuwait: kuvajt, kuveit, kuveyt; iraq: irak; syria:
sirij, siriy, sirii, suriy, syrie; egypt: egipat, egipet, egipt, misir, egypte; hungary:
madjarsk, vengri, macarist, hongri; bulgaria: bugarsk, bolgari, bulgarist; romania: rumunij,
rumyni, romanya, roumani; montenegro: crn gor, chernogori, karadag; italy: italij, italy,
itali; poland: poljsk, polsh, polonya, pologn; czechia: cesk, chehi, cekya, tcheq; japan:
yaponi, japon; saudi arabia: saudijsk, saudovsk, suudi; united arab emirates: emirat, bae=;
qatar: katar; lebanon: liban, lubnan; jordan: iordani, urdun; afghanistan: avganistan,
afganistan; uzbekistan: uzbekist, ozbekist; turkmenistan: turkmenist; kyrgyzstan: kirgist,
kirgizi
"""


def _entries(text: str) -> list[tuple[str, list[str]]]:
    """'country: name, name; country: name' -> [(country, [names])]."""
    out = []
    for entry in " ".join(text.split()).split(";"):
        country, names = (part.strip() for part in entry.split(":"))
        out.append((country, [n.strip() for n in names.split(",") if n.strip()]))
    return out


@functools.cache
def _word_starts() -> dict[str, list[tuple[tuple[str, ...], bool, str]]]:
    """First letters -> (word starts as folded tokens, whole word only, country)."""
    index: dict[str, list[tuple[tuple[str, ...], bool, str]]] = {}
    for country, starts in _entries(_OTHER_LANGUAGES):
        for start in starts:
            whole = start.endswith("=")
            tokens = tuple(entity_tokens(start.rstrip("=")))
            index.setdefault(tokens[0][:3], []).append((tokens, whole, country))
    return index


def _other_language_names(tokens: list[str], i: int) -> str:
    """The country whose name in another language starts at tokens[i], or ""."""
    for start, whole, country in _word_starts().get(tokens[i][:3], ()):
        here = tokens[i : i + len(start)]
        if (
            len(here) == len(start)
            and all(t.startswith(s) for t, s in zip(here, start, strict=True))
            and (not whole or here[-1] == start[-1])
        ):
            return country
    return ""


@functools.cache
def _table() -> dict[tuple[str, ...], str]:
    """A country's name or capital, as folded tokens -> the country's name."""
    table: dict[tuple[str, ...], str] = {}
    for country, others in _entries(_COUNTRIES):
        table[tuple(entity_tokens(country))] = country
        for name in others:
            table.setdefault(tuple(entity_tokens(name)), country)
    return table


@functools.cache
def _capitals() -> frozenset[tuple[str, ...]]:
    return frozenset(
        tuple(entity_tokens(others[0]))
        for country, others in _entries(_COUNTRIES)
        if others and others[0] != country
    )


@functools.cache
def _by_first_token() -> dict[str, list[tuple[str, ...]]]:
    index: dict[str, list[tuple[str, ...]]] = {}
    for name in _table():
        index.setdefault(name[0], []).append(name)
    return index


def country_of(name: str) -> str:
    """The country a name (country or capital, any case or accents) stands for, or ""."""
    return _table().get(tuple(entity_tokens(name)), "")


def countries_in(tokens: list[str], *, capitals: bool = True) -> list[str]:
    """Countries named in entity tokens (language.folding.entity_tokens of a text), by name,
    capital, adjective (Armenian), a spelling of another language that shares the root, or
    a name of another language (_OTHER_LANGUAGES); in the order they first occur.
    capitals=False: a capital alone does not name its country ("the weather in Belgrade")."""
    found: dict[str, None] = {}
    index = _by_first_token()
    for i, token in enumerate(tokens):
        for name in index.get(token, ()):
            if tuple(tokens[i : i + len(name)]) == name and (capitals or name not in _capitals()):
                found.setdefault(_table()[name])
        if len(token) >= 5 and token not in index:
            found.update(dict.fromkeys(_single_word_likeness(token)))
        country = _other_language_names(tokens, i)
        if country:
            found.setdefault(country)
    return list(found)


@functools.lru_cache(maxsize=16384)
def _single_word_likeness(token: str) -> tuple[str, ...]:
    out = []
    for (name,), country in ((n, c) for n, c in _table().items() if len(n) == 1):
        if name == country and (
            (token.startswith(name) and len(token) - len(name) <= 3) or exonym(name, token)
        ):
            out.append(country)
    return tuple(out)
