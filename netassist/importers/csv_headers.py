"""What the columns of address-book CSV exports mean: Google Contacts (old and 2020+ headers),
Outlook (English, Russian, German, French and Japanese), Thunderbird, Windows Live, LinkedIn
Connections.

``column_spec(header)`` maps one header cell to a :class:`Col` (field, label, index for the
numbered Google columns, part for split addresses and dates), or None for columns we ignore.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Col:
    field: str  # ImportedContact field, or "email"/"phone"/"url"/"im"/"address"/... (see below)
    label: str | None = None
    index: int | None = None  # Google "E-mail 2 - Value" → 2
    part: str = ""  # "value" / "label" / "service" for numbered columns; address part names


def normalise_header(h: str) -> str:
    return " ".join(h.replace("\ufeff", "").strip().strip('"').lower().split())


_STATIC: dict[str, Col] = {}


def _add(field: str, *names: str, label: str | None = None) -> None:
    for n in names:
        _STATIC[n] = Col(field, label)


_add(
    "full_name",
    "name",
    "display name",
    "full name",
    "fn",
    "file as",
    "имя и фамилия",
    "отображаемое имя",
    "полное имя",
    "фио",
)
# German column names are Outlook's with a German UI (Vorname, Nachname, Firma...).
_add("given_name", "given name", "first name", "firstname", "first", "имя", "vorname")
_add("middle_name", "additional name", "middle name", "middle", "отчество", "weitere vornamen")
_add(
    "family_name", "family name", "last name", "lastname", "last", "surname", "фамилия", "nachname"
)
_add("prefix", "name prefix", "title", "prefix", "обращение", "anrede")
_add("suffix", "name suffix", "suffix", "суффикс")
_add("nickname", "nickname", "nick name", "nick", "псевдоним", "ник", "прозвище", "spitzname")
_add(
    "organization",
    "company",
    "organization",
    "organization name",
    "organisation",
    "организация",
    "компания",
    "firma",
)
_add("title", "job title", "position", "organization title", "должность")
_add(
    "birthday",
    "birthday",
    "birth date",
    "date of birth",
    "bday",
    "дата рождения",
    "день рождения",
    "geburtstag",
)
_add("anniversary", "anniversary", "годовщина", "jahrestag")
_add("note", "notes", "note", "заметки", "пометки", "примечания", "заметка", "notizen")
_add(
    "tags",
    "group membership",
    "labels",
    "categories",
    "category",
    "groups",
    "категории",
    "группы",
    "группа",
    "kategorien",
)
_add("connected_on", "connected on")
_add("birth_year", "birth year", "год рождения")
_add("birth_month", "birth month", "месяц рождения")
_add("birth_day", "birth day")
_add(
    "email",
    "e-mail address",
    "email address",
    "e-mail",
    "email",
    "primary email",
    "адрес эл. почты",
    "основной адрес эл. почты",
    "электронная почта",
    "e-mail адрес",
    "e-mail-adresse",
)
_add(
    "email",
    "secondary email",
    "e-mail 2 address",
    "e-mail 3 address",
    "адрес 2 эл. почты",
    "адрес 3 эл. почты",
    "дополнительный адрес эл. почты",
    "e-mail 2: adresse",
    "e-mail 3: adresse",
    "other email",
    label="other",
)
_add("email", "email home", "home email", "personal email", label="home")
_add("email", "email work", "work email", "business email", label="work")
_add("email", "email other", label="other")
_add(
    "url",
    "web page",
    "website",
    "web site",
    "url",
    "homepage",
    "personal web page",
    "web page 1",
    "web page 2",
    "website home page",
    "website work",
    "website blog",
    "website other",
    "website profile",
    "веб-страница",
    "личная веб-страница",
    "веб-страница 1",
    "веб-страница 2",
    "сайт",
    "webseite",
)
for _kind in (
    "telegram",
    "whatsapp",
    "skype",
    "vk",
    "signal",
    "instagram",
    "twitter",
    "facebook",
    "linkedin",
):
    _add(_kind, _kind, f"im {_kind}", f"{_kind} id", f"{_kind} username")
_add("vk", "вконтакте", "вк")
_add("telegram", "телеграм", "телеграмм")
for _svc in ("aim", "icq", "jabber", "msn", "yahoo", "xmpp", "gtalk"):
    _STATIC[f"im {_svc}"] = Col("im", _svc)
_STATIC["jabber"] = Col("im", "xmpp")
_STATIC["icq"] = Col("im", "icq")
_STATIC["screen name"] = Col("im", None)

# Outlook with another UI language writes its own column names: each is looked up as the
# English Outlook column it stands for (the names are Outlook's own, per language).
_OUTLOOK_EN_NAMES: dict[str, str] = {}


def _outlook_locale(pairs: str) -> None:
    for line in pairs.strip().splitlines():
        local, en = (x.strip() for x in line.split("|"))
        _OUTLOOK_EN_NAMES[normalise_header(local)] = en


# Japanese
_outlook_locale("""
肩書き | title
名 | first name
ミドル ネーム | middle name
姓 | last name
敬称 | suffix
ニックネーム | nickname
会社名 | company
役職 | job title
秘書の電話 | assistant's phone
会社 FAX | business fax
会社電話 | business phone
会社電話 2 | business phone 2
自動車電話 | car phone
会社代表電話 | company main phone
自宅 FAX | home fax
自宅電話 | home phone
自宅電話 2 | home phone 2
携帯電話 | mobile phone
その他の FAX | other fax
その他の電話 | other phone
ポケットベル | pager
通常の電話 | primary phone
無線電話 | radio phone
電子メール アドレス | e-mail address
電子メール 2 アドレス | e-mail 2 address
電子メール 3 アドレス | e-mail 3 address
Web ページ | web page
メモ | notes
分類 | categories
誕生日 | birthday
記念日 | anniversary
""")
for _ja, _en in (("会社", "business"), ("自宅", "home"), ("その他", "other")):
    _outlook_locale(f"""
