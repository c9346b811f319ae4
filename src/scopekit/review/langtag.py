"""Language tags (BCP 47, RFC 5646): is review.yaml's `language:` one, and if not, what
was meant?

`problem(tag)` checks the RFC's syntax, then the subtags people get wrong, against small
tables: a two-letter language must be an ISO 639-1 code (`en`, `cy`); the three-letter ISO
639-2 code of a language that has a two-letter one is not a subtag (`eng` is written `en`);
no language subtag has four to eight letters (`klingon`, `english`); a two-letter region
must be an ISO 3166-1 code, current or former (`en-UK` is `en-GB`). Other three-letter
languages (`sco`, `yue`), scripts, three-digit regions, variants and extensions are checked
for form only, so that no registered tag is refused. The tables are from Debian's iso-codes
4.15; IANA's subtag registry holds these codes and a few more, accepted below.

Pure Python and small: `scopekit check` imports it without any data package.
"""

from __future__ import annotations

import re
from functools import cache
from typing import NamedTuple

#: What a good value looks like, for hints.
EXAMPLES = "en-GB (English, UK), en, cy (Welsh) or fr-FR"

_TAG_PATTERN = r"""
    (?P<language>[a-z]{2,3}(?:-[a-z]{3}){0,3}|[a-z]{4,8})
    (?:-(?P<script>[a-z]{4}))?
    (?:-(?P<region>[a-z]{2}|[0-9]{3}))?
    (?P<variants>(?:-(?:[a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*)
    (?P<extensions>(?:-[0-9a-wyz](?:-[a-z0-9]{2,8})+)*)
    (?:-x(?:-[a-z0-9]{1,8})+)?
"""
_PRIVATE_USE = re.compile(r"x(?:-[a-z0-9]{1,8})+", re.I)

#: RFC 5646's grandfathered tags that its syntax does not cover (the "irregular" ones).
_IRREGULAR = frozenset(
    """
    en-gb-oed i-ami i-bnn i-default i-enochian i-hak i-klingon i-lux i-mingo i-navajo i-pwn
    i-tao i-tay i-tsu sgn-be-fr sgn-be-nl sgn-ch-de
    """.split()
)

