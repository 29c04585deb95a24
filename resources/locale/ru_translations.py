"""Russian translations as data, and the step that writes netassist.po from the template.

Update the catalog after changing UI strings (GNU xgettext extracts them):

    xgettext --language=Python --keyword=_ --keyword=N_ --keyword=ngettext:1,2 \\
        --from-code=UTF-8 --no-wrap -o /tmp/netassist.pot netassist/ui/*.py netassist/ui/*/*.py
    python resources/locale/ru_translations.py /tmp/netassist.pot

It reports strings still missing here; the .mo is rebuilt with netassist.core.i18n.compile_po.
"""

from __future__ import annotations

import sys
from pathlib import Path

HEADER = (
    'msgid ""\nmsgstr ""\n'
    '"Project-Id-Version: netassist\\n"\n'
    '"Language: ru\\n"\n'
    '"MIME-Version: 1.0\\n"\n'
    '"Content-Type: text/plain; charset=UTF-8\\n"\n'
    '"Content-Transfer-Encoding: 8bit\\n"\n'
    '"Plural-Forms: nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && '
    '(n%100<10 || n%100>=20) ? 1 : 2);\\n"\n'
)

RU: dict[str, str] = {
    "Settings": "Настройки",
    "Two-letter country code for phone numbers without +country": "Двухбуквенный код страны для номеров без +кода",
    "how you appear in chats, comma-separated": "как вас зовут в чатах, через запятую",
    "Language": "Язык",
    "Default phone region": "Регион телефонов по умолчанию",
    "Daily digest at": "Ежедневная сводка в",
    "Quiet hours from": "Тихие часы с",
    "Quiet hours until": "Тихие часы до",
    "My names": "Мои имена",
    "Data folder": "Папка с данными",
    "today": "сегодня",
    "due today": "сегодня",
    "rising": "растёт",
    "fading": "угасает",
    "steady": "ровно",
    "call": "звонок",
    "meeting": "встреча",
    "note": "заметка",
    "e-mail": "почта",
    "SMS": "SMS",
    "VK": "ВКонтакте",
    "other": "другое",
    "from them": "от них",
    "from me": "от меня",
    "together": "вместе",
    "Today": "Сегодня",
    "Contacts": "Контакты",
    "Insights": "Обзор",
    "Import": "Импорт",
    "&File": "&Файл",
    "&Import…": "&Импорт…",
    "&Export contacts…": "&Экспорт контактов…",
    "&Settings…": "&Настройки…",
    "&Quit": "&Выход",
    "&Edit": "&Правка",
    "&Find…": "&Найти…",
    "Filter &contacts": "Фильтр &контактов",
    "&View": "&Вид",
    "&Today": "&Сегодня",
    "&Contacts": "&Контакты",
    "&Insights": "&Обзор",
    "I&mport": "И&мпорт",
    "&Refresh": "&Обновить",
    "&Help": "&Справка",
    "&About netassist": "&О программе netassist",
    "Search": "Поиск",
    "Search contacts and messages (Ctrl+K)": "Поиск по контактам и сообщениям (Ctrl+K)",
    "Loading a demo network so you can look around…": "Загружаем демонстрационную сеть, чтобы было что посмотреть…",
    "The demo network could not be loaded: %s": "Не удалось загрузить демо-сеть: %s",
    "Demo data: import your own from File ▸ Import": "Демо-данные: импортируйте свои через Файл ▸ Импорт",
    "A personal networking assistant that keeps your contacts and the history of your "
    "conversations on your own computer.": "Личный помощник по связям: ваши контакты и история общения хранятся только на "
    "вашем компьютере.",
    "Data folder: %s": "Папка с данными: %s",
    "About netassist": "О программе netassist",
    "Export contacts": "Экспорт контактов",
    "Name": "Имя",
    "Shown as": "Как показывать",
    "Could not finish: %s": "Не удалось завершить: %s",
    "All tags": "Все метки",
    "Cancelled before this file was read.": "Отменено до того, как файл был прочитан.",
    "No importer recognises this file.": "Ни один импортёр не распознал этот файл.",
    "set “My names” in Settings so your own messages are known": "укажите «Мои имена» в настройках, чтобы отличать ваши сообщения",
    "Strength": "Сила связи",
    "Trend": "Динамика",
    "Last interaction": "Последний контакт",
    "Due": "Пора",
    "Tags": "Метки",
    "Reminder: %s": "Напоминание: %s",
    "last interaction %s": "последний контакт %s",
    "Given name": "Имя",
    "Middle name": "Отчество",
    "Family name": "Фамилия",
    "Nickname": "Краткое имя",
    "Organisation": "Организация",
    "Job title": "Должность",
    "Birthday": "День рождения",
    "Back": "Назад",
    "comma-separated": "через запятую",
    "About": "О человеке",
    "Save changes": "Сохранить",
    "Details": "Сведения",
    "Ways to reach": "Как связаться",
    "Add a note…": "Добавить заметку…",
    "Add note": "Добавить",
    "Notes": "Заметки",
    "Timeline": "История",
    "Search this timeline…": "Поиск по истории…",
    "What was it about? (optional)": "О чём говорили? (необязательно)",
    "Log interaction": "Записать контакт",
    "last %s": "последний %s",
    "No e-mail, phone or messenger identity yet.": "Пока нет ни почты, ни телефона, ни мессенджера.",
    "No strength score yet: it is computed from the history by the scoring engine.": "Оценки силы связи пока нет: её вычисляет по истории общения модуль оценки.",
    "Strength %d of 100": "Сила связи %d из 100",
    "Filter by name or organisation…": "Фильтр по имени или организации…",
    "Open": "Открыть",
    "Tag…": "Метка…",
    "Merge two": "Объединить два",
    "Forget…": "Забыть…",
    "Tag contacts": "Метка для контактов",
    "Tag for the selected contacts:": "Метка для выбранных контактов:",
    "Forget contacts": "Забыть контакты",
    "Merge two contacts": "Объединить два контакта",
    "Merge “%s” and “%s” into one contact. Which name is kept?": "Объединить «%s» и «%s» в один контакт. Чьё имя оставить?",
    "File": "Файл",
    "Format": "Формат",
    "Folder": "Папка",
    "unknown format": "неизвестный формат",
    "Drop files or folders here: address books (.vcf, .csv), mailboxes (.mbox, .eml), chat "
    "exports (Telegram, WhatsApp, VK), calendars (.ics).": "Перетащите сюда файлы или папки: адресные книги (.vcf, .csv), почтовые ящики "
    "(.mbox, .eml), выгрузки чатов (Telegram, WhatsApp, ВКонтакте), календари (.ics).",
    "Choose files…": "Выбрать файлы…",
    "Choose folder…": "Выбрать папку…",
    "Clear": "Очистить",
    "Cancel": "Отмена",
    "Importing…": "Импорт…",
    "Import more": "Импортировать ещё",
    "Detecting formats…": "Определяем форматы…",
    "Choose files to import": "Выберите файлы для импорта",
    "Choose a folder to import": "Выберите папку для импорта",
    "%d recognised": "распознано: %d",
    "No files yet.": "Файлов пока нет.",
    "Cancelling; nothing from the current file will be kept…": "Отменяем; из текущего файла ничего не сохранится…",
    "imported": "импортирован",
    "failed": "ошибка",
    "cancelled, nothing kept": "отменено, ничего не сохранено",
    "not imported": "не импортирован",
    "Import finished": "Импорт завершён",
    "%d of %d files imported.": "Импортировано файлов: %d из %d.",
    "records read": "прочитано записей",
    "contacts created": "создано контактов",
    "contacts updated": "обновлено контактов",
    "contacts merged": "объединено контактов",
    "interactions added": "добавлено взаимодействий",
    "duplicates skipped": "пропущено повторов",
    "Interactions per week, by channel (last 26 weeks)": "Взаимодействия по неделям и каналам (последние 26 недель)",
    "Contacts by strength": "Контакты по силе связи",
    "contacts": "контакты",
    "The strength distribution appears once the engine has scored your contacts.": "Распределение по силе связи появится, когда модуль оценки обработает контакты.",
    "Searching for “%s”…": "Ищем «%s»…",
    "“%s”: ": "«%s»: ",
    "Loading…": "Загрузка…",
    "No strength scores yet, so no follow-ups are suggested. Below: the people you have not "
    "been in touch with for the longest time.": "Оценок силы связи пока нет, поэтому предложений связаться тоже нет. Ниже — люди, "
    "с которыми вы дольше всего не общались.",
    "Nothing due. Import your contacts and messages to get suggestions.": "На сегодня ничего. Импортируйте контакты и переписку, чтобы получать подсказки.",
}