番地 ({_ja}) | {_en} street
住所 2 ({_ja}) | {_en} street 2
住所 3 ({_ja}) | {_en} street 3
市町村 ({_ja}) | {_en} city
都道府県 ({_ja}) | {_en} state
郵便番号 ({_ja}) | {_en} postal code
国 ({_ja})/地域 | {_en} country/region
""")
# French ("Titre" is both the courtesy and the job title: see csv_contacts._columns)
_outlook_locale("""
Titre | job title
Prénom | first name
Deuxième prénom | middle name
Nom | last name
Suffixe | suffix
Surnom | nickname
Société | company
Téléphone de l'assistant(e) | assistant's phone
Télécopie (bureau) | business fax
Téléphone (bureau) | business phone
Téléphone 2 (bureau) | business phone 2
Téléphone (voiture) | car phone
Téléphone société | company main phone
Télécopie (domicile) | home fax
Téléphone (domicile) | home phone
Téléphone 2 (domicile) | home phone 2
Tél. mobile | mobile phone
Télécopie (autre) | other fax
Téléphone (autre) | other phone
Récepteur de radiomessagerie | pager
Téléphone principal | primary phone
Radio téléphone | radio phone
Adresse de messagerie | e-mail address
Adresse de messagerie 2 | e-mail 2 address
Adresse de messagerie 3 | e-mail 3 address
Page Web | web page
Notes | notes
Catégories | categories
Anniversaire | birthday
Anniversaire de mariage ou fête | anniversary
B.P. professionnelle | business po box
Boîte postale du domicile | home po box
Autre boîte postale | other po box
""")
for _fr, _en in (("bureau", "business"), ("domicile", "home"), ("autre", "other")):
    _outlook_locale(f"""