#: ISO 639-1: two-letter code, its ISO 639-2 codes (terminology, bibliographic), English name.
_ISO_639_1 = """
aa aar Afar
ab abk Abkhazian
ae ave Avestan
af afr Afrikaans
ak aka Akan
am amh Amharic
an arg Aragonese
ar ara Arabic
as asm Assamese
av ava Avaric
ay aym Aymara
az aze Azerbaijani
ba bak Bashkir
be bel Belarusian
bg bul Bulgarian
bh bih Bihari languages
bi bis Bislama
bm bam Bambara
bn ben Bengali
bo bod,tib Tibetan
br bre Breton
bs bos Bosnian
ca cat Catalan; Valencian
ce che Chechen
ch cha Chamorro
co cos Corsican
cr cre Cree
cs ces,cze Czech
cu chu Church Slavic; Old Slavonic; Church Slavonic; Old Bulgarian; Old Church Slavonic
cv chv Chuvash
cy cym,wel Welsh
da dan Danish
de deu,ger German
dv div Divehi; Dhivehi; Maldivian
dz dzo Dzongkha
ee ewe Ewe
el ell,gre Greek, Modern (1453-)
en eng English
eo epo Esperanto
es spa Spanish; Castilian
et est Estonian
eu eus,baq Basque
fa fas,per Persian
ff ful Fulah
fi fin Finnish
fj fij Fijian
fo fao Faroese
fr fra,fre French
fy fry Western Frisian
ga gle Irish
gd gla Gaelic; Scottish Gaelic
gl glg Galician
gn grn Guarani
gu guj Gujarati
gv glv Manx
ha hau Hausa
he heb Hebrew
hi hin Hindi
ho hmo Hiri Motu
hr hrv Croatian
ht hat Haitian; Haitian Creole
hu hun Hungarian
hy hye,arm Armenian
hz her Herero
ia ina Interlingua (International Auxiliary Language Association)
id ind Indonesian
ie ile Interlingue; Occidental
ig ibo Igbo
ii iii Sichuan Yi; Nuosu
ik ipk Inupiaq
io ido Ido
is isl,ice Icelandic
it ita Italian
iu iku Inuktitut
ja jpn Japanese
jv jav Javanese
ka kat,geo Georgian
kg kon Kongo
ki kik Kikuyu; Gikuyu
kj kua Kuanyama; Kwanyama
kk kaz Kazakh
kl kal Kalaallisut; Greenlandic
km khm Central Khmer
kn kan Kannada
ko kor Korean
kr kau Kanuri
ks kas Kashmiri
ku kur Kurdish
kv kom Komi
kw cor Cornish
ky kir Kirghiz; Kyrgyz
la lat Latin
lb ltz Luxembourgish; Letzeburgesch
lg lug Ganda
li lim Limburgan; Limburger; Limburgish
ln lin Lingala
lo lao Lao
lt lit Lithuanian
lu lub Luba-Katanga
lv lav Latvian
mg mlg Malagasy
mh mah Marshallese
mi mri,mao Maori
mk mkd,mac Macedonian
ml mal Malayalam
mn mon Mongolian
mr mar Marathi
ms msa,may Malay
mt mlt Maltese
my mya,bur Burmese
na nau Nauru
nb nob Bokmål, Norwegian; Norwegian Bokmål
nd nde Ndebele, North; North Ndebele
ne nep Nepali
ng ndo Ndonga
nl nld,dut Dutch; Flemish
nn nno Norwegian Nynorsk; Nynorsk, Norwegian
no nor Norwegian
nr nbl Ndebele, South; South Ndebele
nv nav Navajo; Navaho
ny nya Chichewa; Chewa; Nyanja
oc oci Occitan (post 1500); Provençal
oj oji Ojibwa
om orm Oromo
or ori Oriya
os oss Ossetian; Ossetic
pa pan Panjabi; Punjabi
pi pli Pali
pl pol Polish
ps pus Pushto; Pashto
pt por Portuguese
qu que Quechua
rm roh Romansh
rn run Rundi
ro ron,rum Romanian; Moldavian; Moldovan
ru rus Russian
rw kin Kinyarwanda
sa san Sanskrit
sc srd Sardinian
sd snd Sindhi
se sme Northern Sami
sg sag Sango
si sin Sinhala; Sinhalese
sk slk,slo Slovak
sl slv Slovenian
sm smo Samoan
sn sna Shona
so som Somali
sq sqi,alb Albanian
sr srp Serbian
ss ssw Swati
st sot Sotho, Southern
su sun Sundanese
sv swe Swedish
sw swa Swahili
ta tam Tamil
te tel Telugu
tg tgk Tajik
th tha Thai
ti tir Tigrinya
tk tuk Turkmen
tl tgl Tagalog
tn tsn Tswana
to ton Tonga (Tonga Islands)
tr tur Turkish
ts tso Tsonga
tt tat Tatar
tw twi Twi
ty tah Tahitian
ug uig Uighur; Uyghur
uk ukr Ukrainian
ur urd Urdu
uz uzb Uzbek
ve ven Venda
vi vie Vietnamese
vo vol Volapük
wa wln Walloon
wo wol Wolof
xh xho Xhosa
yi yid Yiddish
yo yor Yoruba
za zha Zhuang; Chuang
zh zho,chi Chinese
zu zul Zulu
"""

#: Two-letter language subtags in IANA's registry that ISO 639-1 no longer lists.
_FORMER_LANGUAGES = frozenset("in iw ji jw mo sh".split())

#: ISO 3166-1 alpha-2, the region subtags.
_ISO_3166_1 = """
    AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO
    BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ
    DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP
    GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG
    KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML
    MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE
    PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL
    SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM
    US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW
"""