RU_PLURAL: dict[str, tuple[str, str, str]] = {
    "%d day ago": ("%d день назад", "%d дня назад", "%d дней назад"),
    "%d month ago": ("%d месяц назад", "%d месяца назад", "%d месяцев назад"),
    "%d year ago": ("%d год назад", "%d года назад", "%d лет назад"),
    "overdue %d day": ("просрочено на %d день", "просрочено на %d дня", "просрочено на %d дней"),
    "in %d day": ("через %d день", "через %d дня", "через %d дней"),
    "Demo network loaded: %d contact": (
        "Демо-сеть загружена: %d контакт", "Демо-сеть загружена: %d контакта",
        "Демо-сеть загружена: %d контактов"),
    "Exported %d contact": (
        "Экспортирован %d контакт", "Экспортировано %d контакта", "Экспортировано %d контактов"),
    "%d interaction": ("%d взаимодействие", "%d взаимодействия", "%d взаимодействий"),
    "%d contact": ("%d контакт", "%d контакта", "%d контактов"),
    "Forget %d contact (%s)? Every message, note and identity of theirs is erased from this "
    "computer. This cannot be undone.": (
        "Забыть %d контакт (%s)? Все его сообщения, заметки и адреса будут стёрты с этого "
        "компьютера. Отменить это нельзя.",
        "Забыть %d контакта (%s)? Все их сообщения, заметки и адреса будут стёрты с этого "
        "компьютера. Отменить это нельзя.",
        "Забыть %d контактов (%s)? Все их сообщения, заметки и адреса будут стёрты с этого "
        "компьютера. Отменить это нельзя."),
    "%d file": ("%d файл", "%d файла", "%d файлов"),
    "%d problem": ("%d проблема", "%d проблемы", "%d проблем"),
    "%d message": ("%d сообщение", "%d сообщения", "%d сообщений"),
    "%d follow-up due": ("пора связаться: %d", "пора связаться: %d", "пора связаться: %d"),
    "%d reminder": ("%d напоминание", "%d напоминания", "%d напоминаний"),
}  # fmt: skip


