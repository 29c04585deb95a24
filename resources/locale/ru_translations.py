"""Russian translations as data, and the step that writes netassist.po from the template.

Update the catalog after changing strings:

    python resources/locale/ru_translations.py

extracts every literal ``_()``, ``N_()``, ``gettext()`` and ``ngettext()`` call in netassist/
with :func:`extract` (ast: it also sees calls inside f-strings, which xgettext misses), writes
netassist.po, rebuilds the .mo and reports strings still missing here. A template made by
xgettext may be passed instead (``python resources/locale/ru_translations.py FILE.pot``).
tests/test_translations.py checks that nothing is missing.
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
    "What to talk about": "О чём поговорить",
    "Looking through your conversations…": "Просматриваю ваши разговоры…",
    "Openers": "С чего начать разговор",
    "Not enough text yet.": "Пока мало текста.",
    "their question": "их вопрос",
    "your promise": "ваше обещание",
    "a plan": "договорённость",
    # contact page: interests
    "Interests": "Интересы",
    "Add an interest of your own…": "Добавить свой интерес…",
    "Add": "Добавить",
    "Could not read the conversations.": "Не удалось прочитать переписку.",
    "Confirmed interests": "Подтверждённые интересы",
    "No longer an interest (it may be suggested again)": "Больше не интерес (может снова появиться в предложениях)",
    "Topics of your conversations": "Темы ваших разговоров",
    "Share of your conversations with this contact": "Доля ваших разговоров с этим человеком",
    "A topic of your whole history, named by its top words; after the dot, this contact's own words in it": "Тема из всей вашей переписки, названная главными словами; после точки — слова этого человека из неё",
    "Words that stand out": "Характерные слова",
    "A word or phrase that stands out in your conversations with this contact": "Слово или выражение, которое выделяется в разговорах с этим человеком",
    "Hidden": "Скрытые",
    "Show again": "Показывать снова",
    "Not enough text yet to suggest interests; add your own.": "Пока мало текста, чтобы предложить интересы; добавьте свои.",
    "Confirm": "Подтвердить",
    "Keep this as an interest of this contact (listed first, used in openers)": "Оставить как интерес этого человека (показывается первым, используется в подсказках)",
    "Hide": "Скрыть",
    "Never show this for this contact": "Больше не показывать для этого человека",
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
    "Trend": "Тренд",
    "Last interaction": "Последний контакт",
    "Due": "Срок",
    "Tags": "Метки",
    "Reminder: %s": "Напоминание: %s",
    # acting on follow-ups and reminders (Today, the contact page's "Keep in touch" box)
    "&Done…": "&Готово…",
    "Keys: D done · S snooze · Delete dismiss · Enter open": "Клавиши: D — готово, S — "
    "отложить, Delete — скрыть, Enter — открыть",
    "&Snooze": "&Отложить",
    "D&ismiss": "С&крыть",
    "&Open contact": "От&крыть контакт",
    "Done…": "Готово…",
    "Done": "Готово",
    "Snooze": "Отложить",
    "Snooze (S)": "Отложить (S)",
    "Dismiss": "Скрыть",
    "Snooze until": "Отложить до",
    "&1 hour": "На &1 час",
    "&Tomorrow": "До &завтра",
    "&Next week": "До &следующей недели",
    "&Custom…": "&Выбрать время…",
    "Until": "До",
    "Mark as done: %s": "Отметить как сделанное: %s",
    "Log an interaction with %s": "Записать взаимодействие — %s",
    "Log an interaction": "Записать взаимодействие",
    "Note": "Заметка",
    "A logged interaction resets when this person is due.": "Записанное взаимодействие "
    "сдвигает срок, когда пора снова связаться с этим человеком.",
    "once": "однократно",
    "every day": "каждый день",
    "every week": "каждую неделю",
    "every month": "каждый месяц",
    "every year": "каждый год",
    "No interactions yet, so there is no cadence to learn.": "Взаимодействий пока нет, "
    "поэтому обычный ритм общения ещё не известен.",
    "You keep in touch %s.": "Вы решили связываться %s.",
    "Learned from your history: %s.": "По истории общения: %s.",
    "Usually %s (learned from your history).": "Обычно %s (по истории общения).",
    "Gone quiet (dormant): silent for over three times the cadence, so no longer listed as "
    "overdue; reconnecting is suggested instead.": "Связь затихла: молчание длится дольше "
    "трёх обычных промежутков, поэтому контакт не считается просроченным; вместо этого "
    "предлагается возобновить общение.",
    "Next due: %s (%s)": "Пора связаться: %s (%s)",
    "Keep in touch": "Поддерживать связь",
    "automatic": "автоматически",
    "0 or “automatic”: use the cadence learned from history": "0 или «автоматически»: ритм "
    "по истории общения",
    "Automatic": "По истории",
    "Go back to the cadence learned from your history": "Вернуть ритм, найденный по истории "
    "общения",
    "Keep in touch every": "Связываться раз в",
    "days": "дн.",
    "Reminders": "Напоминания",
    "Remind me to…": "Напомнить…",
    "Add reminder": "Добавить",
    "snoozed": "отложено",
    "No reminders for this person.": "Напоминаний для этого человека нет.",
    "Get in touch with %s": "Связаться: %s",
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
    "posts by a channel or group itself (not a person)": "сообщения от имени канала или группы (не человека)",
    "messages with services (sender names, short numbers)": "сообщения сервисов (имена отправителей, короткие номера)",
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
    # reminders and the digest (netassist.core.reminders)
    "Birthday: {name}": "День рождения: {name}",
    "missed: ": "пропущено: ",
    "phone": "телефон",
    "website": "сайт",
    "Anniversary": "Годовщина",
    "question": "вопрос",
    "promise": "обещание",
    "plan": "план",
    "due": "пора связаться",
    # PDF reports (netassist.ui.report_pdf)
    "Interactions per week by channel": "Взаимодействия по неделям и каналам",
    "page {n}": "страница {n}",
    "page {n} of {total}": "страница {n} из {total}",
    "Network review": "Обзор сети контактов",
    "Generated on {date}": "Составлен {date}",
    "Summary": "Итоги",
    "Measure": "Показатель",
    "Value": "Значение",
    "Interactions in the period": "Взаимодействий за период",
    "People you were in touch with": "Люди, с которыми вы общались",
    "New ties": "Новые связи",
    "Dormant ties": "Уснувшие связи",
    "Channel": "Канал",
    "Interactions": "Взаимодействия",
    "Strength and tiers": "Сила связи и круги",
    "Tier": "Круг",
    "Dunbar's layer": "Слой Данбара",
    "Strength has not been computed yet.": "Сила связи ещё не вычислена.",
    "Top relationships": "Самые сильные связи",
    "Last contact": "Последний контакт",
    "In period": "За период",
    "Fading ties": "Угасающие связи",
    "No strong tie is fading.": "Ни одна сильная связь не угасает.",
    "Follow-up plan": "Кому написать",
    "Why": "Почему",
    "Nobody is due.": "Связываться пока ни с кем не пора.",
    "Topics of the period": "Темы периода",
    "Topic": "Тема",
    "Weight": "Вес",
    "Best times to reach": "Когда лучше связаться",
    "When": "Когда",
    "Segments": "Группы",
    "Segment": "Группа",
    "Contact dossier": "Досье контакта",
    "Field": "Поле",
    "Strength {s} of 100 · {tier} · trend {trend}": "Сила связи {s} из 100 · {tier} · динамика: {trend}",
    "Component": "Составляющая",
    "Points": "Баллы",
    "History": "История",
    "Interactions per month": "Взаимодействия по месяцам",
    "Topics": "Темы",
    "Open loops": "Незакрытые вопросы",
    "Kind": "Вид",
    "Message": "Сообщение",
    "Suggested openers": "С чего начать разговор",
    "Recent interactions": "Последние взаимодействия",
    "Date": "Дата",
    "Text": "Текст",
    "Contents": "Содержание",
    "Made by netassist on your own machine.": "Составлено netassist на вашем компьютере.",
    # the tray (netassist.ui.tray) and unlocking (netassist.ui.unlock)
    "This desktop has no system tray, so netassist cannot stay in the tray. Reminders will be "
    "shown in the netassist window while it is open.": "На этом рабочем столе нет системного "
    "трея, поэтому netassist не может оставаться в трее. Напоминания будут показываться в окне "
    "netassist, пока оно открыто.",
    "netassist keeps running in the tray, so reminders still reach you. Use Quit in the tray "
    "menu to stop it.": "netassist продолжает работать в трее, чтобы напоминания доходили до "
    "вас. Чтобы закрыть программу, выберите «Выход» в меню трея.",
    "Open netassist": "Открыть netassist",
    "Today's follow-ups": "Кому написать сегодня",
    "Nothing due today": "Сегодня ничего",
    "Log interaction…": "Записать контакт…",
    "Pause reminders": "Приостановить напоминания",
    "Paused until {time}": "Приостановлено до {time}",
    "Resume reminders": "Возобновить напоминания",
    "For 1 hour": "На 1 час",
    "Until tomorrow": "До завтра",
    "Quit": "Выход",
    "Encryption": "Шифрование",
    "netassist encrypts your database by default, but there is no keyring on this system to "
    "keep the key in.": "netassist по умолчанию шифрует базу данных, но в этой системе нет "
    "хранилища ключей (keyring), где можно держать ключ.",
    "Use a passphrase…": "Задать пароль…",
    "Continue without encryption": "Продолжить без шифрования",
    "Passphrase": "Пароль",
    "Choose a passphrase (at least 8 characters):": "Придумайте пароль (не меньше 8 символов):",
    "Type it again:": "Повторите пароль:",
    "The passphrases differ or are shorter than 8 characters.": "Пароли не совпадают или короче "
    "8 символов.",
    "Unlock": "Разблокировать",
    "Choose a passphrase to encrypt your database, or continue without encryption.": "Задайте "
    "пароль, чтобы зашифровать базу данных, или продолжите без шифрования.",
    "The database {path} is encrypted and its key is not in the keyring. Enter its "
    "passphrase:": "База данных {path} зашифрована, а её ключа нет в хранилище ключей. Введите "
    "пароль:",
    # the engine's words (netassist.core.engine.texts)
    "Not counted in the strength (weight 0)": "Не входит в силу связи (вес 0)",
    "Tiers: {list}": "Круги: {list}",
    "inner circle": "ближний круг",
    "close": "близкие",
    "active": "активные",
    "acquaintance": "знакомые",
    "dormant": "спящие",
    "no history": "без истории",
    "gone quiet": "давно не общались",
    "recency": "давность",
    "frequency (month)": "частота (месяц)",
    "frequency (year)": "частота (год)",
    "active now": "общение сейчас",
    "reciprocity": "взаимность",
    "Send an e-mail": "Написать письмо",
    "Call them": "Позвонить",
    "Arrange a meeting": "Договориться о встрече",
    "Send an SMS": "Отправить SMS",
    "never": "никогда",
    "just now": "только что",
    "never interacted": "общения не было",
    "last talk {ago}": "последний контакт {ago}",
    "usually daily": "обычно каждый день",
    "{a} and {b} in all": "всего {a} и {b}",
    "conversation going on (last message {ago})": "разговор идёт (последнее сообщение {ago})",
    "no conversation in the last day": "за последние сутки разговора не было",
    "last conversation {ago}: the points halve every day after one": (
        "последний разговор {ago}: баллы уменьшаются вдвое за каждый день после него"
    ),
    "no messages": "нет сообщений",
    "one-sided: only I write": "в одну сторону: пишу только я",
    "one-sided: only they write": "в одну сторону: пишет только собеседник",
    "two-way: {p}% of messages are mine": "в обе стороны: {p}% сообщений мои",
    "tomorrow": "завтра",
    "their last message ({ago}) is unanswered and asks a question": "последнее сообщение от "
    "них ({ago}) осталось без ответа, а в нём вопрос",
    "their last message ({ago}) is unanswered": "последнее сообщение от них ({ago}) осталось "
    "без ответа",
    "reminder: {text}": "напоминание: {text}",
    "reminder due": "пора выполнить напоминание",
    "birthday {when}": "день рождения {when}",
    "anniversary {when}": "годовщина {when}",
    "{tier} tie, less contact lately ({recent} in the last 30 days vs {before} in the 60 "
    "before)": "связь ({tier}) слабеет: {recent} за последние 30 дней против {before} за 60 дней "
    "до того",
    "Reply to their last message": "Ответить на их последнее сообщение",
    "Follow up as planned": "Связаться, как собирались",
    "Congratulate them {when}": "Поздравить {when}",
    "Mark the anniversary {when}": "Отметить годовщину {when}",
    "Send a message on {channel}": "Написать в {channel}",
    "Send them a message": "Написать сообщение",
    "Check in before the tie fades": "Напомнить о себе, пока связь не угасла",
    "Reconnect: ask how they are or share news": "Возобновить связь: спросить, как дела, или "
    "поделиться новостями",
    # importing from a mail account (netassist.ui.dialogs.imap_dialog) and "who are you?"
    "Import from a mail account (IMAP)": "Импорт из почтового ящика (IMAP)",
    "usually your e-mail address": "обычно это ваш адрес почты",
    "empty: use the one saved in the keyring": "пусто: взять сохранённый в хранилище ключей",
    "optional, for a self-hosted server": "необязательно, для своего сервера",
    "Choose…": "Выбрать…",
    "Server": "Сервер",
    "Port": "Порт",
    "User": "Пользователь",
    "Password or app password": "Пароль или пароль приложения",
    "CA certificate": "Сертификат ЦС",
    "No OS keyring is available: the password is used for this import only and asked again "
    "next time.": "Хранилище ключей недоступно: пароль будет использован только для этого "
    "импорта, в следующий раз его спросят снова.",
    "STARTTLS (encrypted after connecting)": "STARTTLS (шифрование после подключения)",
    "TLS (encrypted)": "TLS (с шифрованием)",
    "Certificates (*.pem *.crt *.cer);;All files (*)": "Сертификаты (*.pem *.crt *.cer);;Все "
    "файлы (*)",
    "Fill in the server and the user.": "Укажите сервер и пользователя.",
    "Type the password (or an app password) for %s.": "Введите пароль (или пароль приложения) "
    "для %s.",
    "Connecting to %s…": "Подключаемся к %s…",
    "Fetching messages: %s": "Загружаем письма: %s",
    "Cancelling; nothing from this fetch will be kept…": "Отменяем; из этой загрузки ничего не "
    "сохранится…",
    "The import failed: %s": "Импорт не удался: %s",
    "No OS keyring is available: the password was used for this import only.": "Хранилище "
    "ключей недоступно: пароль использован только для этого импорта.",
    "The password is saved in the OS keyring.": "Пароль сохранён в хранилище ключей системы.",
    "Done: %d interactions added, %d contacts created, %d duplicates skipped.": "Готово: "
    "добавлено взаимодействий: %d, создано контактов: %d, пропущено повторов: %d.",
    "Close": "Закрыть",
    "Who are you?": "Кто вы?",
    "Who are you in these chats? Your messages are then counted as yours.": "Кто вы в этих "
    "чатах? Тогда ваши сообщения будут засчитаны как ваши.",
    "or type the name (or phone number) you use in these chats": "или введите имя (или номер "
    "телефона), под которым вы пишете в этих чатах",
    "Your own e-mail address(es), comma-separated (guessed from the sent mail):": "Ваши "
    "адреса почты через запятую (угаданы по отправленным письмам):",
    "Remembered in Settings ▸ My names, so the next import does not ask.": "Запоминается в "
    "Настройки ▸ Мои имена, чтобы следующий импорт не спрашивал.",
    "Start netassist in the tray when I log in": "Запускать в трее при входе в систему",
    "Import from a &mail account (IMAP)…": "Импорт из &почтового ящика (IMAP)…",
    "Mail account (IMAP)…": "Почтовый ящик (IMAP)…",
    "you will be asked who you are in these chats": "вас спросят, кто вы в этих чатах",
    "Looking for who you are in these files…": "Ищем, кто вы в этих файлах…",
    # duplicates review (reasons are made from these templates: core/duplicates.py R)
    "{a} and {b} are short forms of one name": "{a} и {b} — уменьшительные формы одного имени",
    "{a} is a diminutive of {b}": "{a} — уменьшительная форма имени {b}",
    "initial {a} fits {b}": "инициал {a} подходит к {b}",
    "given names differ by a typo: {a} / {b}": "имена различаются опечаткой: {a} / {b}",
    "same phone {a}": "один и тот же телефон {a}",
    "same e-mail {a}": "один и тот же адрес почты {a}",
    "same e-mail except dots/+tag: {a} / {b}": "тот же адрес почты с точностью до точек и +метки: {a} / {b}",
    "given and family names swapped: {a} / {b}": "имя и фамилия переставлены: {a} / {b}",
    "family names differ by a typo: {a} / {b}": "фамилии различаются опечаткой: {a} / {b}",
    "same given name and patronymic: {a} / {b}": "те же имя и отчество: {a} / {b}",
    "{a} is the only one with this given name": "{a} — единственный контакт с таким именем",
    "same name {a}": "то же имя {a}",
    "names match by transliteration: {a} / {b}": "имена совпадают в транслитерации: {a} / {b}",
    "same name spelled differently: {a} / {b}": "то же имя в другом написании: {a} / {b}",
    "names written in the other order (family name first)": "имя записано в другом порядке (сначала фамилия)",
    "same patronymic {a}": "то же отчество {a}",
    "but different patronymics: {a} / {b}": "но отчества разные: {a} / {b}",
    "same family name and given name, one has a patronymic": "те же имя и фамилия, у одного указано отчество",
    "same organization {a}": "та же организация {a}",
    "similar organization {a} / {b}": "похожая организация {a} / {b}",
    "same birthday": "тот же день рождения",
    "but different birthdays": "но дни рождения разные",
    "but one is a man, the other a woman: {a} / {b}": "но один — мужчина, другая — женщина: {a} / {b}",
    "contacts with this name: {a}": "контактов с таким именем: {a}",
    "Patronymic": "Отчество",
    "Full name": "Полное имя",
    "Organization": "Организация",
    "Possible duplicates": "Возможные дубликаты",
    "Looking for contacts that may be the same person…": "Ищу контакты, которые могут быть одним человеком…",
    "Not the same person": "Это разные люди",
    "confidence {pct}%": "уверенность {pct}%",
    "No possible duplicates. Contacts with the same phone or e-mail are merged on import; nothing else looks like the same person.": "Возможных дубликатов нет. Контакты с одинаковым телефоном или адресом почты объединяются при импорте; больше ничто не похоже на одного человека.",
    "Why they may be one person:": "Почему это может быть один человек:",
    "Merge, keep “%s”": "Объединить, оставить «%s»",
    "Merge": "Объединить",
    "Possible &duplicates…": "Возможные &дубликаты…",
    "Possible duplicates…": "Возможные дубликаты…",
    # Insights and the network report: heat map, fading ties, segments
    "Mon": "Пн",
    "Tue": "Вт",
    "Wed": "Ср",
    "Thu": "Чт",
    "Fri": "Пт",
    "Sat": "Сб",
    "Sun": "Вс",
    "Monday": "понедельник",
    "Tuesday": "вторник",
    "Wednesday": "среда",
    "Thursday": "четверг",
    "Friday": "пятница",
    "Saturday": "суббота",
    "Sunday": "воскресенье",
    "frequent {what}": "частые {what}",
    "occasional {what}": "нечастые {what}",
    "rare {what}": "редкие {what}",
    "evening {what}": "вечерние {what}",
    "weekend {what}": "{what} в выходные",
    "work-hours {what}": "{what} в рабочее время",
    "chats": "чаты",
    "long chats": "длинные чаты",
    "e-mails": "письма",
    "calls and meetings": "звонки и встречи",
    "Your network": "Ваша сеть",
    "not scored yet": "сила ещё не рассчитана",
    "strength {s}": "сила {s}",
    "Strength is falling: fewer interactions in the last 30 days than the 60 days before would "
    "suggest (weighted counts).": "Сила связи падает: за последние 30 дней общения меньше, чем "
    "можно было ждать по 60 дням до них (взвешенные числа).",
    "Last 30 days": "Последние 30 дней",
    "60 days before": "60 дней до того",
    "Themes in the period's messages, named by their most telling words, with their share of "
    "what was written.": "Темы сообщений за период, названные самыми характерными словами, и их "
    "доля в написанном.",
    "Share": "Доля",
    "Click a bar, a tier, a cell or a segment to see the contacts behind it.": "Нажмите на столбец, круг, клетку или группу, чтобы увидеть контакты за ними.",
    "Double-click a name to open the contact.": "Двойной щелчок по имени открывает контакт.",
    "When your network is active (your local time)": "Когда ваша сеть на связи (ваше местное время)",
    "strength (band from)": "сила связи (от)",
    "Contacts by tier": "Контакты по кругам",
    "Fading ties: interactions per 30 days": "Угасающие связи: взаимодействий за 30 дней",
    "before (60 days, halved)": "раньше (60 дней, пополам)",
    "last 30 days": "последние 30 дней",
    "Segments: contacts with a similar pattern": "Группы: контакты с похожим ритмом общения",
    "{name}: {recent} interactions in the last 30 days, {before} in the 60 days before": "{name}: взаимодействий за последние 30 дней — {recent}, за 60 дней до того — {before}",
    "Week from {date}, {channel}": "Неделя с {date}, {channel}",
    "Strength {lo}–{hi}": "Сила связи {lo}–{hi}",
    "The activity map appears once people have written to you.": "Карта активности появится, когда вам начнут писать.",
    "Working out best times, fading ties and segments…": "Вычисляю лучшее время, угасающие связи и группы…",
    # the settings' People and Privacy tabs (netassist.ui.dialogs.settings_*), forget
    "General": "Общие",
    "People": "Люди",
    "Privacy": "Конфиденциальность",
    "Me": "Я",
    "My addresses": "Мои адреса",
    "Default cadence per tier": "Как часто общаться — по кругам",
    "How often to be in touch while a contact's own history is too short to tell. Used from the "
    "next rescore.": "Как часто выходить на связь, пока по истории общения с человеком это ещё "
    "не понять. Действует со следующего пересчёта.",
    "Backups": "Резервные копии",
    "your address, phone or handle": "ваш адрес, телефон или ник",
    "Remove": "Удалить",
    "“{value}” is not a usable {kind}.": "«{value}» не подходит как {kind}.",
    "Encrypt…": "Зашифровать…",
    "Decrypt…": "Расшифровать…",
    "Change key…": "Сменить ключ…",
    "Not encrypted: anyone who can read the data folder can read your contacts and messages.": "Не зашифрована: любой, кто может читать папку с данными, прочтёт ваши контакты и "
    "переписку.",
    "Encrypted (SQLCipher); the key is kept in the OS keyring.": "Зашифрована (SQLCipher); ключ "
    "хранится в хранилище ключей системы.",
    "Encrypted (SQLCipher) with a passphrase, asked at each start.": "Зашифрована (SQLCipher) "
    "паролем, который спрашивается при каждом запуске.",
    "Keyring: {name}": "Хранилище ключей: {name}",
    "Keyring: none available on this system": "Хранилище ключей: в этой системе его нет",
    "Encrypting the database…": "Шифрую базу данных…",
    "The database is encrypted.": "База данных зашифрована.",
    "Changing the key…": "Меняю ключ…",
    "The key is changed; the old one no longer opens the database.": "Ключ сменён; старый "
    "больше не открывает базу данных.",
    "Decrypt": "Расшифровать",
    "Store the database unencrypted? Anyone who can read the data folder can then read your "
    "contacts and messages. A backup is taken first.": "Хранить базу данных без шифрования? "
    "Тогда любой, кто может читать папку с данными, прочтёт ваши контакты и переписку. Сначала "
    "будет сделана резервная копия.",
    "Decrypting the database…": "Расшифровываю базу данных…",
    "The database is decrypted.": "База данных расшифрована.",
    "Nothing was changed: {why}": "Ничего не изменено: {why}",
    "A backup was taken first: {name}": "Сначала сделана резервная копия: {name}",
    "Encrypt the database? A backup is taken first.": "Зашифровать базу данных? Сначала будет "
    "сделана резервная копия.",
    "Change the database's key? A backup is taken first; the backups are rewritten under the new "
    "key.": "Сменить ключ базы данных? Сначала будет сделана резервная копия; резервные копии "
    "будут перешифрованы новым ключом.",
    "Keep a random key in the OS keyring (nothing to remember), or choose a passphrase to type at "
    "each start.": "Хранить случайный ключ в хранилище ключей системы (ничего не нужно помнить) "
    "или задать пароль, который вы будете вводить при каждом запуске.",
    "Key in the keyring": "Ключ в хранилище",
    "There is no keyring on this system to keep a key in: choose a passphrase to type at each "
    "start.": "В этой системе нет хранилища ключей: задайте пароль, который вы будете вводить "
    "при каждом запуске.",
    "netassist makes a backup each day and keeps the newest ones": "netassist делает резервную "
    "копию каждый день и хранит самые новые",
    "Back up now": "Сделать копию сейчас",
    "Backup folder": "Папка резервных копий",
    "Backups to keep": "Сколько копий хранить",
    "Last backup": "Последняя копия",
    "none yet": "пока нет",
    "Backing up…": "Делаю резервную копию…",
    "The backup failed: {why}": "Резервная копия не удалась: {why}",
    "No backup holds them.": "В резервных копиях их нет.",
    "Reports": "Отчёты",
    "Re&ports": "О&тчёты",
    "Saved to %s": "Сохранено: %s",
    "Dossier PDF…": "Досье в PDF…",
    "Dossiers of chosen contacts": "Досье выбранных контактов",
    "Report": "Отчёт",
    "Custom dates": "Свои даты",
    "from": "с",
    "to": "по",
    "Period": "Период",
    "Find a contact…": "Найти контакт…",
    "Letter (US)": "Letter (США)",
    "Page size": "Формат страницы",
    "Preview": "Просмотр",
    "Save PDF…": "Сохранить PDF…",
    "Choose a report and press Preview.": "Выберите отчёт и нажмите «Просмотр».",
    "the options changed: press Preview again": "параметры изменились: нажмите «Просмотр» ещё раз",
    "Choose at least one contact.": "Выберите хотя бы один контакт.",
    "Gathering the data…": "Собираю данные…",
    "Drawing the PDF…": "Рисую PDF…",
    "Cancelled.": "Отменено.",
    "The report could not be made: %s": "Не удалось подготовить отчёт: %s",
    "Dossiers": "Досье",
    "Save the report": "Сохранить отчёт",
    "Could not save the PDF: %s": "Не удалось сохранить PDF: %s",
}

RU_PLURAL: dict[str, tuple[str, str, str]] = {
    "{n} person active": ("на связи {n} человек", "на связи {n} человека", "на связи {n} человек"),
    "from {n} message": ("по {n} сообщению", "по {n} сообщениям", "по {n} сообщениям"),
    "%d backup made before now (on {oldest}) still holds them. Backups rotate out (the newest "
    "{keep} are kept), so it is gone by {until} if netassist runs each day. To erase it sooner, "
    "delete the files in {folder}.": (
        "%d резервная копия, сделанная раньше ({oldest}), ещё хранит их. Копии сменяются "
        "(хранятся {keep} самых новых), так что она исчезнет к {until}, если netassist "
        "запускается каждый день. Чтобы стереть её раньше, удалите файлы в {folder}.",
        "%d резервные копии, сделанные раньше (самая старая — {oldest}), ещё хранят их. Копии "
        "сменяются (хранятся {keep} самых новых), так что они исчезнут к {until}, если "
        "netassist запускается каждый день. Чтобы стереть их раньше, удалите файлы в {folder}.",
        "%d резервных копий, сделанных раньше (самая старая — {oldest}), ещё хранят их. Копии "
        "сменяются (хранятся {keep} самых новых), так что они исчезнут к {until}, если "
        "netassist запускается каждый день. Чтобы стереть их раньше, удалите файлы в {folder}.",
    ),
    "%d older backup under another key was left as it was.": (
        "%d старая резервная копия под другим ключом оставлена как была.",
        "%d старые резервные копии под другим ключом оставлены как были.",
        "%d старых резервных копий под другим ключом оставлены как были.",
    ),
    "%s (%d backup kept)": ("%s (хранится %d копия)", "%s (хранятся %d копии)",
                            "%s (хранится %d копий)"),
    "%d contact forgotten.": ("Забыт %d контакт.", "Забыто %d контакта.", "Забыто %d контактов."),
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
    "{n} reply owed": ("{n} ответ за вами", "{n} ответа за вами", "{n} ответов за вами"),
    "{n} overdue": ("просрочено: {n}", "просрочено: {n}", "просрочено: {n}"),
    "{n} fading": ("{n} связь угасает", "{n} связи угасают", "{n} связей угасают"),
    "{n} anniversary": ("{n} годовщина", "{n} годовщины", "{n} годовщин"),
    "{n} reminder": ("{n} напоминание", "{n} напоминания", "{n} напоминаний"),
    "{n} birthday this week": (
        "{n} день рождения на этой неделе", "{n} дня рождения на этой неделе",
        "{n} дней рождения на этой неделе"),
    "{n} contact gone quiet (dormant)": (
        "{n} контакт давно молчит", "{n} контакта давно молчат", "{n} контактов давно молчат"),
    "{n} worth reconnecting with": (
        "стоит возобновить связь: {n}", "стоит возобновить связь: {n}",
        "стоит возобновить связь: {n}"),
    "every {n} day": ("раз в {n} день", "раз в {n} дня", "раз в {n} дней"),
    "… and {n} more": ("… и ещё {n}", "… и ещё {n}", "… и ещё {n}"),
    "netassist: {n} thing to do today": (
        "netassist: {n} дело на сегодня", "netassist: {n} дела на сегодня",
        "netassist: {n} дел на сегодня"),
    "({n} missed)": ("({n} пропущено)", "({n} пропущено)", "({n} пропущено)"),
    "overdue by {n} day": (
        "просрочено на {n} день", "просрочено на {n} дня", "просрочено на {n} дней"),
    "{n} contact": ("{n} контакт", "{n} контакта", "{n} контактов"),
    "{n} interaction": ("{n} взаимодействие", "{n} взаимодействия", "{n} взаимодействий"),
    "{n} thing due": ("пора: {n} дело", "пора: {n} дела", "пора: {n} дел"),
    "{n} day ago": ("{n} день назад", "{n} дня назад", "{n} дней назад"),
    "{n} hour ago": ("{n} час назад", "{n} часа назад", "{n} часов назад"),
    "usually every {n} day": (
        "обычно раз в {n} день", "обычно раз в {n} дня", "обычно раз в {n} дней"),
    "{c} recent conversations (each counts half after {n} day)": (
        "недавних разговоров: {c} (каждый весит вдвое меньше через {n} день)",
        "недавних разговоров: {c} (каждый весит вдвое меньше через {n} дня)",
        "недавних разговоров: {c} (каждый весит вдвое меньше через {n} дней)"),
    "{n} conversation": ("{n} разговор", "{n} разговора", "{n} разговоров"),
    "{n} message": ("{n} сообщение", "{n} сообщения", "{n} сообщений"),
    "in {n} day": ("через {n} день", "через {n} дня", "через {n} дней"),
    "({n} year)": ("({n} год)", "({n} года)", "({n} лет)"),
    "{n} day overdue": ("просрочено на {n} день", "просрочено на {n} дня", "просрочено на {n} дней"),
    "{n} conversation together": (
        "{n} разговор за всё время", "{n} разговора за всё время", "{n} разговоров за всё время"),
    "silent for {n} day": ("тишина {n} день", "тишина {n} дня", "тишина {n} дней"),
    "%d pair may be the same person. netassist never merges these by itself: check each pair, then merge it or say they are different people.": (
        "%d пара может оказаться одним человеком. netassist никогда не объединяет их сам: проверьте каждую пару, затем объедините её или отметьте, что это разные люди.",
        "%d пары могут оказаться одним человеком. netassist никогда не объединяет их сам: проверьте каждую пару, затем объедините её или отметьте, что это разные люди.",
        "%d пар могут оказаться одним человеком. netassist никогда не объединяет их сам: проверьте каждую пару, затем объедините её или отметьте, что это разные люди.",
    ),
    "Last %d day": ("Последний %d день", "Последние %d дня", "Последние %d дней"),
    "%d contact chosen": ("Выбран %d контакт", "Выбрано %d контакта", "Выбрано %d контактов"),
    "%d page": ("%d страница", "%d страницы", "%d страниц"),
}  # fmt: skip


def extract(root: Path) -> list[tuple[str, str | None]]:
    """(msgid, msgid_plural or None) of every literal ``_()``, ``N_()``, ``gettext()`` and
    ``ngettext()`` call under ``root``, in file order. Unlike xgettext this also sees calls
    inside f-strings."""
    import ast

    found: dict[tuple[str, str | None], None] = {}
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and n.args]
        for node in sorted(calls, key=lambda n: (n.lineno, n.col_offset)):
            f = node.func
            name = (
                f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""
            )
            args = [a.value if isinstance(a, ast.Constant) and isinstance(a.value, str) else None
                    for a in node.args[:2]]  # fmt: skip
            if name in ("_", "N_", "gettext") and args[0]:
                found[(args[0], None)] = None
            elif name == "ngettext" and len(args) == 2 and args[0] and args[1]:
                found[(args[0], args[1])] = None
    return list(found)


def _q(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def read_pot(pot: Path) -> list[tuple[str, str | None]]:
    """The template's msgids, in order (parse_po would drop them: they are untranslated)."""
    import ast

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
    return ids


def write_po(ids: list[tuple[str, str | None]], po: Path) -> list[str]:
    """Write the catalog for ``ids`` from RU/RU_PLURAL; return msgids still untranslated."""
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
    # python resources/locale/ru_translations.py [TEMPLATE.pot]: without a template the
    # strings are extracted from netassist/ with extract()
    ids = (
        read_pot(Path(sys.argv[1])) if len(sys.argv) > 1 else extract(here.parents[1] / "netassist")
    )
    left = write_po(ids, target)
    sys.path.insert(0, str(here.parents[1]))
    from netassist.core.i18n import compile_po

    compile_po(target, target.with_suffix(".mo"))
    for m in left:
        print("untranslated:", m)