#: Region subtags besides: former ISO 3166 codes (3166-3), IANA's exceptional ones, and the
#: private-use range (AA, QM-QZ, XA-XZ, ZZ).
_OTHER_REGIONS = """
    AN BU CS CT DD DY FQ FX HV JT MI NH NQ NT PC PU PZ RH SU TP VD WK YD YU ZR
    AC CP DG EA EU EZ IC TA UN
    AA QM QN QO QP QQ QR QS QT QU QV QW QX QY QZ XA XB XC XD XE XF XG XH XI XJ XK XL XM XN
    XO XP XQ XR XS XT XU XV XW XX XY XZ ZZ
"""


class TagProblem(NamedTuple):
    """Why a value is not a language tag, and what to write instead."""

    why: str
    hint: str


@cache
def _tag() -> re.Pattern[str]:
    """RFC 5646's syntax, compiled when a tag is first checked (a build that only renders
    never needs it, and it takes a millisecond or more to compile)."""
    return re.compile(_TAG_PATTERN, re.X | re.I)


def problem(tag: str) -> TagProblem | None:
    """What is wrong with the language tag `tag`, or None when it is a valid one."""
    if tag.lower() in _IRREGULAR or _PRIVATE_USE.fullmatch(tag):
        return None
    match = _tag().fullmatch(tag)
    if match is None:
        if "_" in tag and problem(tag.replace("_", "-")) is None:
            return TagProblem(
                "subtags are joined with '-', not '_'", f"write '{tag.replace('_', '-')}'"
            )
        return TagProblem("a tag is codes of letters and digits joined with '-'", _hint(tag))
    language = match["language"].split("-")[0]
    names, threes, _ = _languages()
    if len(language) > 3:
        return TagProblem("a language code has two or three letters", _hint(tag))
    known = language.lower() in names or language.lower() in _FORMER_LANGUAGES
    if len(language) == 2 and not known:
        return TagProblem(f"'{language}' is not an ISO 639-1 language code", _hint(tag))
    if language.lower() in threes:
        two = threes[language.lower()]
        return TagProblem(
            f"the code of {names[two]} in a tag is '{two}', not '{language}'",
            f"write '{two}{tag[len(language) :]}'",
        )
    region = match["region"]
    if region and region.isalpha() and region.upper() not in _regions():
        if region.upper() == "UK":
            return TagProblem(
                "'UK' is not a region code: the United Kingdom's is GB",
                f"write '{tag[: match.start('region')]}GB{tag[match.end('region') :]}'",
            )
        return TagProblem(
            f"'{region}' is not an ISO 3166-1 region code",
            f"write a region code such as GB, US or FR, or none: '{match['language']}'",
        )
    for group, what in (("variants", "variant"), ("extensions", "extension")):
        subtags = match[group].lower().split("-")[1:]
        if group == "extensions":
            subtags = [s for s in subtags if len(s) == 1]  # the singletons that start each
        repeated = sorted({s for s in subtags if subtags.count(s) > 1})
        if repeated:
            return TagProblem(f"the {what} '{repeated[0]}' is given twice", _hint(tag))
    return None


def _hint(tag: str) -> str:
    """What to write for `tag`: the code of a language named in English, or examples."""
    _, _, by_name = _languages()
    code = by_name.get(tag.strip().lower())
    if code == "en":
        return "write its code: 'en', or 'en-GB' for English as written in the UK"
    if code:
        return f"write its code: '{code}'"
    return f"write a BCP 47 language tag such as {EXAMPLES}"


@cache
def _languages() -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """ISO 639-1 code -> English name; ISO 639-2 code -> ISO 639-1 code; name -> code."""
    names: dict[str, str] = {}
    threes: dict[str, str] = {}
    by_name: dict[str, str] = {}
    for line in _ISO_639_1.strip().splitlines():
        two, codes, name = line.split(" ", 2)
        names[two] = name.split(";")[0]
        threes.update(dict.fromkeys(codes.split(","), two))
        for alias in name.split(";"):
            by_name.setdefault(alias.strip().lower(), two)
    return names, threes, by_name


@cache
def _regions() -> frozenset[str]:
    return frozenset((_ISO_3166_1 + _OTHER_REGIONS).split())