def _q(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def write_po(pot: Path, po: Path) -> list[str]:
    """Fill the template's entries from RU/RU_PLURAL; return msgids still untranslated."""
    import ast

    # the template's msgids, in order (parse_po would drop them: they are untranslated)
    ids: list[tuple[str, str | None]] = []
    cur: dict[str, str] = {}
    key = None
    for raw in pot.read_text(encoding="utf-8").splitlines() + [""]:
        line = raw.strip()
        if line.startswith('"') and key:
            cur[key] += ast.literal_eval(line)
        elif line.startswith(("msgid ", "msgid_plural ", "msgstr")):
            word, _sp, rest = line.partition(" ")
            if word == "msgid" and "msgid" in cur:
                ids.append((cur["msgid"], cur.get("msgid_plural")))
                cur = {}
            key = word
            cur[key] = ast.literal_eval(rest)
    if "msgid" in cur:
        ids.append((cur["msgid"], cur.get("msgid_plural")))
    missing: list[str] = []
    out = [HEADER]
    for mid, plural in ids:
        if mid == "":
            continue
        if plural is None:
            if mid not in RU:
                missing.append(mid)
            out.append(f"msgid {_q(mid)}\nmsgstr {_q(RU.get(mid, ''))}\n")
        else:
            forms = RU_PLURAL.get(mid)
            if forms is None:
                missing.append(mid)
                forms = ("", "", "")
            out.append(
                f"msgid {_q(mid)}\nmsgid_plural {_q(plural)}\n"
                + "".join(f"msgstr[{i}] {_q(f)}\n" for i, f in enumerate(forms))
            )
    po.write_text("\n".join(out), encoding="utf-8")
    return missing


if __name__ == "__main__":
    here = Path(__file__).resolve().parent
    target = here / "ru" / "LC_MESSAGES" / "netassist.po"
    left = write_po(Path(sys.argv[1]), target)
    sys.path.insert(0, str(here.parents[1]))
    from netassist.core.i18n import compile_po

    compile_po(target, target.with_suffix(".mo"))
    for m in left:
        print("untranslated:", m)