Rue ({_fr}) | {_en} street
Rue ({_fr}) 2 | {_en} street 2
Rue ({_fr}) 3 | {_en} street 3
Ville ({_fr}) | {_en} city
Dép/Région ({_fr}) | {_en} state
Code postal ({_fr}) | {_en} postal code
Pays/Région ({_fr}) | {_en} country/region
Pays ({_fr}) | {_en} country/region
""")

_NUMBERED_RE = re.compile(
    r"(e-mail|email|phone|address|website|im|organization|event)\s+(\d+)\s*-\s*(.+)"
)
_ADDRESS_RE = re.compile(
    r"(home|business|work|other)\s+(street(?: \d)?|address(?: \d)?|city|state|postal code|"
    r"zip|zipcode|zip code|country|country/region|po box|region)"
)
_ADDRESS_RU_RE = re.compile(
    r"(улица(?: \d)?|город|область|индекс|страна или регион|почтовый ящик)\s*"
    r"\((раб|дом|другой)\.?\s*адрес\)"
)
_ADDRESS_DE_RE = re.compile(
    r"(straße|ort|region|bundesland/kanton|postleitzahl|land/region|postfach)"
    r" (geschäftlich|privat)( \d)?"
)
_ADDRESS_DE_OTHER_RE = re.compile(
    r"weitere(?:r|s|/r|/e|s/r|s/e)? (straße|ort|bundesland/kanton|postleitzahl|land/region|postfach)"
    r"( \d)?"
)
_DE_PART = {
    "straße": "street",
    "ort": "city",
    "region": "state",
    "bundesland/kanton": "state",
    "postleitzahl": "postal code",
    "land/region": "country",
    "postfach": "po box",
}
_ADDRESS_ORDER = (
    "street",
    "address",
    "street 2",
    "address 2",
    "street 3",
    "po box",
    "city",
    "region",
    "state",
    "postal code",
    "zip",
    "zipcode",
    "zip code",
    "country",
    "country/region",
)
_RU_PART = {
    "улица": "street",
    "улица 2": "street 2",
    "улица 3": "street 3",
    "город": "city",
    "область": "state",
    "индекс": "postal code",
    "страна или регион": "country",
    "почтовый ящик": "po box",
}
_PHONE_WORDS = (
    ("mobile", "cell"),
    ("cell", "cell"),
    ("моб", "cell"),
    ("переносн", "cell"),
    ("радиотелефон", "cell"),
    ("fax", "fax"),
    ("факс", "fax"),
    ("pager", "pager"),
    ("пейджер", "pager"),
    ("business", "work"),
    ("work", "work"),
    ("company", "work"),
    ("раб", "work"),
    ("home", "home"),
    ("дом", "home"),
    ("car", "car"),
    ("машин", "car"),
    ("assistant", "assistant"),
    ("помощник", "assistant"),
    ("other", "other"),
    ("друг", "other"),
    ("primary", "main"),
    ("основн", "main"),
    ("mobil", "cell"),
    ("geschäftl", "work"),
    ("firma", "work"),
    ("privat", "home"),
    ("autotelefon", "car"),
    ("assistent", "assistant"),
    ("weitere", "other"),
    ("haupttelefon", "main"),
)


def address_order(part: str) -> int:
    return _ADDRESS_ORDER.index(part) if part in _ADDRESS_ORDER else len(_ADDRESS_ORDER)


def _phone_label(h: str) -> str | None:
    found = [lab for word, lab in _PHONE_WORDS if word in h]
    if not found:
        return None
    out = list(dict.fromkeys(found))
    if "fax" in out and len(out) > 1:
        out = [x for x in out if x != "fax"] + ["fax"]
    return " ".join(out[:2])


def column_spec(header: str) -> Col | None:
    h = normalise_header(header)
    if not h:
        return None
    col = _STATIC.get(h)
    if col is not None:
        return col
    if (en := _OUTLOOK_EN_NAMES.get(h)) is not None:
        return column_spec(en)
    if m := _NUMBERED_RE.fullmatch(h):
        kind, idx, part = m.group(1), int(m.group(2)), m.group(3).strip()
        kind = "email" if kind in ("e-mail", "email") else kind
        if part == "type":
            part = "label"
        return Col(kind + "#", None, idx, part)
    if m := _ADDRESS_RE.fullmatch(h):
        group = "work" if m.group(1) == "business" else m.group(1)
        return Col("address_part", group, None, m.group(2))
    if m := _ADDRESS_RU_RE.fullmatch(h):
        group = {"раб": "work", "дом": "home", "другой": "other"}[m.group(2)]
        return Col("address_part", group, None, _RU_PART[m.group(1)])
    if m := _ADDRESS_DE_RE.fullmatch(h):
        part = _DE_PART[m.group(1)] + (m.group(3) or "")
        group = "work" if m.group(2) == "geschäftlich" else "home"
        return Col("address_part", group, None, part)
    if m := _ADDRESS_DE_OTHER_RE.fullmatch(h):
        return Col("address_part", "other", None, _DE_PART[m.group(1)] + (m.group(2) or ""))
    if h in ("home address", "work address", "home address 2", "work address 2"):
        return Col("address_part", h.split()[0], None, "street" if "2" not in h else "street 2")
    if h in (
        "home city",
        "work city",
        "home state",
        "work state",
        "home zipcode",
        "work zipcode",
        "home country",
        "work country",
    ):
        g, part = h.split(" ", 1)
        return Col("address_part", g, None, part)
    words = set(h.split())
    if (
        "phone" in h
        or "телефон" in h
        or "telefon" in h
        or "факс" in h
        or "pager" in h
        or "пейджер" in h
        or words & {"fax", "mobile", "cell"}
    ):
        if "type" in h or "тип" in h:
            return None
        return Col("phone", _phone_label(h))
    if ("эл. почт" in h or "e-mail" in h or "email" in h) and not any(
        w in h for w in ("display", "type", "тип", "кратк", "отображ", "имя", "typ", "angezeigt")
    ):
        return Col("email", None)
    return None


# Columns whose presence says "this is an address book", per flavour (sniff and dialects).
GOOGLE_NEW = ("e-mail 1 - label", "phone 1 - label", "labels", "organization name")
GOOGLE_OLD = ("given name", "family name", "e-mail 1 - value", "group membership")
LINKEDIN = ("connected on",)
OUTLOOK_EN = ("e-mail address", "business phone", "mobile phone", "job title")
LOG_WORDS = frozenset(
    {
        "timestamp",
        "time",
        "date",
        "datetime",
        "text",
        "message",
        "body",
        "direction",
        "channel",
        "from",
        "to",
        "sender",
        "recipient",
    }
)
