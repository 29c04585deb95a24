"""WhatsApp chat export: the header grammar, date rules and localised system/media lines.

Everything here works on UTF-8 *bytes*: the importer runs one compiled regex over the whole
buffer (``re.split``), which is many times faster than decoding first and matching per line.

A message header is, after optional direction marks (LRM, RLM, BOM, U+202A..U+202E):

    [date, time] author: text        iOS style (brackets, seconds usually present)
    date, time - author: text        Android style (dash)
    [time, date] author: text        time-first locales (Vietnamese)
    date klo time - author: text     Finnish ("13.6.2018 klo 21.25 - ...")
    date time: author: text          a colon closing the time ("13.06.18 21.25.15: ...")

date is three (or two: no year) numbers separated by ``/ . -``, in any order that the whole
file decides (see :func:`resolve_date_order`); the comma after the date may be missing or be
the Arabic comma; time is ``H:MM[:SS]`` (or ``H.MM.SS``) with an optional AM/PM marker
written in any of WhatsApp's spellings (``PM``, ``p.m.``, ``p. m.``, with NBSP or U+202F).
A header line without ``author:`` is a system line (Android). iOS writes system lines with the
chat name as the author and the text starting with LRM; those are recognised by their text.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from datetime import datetime
from pathlib import Path

from netassist.importers.base import FormatError

# Speed matters here (a million headers): multi-byte marks and spaces are matched as byte
# *classes* (a C loop) instead of alternations; in header positions, between digits and
# brackets, the looseness cannot swallow anything that matters.
# Marks: LRM, RLM (e2 80 8e/8f), LRE..RLO (e2 80 aa..ae), BOM (ef bb bf), ALM (d8 9c).
MK = rb"[\xe2\x80\x8e\x8f\xaa-\xae\xef\xbb\xbf\xd8\x9c]*"
# Spaces: ASCII, NBSP (c2 a0), NARROW NBSP (e2 80 af: iOS 17 before AM/PM), THIN SPACE.
S = rb"[ \t\xc2\xa0\xe2\x80\xaf\x89]"
_AMPM = (
    rb"(?:" + S + rb"*(?:[AaPp]\.?" + S + rb"*[Mm]\.?"
    rb"|\xd8\xb5|\xd9\x85"  # Arabic AM/PM letters
    rb"|\xe5\x8d\x88\xe5\x89\x8d|\xe5\x8d\x88\xe5\xbe\x8c"  # 午前 午後
    rb"|\xe4\xb8\x8a\xe5\x8d\x88|\xe4\xb8\x8b\xe5\x8d\x88"  # 上午 下午
    rb"))?"
)
_DATE = (
    rb"(\d{1,4}"
    + MK
    + rb"[./-]"
    + MK
    + rb"\d{1,2}(?:"
    + MK
    + rb"[./-]"
    + MK
    + rb"\d{1,4}(?: BE)?)?\.?)"
)
_TIME = rb"(\d{1,2}[:.]\d\d(?:[:.]\d\d)?" + _AMPM + rb")"
# Finnish puts "klo" between date and time: "13.6.2018 klo 21.25 - Mika: ..."
_DT_SEP = MK + rb"(?:,|\xd8\x8c)?" + S + rb"+(?:klo" + S + rb"+)?" + MK
# After the time: "]" (iOS), " - " (Android), or a colon ("13.06.18 21.25.15: Laura: ...").
_END = (
    MK
    + rb"\.?"
    + MK
    + rb"(?:\]"
    + S
    + rb"?|"
    + S
    + rb"*(?:-|\xe2\x80\x93)"
    + S
    + rb"|:"
    + S
    + rb")"
)
# Author: anything up to the first colon on the line (names never hold one; "John:." and a
# bare "Carol:" at the end of a line are messages too). No author -> a system line. Greedy on
# a class without ':' is the first colon, and far faster than a lazy quantifier.
_AUTHOR = rb"(?:([^\n:]{1,200}):" + S + rb"?)?"
_LEAD = rb"\n" + MK + rb"\[?" + MK

# Groups: 1 date, 2 time, 3 author. Split on this and the pieces come in fours.
HEADER_DATE_FIRST = re.compile(_LEAD + _DATE + _DT_SEP + _TIME + _END + _AUTHOR)
# Groups: 1 time, 2 date, 3 author.
HEADER_TIME_FIRST = re.compile(_LEAD + _TIME + _DT_SEP + _DATE + _END + _AUTHOR)


def pick_header_regex(head: bytes) -> re.Pattern[bytes]:
    """Time-first headers ("[14:56:01, 3/18/22]") are rare; use them only when they are what
    the start of the file holds."""
    buf = b"\n" + head
    n_date = len(HEADER_DATE_FIRST.findall(buf[:65536]))
    n_time = len(HEADER_TIME_FIRST.findall(buf[:65536]))
    return HEADER_TIME_FIRST if n_time > n_date else HEADER_DATE_FIRST


# ---- system lines (skipped) --------------------------------------------------------------
# Matched against the text after the header (and after "Chat name: " on iOS), marks removed.
_E2E_PATTERNS = [
    r"end-to-end encrypted|secured with end-to-end encryption|end-to-end versleuteld",
    r"сквозным шифрованием|наскрізним шифруванням|наскрізним шифруванням",
    r"Ende-zu-Ende-verschlüsselt|chiffrés de bout en bout|cifrados de extremo a extremo",
    r"crittografati end-to-end|encriptadas ponto a ponto|criptografadas de ponta a ponta",
    r"koncovým šifrováním|zabezpečeny koncovým|terenkripsi secara end-to-end|エンドツーエンド暗号化",
    r"mã hóa đầu cuối|ได้รับการเข้ารหัส|एंड-टू-एंड एन्क्रिप्टेड",
    r"الرسائل والمكالمات مشفرة|szyfrowaniem end-to-end|uçtan uca şifrelidir",
    # business chats: Meta's banner, written with the business as the author
    r"^This business (?:uses a secure service from Meta|works with other companies)",
]
E2E_RE = re.compile("|".join(f"(?:{p})" for p in _E2E_PATTERNS))
_NOTICE_PATTERNS = [
    *_E2E_PATTERNS,
    r"^(?:Your )?security code (?:with .{1,80} )?changed|^Waiting for this message",
    r"код безопасности с контактом|Код безпеки з контактом|code de sécurité avec"
    r"|codice di sicurezza con|código de seguridad con|código de segurança|Sicherheitsnummer für"
    r"|beveiligingscode met|bezpečnostní kód",
    # ("‎Missed voice call" is not here: a call from its author, a message as on Android)
    r"^Disappearing messages|^This chat is with a business",
    r"^You(?:'re| are) now an admin|^You're no longer an admin",
    r"^Messages (?:to this|you send to this)|^.{1,80} is a contact$",
    r"^Вас добавил|^Вы теперь администратор|^Ваш код безопасности|^Вас додав",
]
# Membership and settings lines. "You deleted this message" and its translations are messages,
# not system lines: the lookahead keeps anything that talks about a message.
_MEMBER_PATTERNS = [
    r"^(?:You|.{1,80}?) (?:created group|created this group|added|removed|left$|joined using"
    r"|changed (?:the subject|this group's|the group|their phone number|to)|was added"
    r"|were added|changed the group description|deleted the group description"
    r"|started a call|turned (?:on|off) disappearing|updated the message timer"
    r"|pinned a message|requested to join)",
    r"^You (?:were added|joined|left|created|changed|added|removed|updated|turned|deleted the"
    r"|blocked|unblocked|'re now an admin|are now an admin|now an admin)",
    r"^(?:Вы|.{1,80}?) (?:создал\(а\)|создали|создала?|добавил\(а\)|добавили|добавила?"
    r"|удалил\(а\)|удалили|удалила?|вышел\(а\)|вышла?|вышли|покинул\(а\)"
    r"|изменил\(а\) (?:тему|описание|изображение|настройки|номер)|изменили|присоединил"
    r"|створив|створила|створили|додав|додала|додали|вийшов|вийшла|видалив|видалила"
    r"|змінив|змінила|змінили|приєднал)",
    r"^(?:Du hast|.{1,80}? hat) (?:die Gruppe|.{1,80}? hinzugefügt|.{1,80}? entfernt"
    r"|den Betreff|das Gruppenbild|die Gruppenbeschreibung)|^.{1,80} hat die Gruppe verlassen",
    r"^(?:Je hebt|.{1,80}? heeft) (?:de groep|.{1,80}? toegevoegd|.{1,80}? verwijderd)"
    r"|^.{1,80} heeft de groep verlaten",
    r"^(?:Vytvořil|.{1,80}? přidal|.{1,80}? odešel)",
    r"^(?:Creaste|Añadiste|Eliminaste a|Cambiaste|.{1,80}? (?:creó|añadió|eliminó|salió|cambió)) ",
    r"^(?:Você|.{1,80}?) (?:criou|adicionou|removeu|saiu|mudou) ",
    r"^(?:Vous avez|.{1,80}? a) (?:créé|ajouté|retiré|quitté|modifié) ",
    r"^(?:Hai|.{1,80}? ha) (?:creato|aggiunto|rimosso|abbandonato|cambiato) ",
]
_ABOUT_A_MESSAGE = (
    r"(?!.*(?:this message|сообщени|повідомлен|messaggio|mensaje|mensagem|Nachricht|bericht"
    r"|zpráv))"
)
#: System notices ("X added Y", "Сообщения и звонки защищены…") are never longer than this; the
#: notice regex is only tried on shorter texts (it is slow on a 100 kB line).
SYSTEM_MAXLEN = 600
SYSTEM_RE = re.compile(
    "|".join(f"(?:{p})" for p in _NOTICE_PATTERNS)
    + "|"
    + _ABOUT_A_MESSAGE
    + "(?:"
    + "|".join(f"(?:{p})" for p in _MEMBER_PATTERNS)
    + ")"
)
# "<name> added you" (and localised): that name is not me.
# The end of a header's time, for the "added" lines below: "12:24 - ", "12:24:03] ", and the
# old iOS "5:08:08 PM: " (a colon closing the time).
_TIME_TAIL = r"\d\d(?:(?:\s|\xe2\x80\xaf|\xc2\xa0)?[AaPp]\.?(?:\s|\xe2\x80\xaf|\xc2\xa0)?[Mm]\.?)?"
ADDED_YOU_RE = re.compile(
    (
        r"(?:\] |- |"
        + _TIME_TAIL
        + r": |: (?=\xe2\x80\x8e))(?:"
        + "\u200e"
        + r")?([^\n:\]]{1,80}?) (?:added you|добавил\(-?а\) вас|добавила? вас"
        r"|додав\(ла\) вас|додав вас|додала вас|hat dich hinzugefügt|heeft je toegevoegd"
        r"|heeft u toegevoegd|te añadió|te agregó|adicionou você|vous a ajouté|ti ha aggiunto)"
    ).encode()
)
# "You added Bob, Dave and Mallory", "You removed Mallory" (and localised): written on my phone,
# so those names are not me. The names are split on ", " and " and "/" и ".
YOU_ADDED_RE = re.compile(
    (
        # right after the time: Android "12:24 - You added", iOS "12:24:03] You added", old iOS
        # "5:08:08 PM: You added"; or iOS "Group: \u200eYou added" (a notice, never a message)
        r"(?:"
        + _TIME_TAIL
        + r"(?:\] (?:\xe2\x80\x8e)?| - |: )|: \xe2\x80\x8e)(?:You added|You removed|Вы добавили|Вы удалили|Ви додали"
        r"|Ви видалили) ([^\n]{1,400})"
    ).encode()
)
# "<name> added Y", "<name> left", "<name> created group ..." (and localised), read from a notice's
# text: WhatsApp writes the exporter's own actions as "You ...", so a named actor is somebody else.
ACTOR_RE = re.compile(
    r"^(.{1,80}?) (?:added |removed |left$|created group|created this group|changed the subject"
    r"|changed this group's|changed the group|joined using|changed their phone number"
    r"|добавил\(-?а\) |удалил\(-?а\) |вышел\(-?а\)|создал\(-?а\) группу|изменил\(-?а\) "
    r"|hat (?:die Gruppe|den Betreff|das Gruppenbild|.{1,80}? hinzugefügt|.{1,80}? entfernt)"
    r"|heeft (?:de groep|.{1,80}? toegevoegd|.{1,80}? verwijderd)"
    r"|(?:creó|añadió|agregó|eliminó|cambió) |salió$|(?:criou|adicionou|removeu|mudou) |saiu$"
    r"|a (?:créé|ajouté|retiré|modifié) |a quitté|ha (?:creato|aggiunto|rimosso|cambiato) "
    r"|ha abbandonato)"
)
#: "You" in the locales above: "You added Bob" names me, not an actor who is somebody else.
SECOND_PERSON = frozenset({"you", "вы", "du", "je", "u", "vous", "você", "tú", "hai"})
YOU_ADDED_SPLIT = re.compile(r",\s*|\s+(?:and|и|і|та)\s+")
# The group's name from its creation or a subject change (the last one wins).
GROUP_NAME_RE = re.compile(
    (
        r'(?:created group|changed the subject from ".*?" to|changed the subject to) "([^"\n]{1,100})"'
        r"|(?:создал\(а\) группу|изменил\(а\) тему с «.*?» на|створив групу|створила групу) "
        r"«([^»\n]{1,100})»"
    ).encode()
)
# the name before a rename, in the same lines
GROUP_FORMER_NAME_RE = re.compile(
    r'changed the subject from "([^"\n]{1,100})" to|изменил\(а\) тему с «([^»\n]{1,100})» на'.encode()
)
GROUP_NAME_KEYWORDS = tuple(
    k.encode()
    for k in (
        "created group",
        "changed the subject",
        "создал(а) группу",
        "изменил(а) тему",
        "створив групу",
        "створила групу",
    )
)
# Lines that only a group chat has (used when a chat shows a single other author).
GROUP_HINT = re.compile(
    'created group "|created this group|added you|You were added|joined using this group'
    "|создал\\(а\\) группу|создали группу|Вас добавил|добавил\\(а\\) вас|створив групу"
    "|створила групу|додав вас|hat die Gruppe|Du hast die Gruppe|Je hebt de groep|heeft de groep"
    "|creó el grupo|criou o grupo|a créé le groupe|ha creato il gruppo".encode()
)

# ---- media placeholders (attachments=1, text None) ---------------------------------------
_MEDIA_EXACT = {
    "<Media omitted>",
    "<Без медиафайлов>",
    "<Медіа пропущено>",
    "<Медиа пропущено>",
    "<Médias omis>",
    "<Multimedia omitido>",
    "<Archivo omitido>",
    "<Mídia oculta>",
    "<Arquivo de mídia oculto>",  # Brazilian Android before "<Mídia oculta>"
    "<Medien ausgeschlossen>",
    "<Media weggelaten>",
    "<Média vynechány>",
    "<Media omessi>",
    "<Media tidak disertakan>",
    "<Medya dahil edilmedi>",
    "<Pominięto multimedia>",
    "<تم استبعاد الوسائط>",
    "<メディアなし>",
    "<Đã bỏ qua Phương tiện>",
    "<Video message omitted>",  # Android video notes
    "<Video note omitted>",
    "<Videonachricht weggelassen>",
    "Image omitted",  # iOS 2025 capitalises these
    "Video omitted",
    "Audio omitted",
    "Sticker omitted",
    "Document omitted",
    # iOS in Czech, Thai, Arabic, Hindi, Vietnamese, and GIFs where the locale words them apart
    "obrázek vynechán",
    "video vynecháno",
    "zvukový soubor vynechán",
    "Vizitka vynechána",
    "nálepka vynechána",
    "GIF vynechán",
    "ไม่มีรูปภาพ",
    "วิดีโอถูกลบ",
    "ไม่มีไฟล์เสียง",
    "บัตรรายชื่อที่ละเว้น",
    "ไม่มีสติกเกอร์",
    "ละเว้น GIF",
    "لم يتم إدراج الصورة",
    "لم يتم إدراج الفيديوهات",
    "لم يتم إدراج المقاطع الصوتية",
    "لم يتم إدراج بطاقة جهة اتصال",
    "تم حذف الملصقات",
    "لم يتم إدراج صورة GIF",
    "फ़ोटो हटाई गई",
    "वीडियो छोड़ा गया",
    "ऑडियो हटाई गयी",
    "कॉन्टैक्ट कार्ड छोड़ा गया",
    "स्टिकर छोड़ा गया",
    "GIF छोड़ा गया",
    "đã bỏ qua hình ảnh",
    "đã bỏ video",
    "bỏ qua tệp âm thanh",
    "Bỏ qua thẻ liên lạc",
    "đã bỏ sticker",
    "Đã bỏ qua ảnh GIF",
    "GIF esclusa",
    "GIF não revelada",
    "GIF-анімацію пропущено",
    "GIF tidak disertakan",
    "GIFは含まれていません",
    "<image omitted>",  # iOS before 2018 wrote these in angle brackets
    "<video omitted>",
    "<audio omitted>",
    "<GIF omitted>",
    "<sticker omitted>",
    "image omitted",
    "video omitted",
    "audio omitted",
    "sticker omitted",
    "GIF omitted",
    "document omitted",
    "Contact card omitted",
    "Media omitted",
    "изображение отсутствует",
    "видео отсутствует",
    "аудиофайл отсутствует",
    "GIF отсутствует",
    "стикер не добавлен",
    "стикер отсутствует",
    "Карточка контакта отсутствует",
    "документ отсутствует",
    "зображення відсутнє",
    "відео відсутнє",
    "аудіо відсутнє",
    "Наклейку не додано",
    "Картка контакту відсутня",
    "GIF відсутній",
    "документ пропущено",
    "Bild weggelassen",
    "Video weggelassen",
    "Audio weggelassen",
    "Sticker weggelassen",
    "GIF weggelassen",
    "Kontaktkarte ausgelassen",
    "Dokument weggelassen",
    "image absente",
    "vidéo absente",
    "audio omis",
    "sticker omis",
    "GIF retiré",
    "Fiche contact manquante",
    "document manquant",
    "immagine omessa",
    "video omesso",
    "audio omesso",
    "sticker non incluso",
    "GIF omessa",
    "Scheda contatto omessa",
    "documento omesso",
    "imagen omitida",
    "Video omitido",
    "video omitido",
    "audio omitido",
    "sticker omitido",
    "GIF omitido",
    "Tarjeta de contacto omitida",
    "documento omitido",
    "imagem não revelada",
    "vídeo não revelado",
    "ficheiro de áudio não revelado",
    "sticker não revelado",
    "Contacto não revelado",
    "documento não revelado",
    "imagem ocultada",
    "vídeo omitido",
    "áudio ocultado",
    "figurinha omitida",
    "gambar tidak disertakan",
    "video tidak disertakan",
    "audio tidak disertakan",
    "stiker tidak disertakan",
    "Kartu kontak tidak disertakan",
    "dokumen tidak disertakan",
    "画像は含まれていません",
    "ビデオは含まれていません",
    "音声は含まれていません",
    "スタンプは含まれていません",
    "連絡先カードを省略",
    "ドキュメントは含まれていません",
}
# Devanagari letters with a nukta ("ड़") are written precomposed (U+095C) by WhatsApp but
# decomposed ("ड" + U+093C) by NFC: keep both spellings.
_NUKTA = {chr(0x0958 + i): unicodedata.normalize("NFD", chr(0x0958 + i)) for i in range(8)}


def _nukta_variants(words: set[str]) -> set[str]:
    out = set(words)
    for w in words:
        for composed, decomposed in _NUKTA.items():
            out.add(out_w := w.replace(decomposed, composed))
            out.add(out_w.replace(composed, decomposed))
    return out


MEDIA_EXACT = frozenset(_nukta_variants(_MEDIA_EXACT))
MEDIA_EXACT_MAXLEN = 48  # the importer skips the set lookup for longer texts (tested)
# Suffix forms: "<file name> ‎document omitted", "IMG-1.jpg (file attached)",
# "<attached: 0001-PHOTO.jpg>", German "<angehängt: x.opus>", Russian "(файл добавлен)".
MEDIA_RE = re.compile(
    r"(?:^|[\s\u200e\u200f])<(?:attached|angehängt|adjunto|anexado|joint|allegato|bijgevoegd"
    r"|прикреплено|додано|připojeno|terlampir): [^>]*>$"
    # iOS before 2017: "IMG_0042.JPG <attached>", Dutch "3.jpg <bijgevoegd>" (a file name first)
    r"|^[^\s<>]{1,200}\.[0-9A-Za-z]{2,5} <[\u200e\u200f]?(?:attached|bijgevoegd|angehängt"
    r"|adjunto|anexado|joint|allegato|прикреплено)>$"
    r"|\((?:file attached|файл добавлен|файл додано|bestand bijgevoegd|Datei angehängt"
    r"|archivo adjunto|arquivo anexado|fichier joint|file allegato|soubor byl přiložen"
    r"|soubor byl připojen|dosya ekli|file terlampir)\)$"
    r"|(?:^|[\s\u200e\u200f])(?:document omitted|документ отсутствует|документ пропущено"
    r"|Dokument weggelassen|document manquant|documento omesso|documento omitido"
    r"|documento não revelado|dokumen tidak disertakan|ドキュメントは含まれていません"
    r"|dokument vynechán|ละเว้นเอกสาร|لم يتم إدراج المستند|đã bỏ qua tài liệu|"
    + "|".join(sorted(_nukta_variants({"डॉक्यूमेंट छोड़ा गया"})))
    + r")$"
)
# What WhatsApp appends to the last line of an edited message ("text <This message was edited>";
# iOS puts an LRM before "<"): a mark on the message, not its text. Only the wordings seen in
# real exports or in other tools' code for real exports (en, de, es, ru, pt, fr, it, nl, pl, tr);
# German and Spanish end with a full stop inside the brackets, the others mostly not.
EDITED_RE = re.compile(
    r"[\s\u200e\u200f]+<(?:This message was edited|Diese Nachricht wurde bearbeitet"
    r"|Se editó este mensaje|Сообщение изменено|Mensagem editada|Ce message a été modifié"
    r"|Questo messaggio è stato modificato|Dit bericht is bewerkt|Ta wiadomość była edytowana"
    r"|Bu mesaj düzenlendi)\.?>\Z",
    re.IGNORECASE,
)
EDITED_TAIL = 48  # the marker and the spaces before it fit in this many last characters
# iOS writes authors who are not in the address book as "~ Name" (tilde, narrow space).
PUSH_NAME_MARK = re.compile(r"^~[\s\u202f\u00a0]*(?=\S)")
# Marks stripped from names and from text edges.
STRIP_CHARS = "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\ufeff\u061c \t\r\n"


def specialise(head: bytes) -> re.Pattern[bytes] | None:
    """A faster header regex for the one dialect the start of the file is written in.

    Real exports use one header shape throughout; the generic regex pays for every variant on
    every line. The shape is read from the first headers (separators, seconds, AM/PM, brackets)
    and compiled literally; None when the head mixes shapes or has marks inside dates. The
    importer checks the result (no header may hide inside a multi-line body) and falls back to
    the generic regex when it misses one.
    """
    buf = b"\n" + head
    shapes = set()
    lead_marks = False
    for n, m in enumerate(HEADER_DATE_FIRST.finditer(buf)):
        if n >= 300:
            break
        lead = buf[m.start() : m.start(1)]
        date, tim = m.group(1), m.group(2)
        mid = buf[m.end(1) : m.start(2)]
        end = buf[m.end(2) : m.start(3) if m.group(3) is not None else m.end()]
        seps = set(re.sub(rb"\d", b"", date))
        if len(seps) != 1 or not re.fullmatch(rb"\d{1,4}[./-]\d{1,2}(?:[./-]\d{1,4})?", date):
            return None
        fields = date.count(bytes([next(iter(seps))])) + 1
        tsep = b":" if b":" in tim else b"."
        secs = len(re.findall(rb"\d+", tim)) == 3
        ampm = bool(re.search(rb"[^\d:.]", tim))
        lead_marks = lead_marks or lead.strip(b"\n[") != b""
        bracket = b"[" in lead
        if re.search(rb"[^ ,\]\-]", mid + end):
            return None
        shapes.add((bytes([next(iter(seps))]), fields, mid, tsep, secs, ampm, end, bracket))
    if len(shapes) != 1:
        return None
    sep, fields, mid, tsep, secs, ampm, end, bracket = shapes.pop()
    s = re.escape(sep)
    t = re.escape(tsep)
    date = rb"(\d{1,4}" + s + rb"\d{1,2}" + (s + rb"\d{1,4}" if fields == 3 else b"") + rb")"
    tim = rb"(\d{1,2}" + t + rb"\d\d" + (t + rb"\d\d" if secs else b"") + (_AMPM if ampm else b"")
    lead = rb"\n" + (MK if lead_marks else b"") + (rb"\[" if bracket else b"")
    return re.compile(
        lead + date + re.escape(mid) + tim + rb")" + re.escape(end) + rb"(?:([^\n:]{1,200}): ?)?"
    )


# ---- reading the export (a .txt, or the .zip it is shared as) -----------------------------
MAX_CHAT_BYTES = 1 << 30  # a chat text above 1 GiB is not a WhatsApp export (zip-bomb guard)
MAX_ZIP_MEMBERS = 100_000
PHONE_RE = re.compile(r"^\+?[\d\s().\-\u2011\u00a0]{6,}$")
CHAT_NAME_RE = re.compile(
    r"^(?:WhatsApp Chat with |WhatsApp Chat - |Чат WhatsApp с |Чат WhatsApp з |WhatsApp-chat met "
    r"|Chat WhatsApp s uživatelem |Chat de WhatsApp con |Conversa do WhatsApp com "
    r"|WhatsApp-Chat mit |Discussion WhatsApp avec |Chat WhatsApp con )(?P<name>.+)$"
)


def chat_member(zf: zipfile.ZipFile) -> zipfile.ZipInfo | None:
    infos = zf.infolist()[:MAX_ZIP_MEMBERS]
    txts = [i for i in infos if i.filename.lower().endswith(".txt") and not i.is_dir()]
    if not txts:
        return None
    for i in txts:
        base = i.filename.rsplit("/", 1)[-1]
        if base == "_chat.txt" or "whatsapp" in base.lower():
            return i
    return txts[0] if len(txts) == 1 else None


def read_chat_bytes(path: Path) -> tuple[bytes, str, int, str | None]:
    """(bytes of the chat text, display name for ``where``, reference year, name from file)."""
    path = Path(path)
    with open(path, "rb") as fh:
        magic = fh.read(4)
    if magic == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(path) as zf:
                member = chat_member(zf)
                if member is None:
                    raise FormatError(f"{path.name}: the zip holds no WhatsApp chat .txt")
                if member.file_size > MAX_CHAT_BYTES:
                    raise FormatError(f"{path.name}: the chat text is too large to be a chat")
                parts: list[bytes] = []
                total = 0
                with zf.open(member) as fh:  # the declared size may lie: cap what is read
                    while chunk := fh.read(1 << 20):
                        total += len(chunk)
                        if total > MAX_CHAT_BYTES:
                            raise FormatError(f"{path.name}: the chat text inflates beyond 1 GiB")
                        parts.append(chunk)
                data = b"".join(parts)
                year = member.date_time[0]
        except (zipfile.BadZipFile, RuntimeError, NotImplementedError, OSError) as e:
            raise FormatError(f"{path.name}: unreadable zip ({e.__class__.__name__})") from e
        display = f"{path.name}/{member.filename}"
        stem = path.stem
    else:
        if path.stat().st_size > MAX_CHAT_BYTES:
            raise FormatError(f"{path.name}: too large to be a WhatsApp chat export")
        data = path.read_bytes()
        year = datetime.fromtimestamp(path.stat().st_mtime).year
        display = path.name
        stem = path.stem
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):  # a UTF-16 copy (Windows Notepad "Unicode")
        data = data.decode("utf-16", "replace").encode("utf-8")  # odd length: a cut-off file
    if data[:3] == b"\xef\xbb\xbf":
        data = data[3:]
    return data, display, year, chat_title(stem)


def chat_title(stem: str) -> str | None:
    """The chat's name from a file name WhatsApp gave ("WhatsApp Chat with X" -> "X")."""
    m = CHAT_NAME_RE.match(unicodedata.normalize("NFC", stem))
    return m.group("name").strip() if m else None
