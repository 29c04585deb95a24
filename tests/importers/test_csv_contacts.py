"""CsvContactsImporter: dialects, encodings, delimiters, column maps, sniffing, bad rows."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from netassist.importers.base import FormatError, read_head
from netassist.importers.csv_contacts import CsvContactsImporter
from netassist.importers.records import IdentityRef, ImportedContact, ImportOptions, ImportProblem


def _write(tmp_path: Path, data: bytes | str, name: str = "c.csv") -> Path:
    p = tmp_path / name
    p.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return p


def _parse(path: Path, options: ImportOptions | None = None) -> list:
    return list(CsvContactsImporter().parse(path, options))


def _contacts(recs: list) -> list[ImportedContact]:
    return [r for r in recs if isinstance(r, ImportedContact)]


def _outlook_contact(tmp_path: Path, header: str, row: str, name: str):  # type: ignore[no-untyped-def]
    """The one contact of an Outlook CSV (cp1252, CRLF) of ``header`` and ``row``: claimed
    surely, read without problems."""
    path = _write(tmp_path, (header + "\r\n" + row + "\r\n").encode("cp1252"), name)
    assert CsvContactsImporter().sniff(path, read_head(path)) >= 80
    recs = _parse(path)
    assert [r for r in recs if isinstance(r, ImportProblem)] == []
    (c,) = _contacts(recs)
    return c


OLD_GOOGLE = (
    "Name,Given Name,Additional Name,Family Name,Birthday,Notes,Group Membership,"
    "E-mail 1 - Type,E-mail 1 - Value,Phone 1 - Type,Phone 1 - Value,"
    "Address 1 - Type,Address 1 - Formatted\n"
    'Иван Петров,Иван,Сергеевич,Петров,1980-04-14,"две строки\nзаметки",'
    "* My Contacts ::: Коллеги ::: Friends,* Work,ivan@work.ru ::: ivan@home.ru,Mobile,"
    '+7 916 000-00-00,Home,"ул. Ленина, 1\nМосква"\n'
)


def test_old_google_header_multivalues_groups(tmp_path: Path) -> None:
    (c,) = _contacts(_parse(_write(tmp_path, OLD_GOOGLE)))
    assert (c.full_name, c.given_name, c.middle_name, c.family_name) == (
        "Иван Петров", "Иван", "Сергеевич", "Петров")  # fmt: skip
    assert c.birthday == "1980-04-14"
    assert c.note == "две строки\nзаметки"
    assert c.tags == ("Коллеги", "Friends")
    assert c.identities == (
        IdentityRef("email", "ivan@work.ru", "work", True),
        IdentityRef("email", "ivan@home.ru", "work", False),
        IdentityRef("phone", "+7 916 000-00-00", "cell", False),
    )
    assert c.addresses == ("ул. Ленина, 1, Москва",)


@pytest.mark.parametrize("delim", [",", ";", "\t"])
@pytest.mark.parametrize("codec", ["utf-8", "utf-8-sig", "utf-16", "cp1251"])
def test_delimiters_and_encodings(tmp_path: Path, delim: str, codec: str) -> None:
    text = OLD_GOOGLE.replace(",", delim) if delim != "," else OLD_GOOGLE
    if delim != ",":
        # commas inside quoted cells must survive: rebuild the quoted address cell
        text = text.replace(f"ул. Ленина{delim} 1", "ул. Ленина, 1")
    path = _write(tmp_path, text.encode(codec))
    assert CsvContactsImporter().sniff(path, read_head(path)) >= 80
    (c,) = _contacts(_parse(path))
    assert c.full_name == "Иван Петров"
    assert c.tags == ("Коллеги", "Friends")


def test_outlook_english_dates_are_month_first(tmp_path: Path) -> None:
    text = (
        "First Name,Last Name,E-mail Address,Mobile Phone,Birthday,Anniversary\n"
        "Ann,Lee,ann@x.org,555-1234,4/5/1980,0/0/00\n"
        "Bob,Ray,bob@x.org,,12/31/1979,\n"
    )
    cs = _contacts(_parse(_write(tmp_path, text)))
    assert [c.birthday for c in cs] == ["1980-04-05", "1979-12-31"]
    assert cs[0].anniversary is None
    assert cs[0].identities[1] == IdentityRef("phone", "555-1234", "cell")


def test_day_first_when_the_file_proves_it(tmp_path: Path) -> None:
    text = "First Name,Birthday,Email\nA,04/05/1980,a@x\nB,20/01/1991,b@x\n"
    cs = _contacts(_parse(_write(tmp_path, text)))
    assert [c.birthday for c in cs] == ["1980-05-04", "1991-01-20"]


def test_linkedin_without_notes_block(tmp_path: Path) -> None:
    text = (
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        "Ann,Lee,https://www.linkedin.com/in/annlee,,Acme,CTO,05 Jun 2019\n"
    )
    (c,) = _contacts(_parse(_write(tmp_path, text, "Connections.csv")))
    assert c.connected_on == datetime(2019, 6, 5, tzinfo=UTC)
    assert c.connected_on.tzinfo is not None
    assert c.title == "CTO" and c.organization == "Acme"
    assert IdentityRef("linkedin", "https://www.linkedin.com/in/annlee") in c.identities


def test_thunderbird_split_birthday(tmp_path: Path) -> None:
    text = (
        "First Name,Last Name,Display Name,Primary Email,Birth Year,Birth Month,Birth Day\n"
        "A,B,A B,a@b.c,,7,9\nC,D,C D,c@d.e,1970,2,30\n"
    )
    recs = _parse(_write(tmp_path, text))
    assert [c.birthday for c in _contacts(recs)] == ["--07-09", None]
    assert [p.where for p in recs if isinstance(p, ImportProblem)] == ["c.csv:3"]


def test_generic_column_map(tmp_path: Path) -> None:
    text = "Кто,Почта,Тел,Тг,Метки,ДР\nПётр,p@x.ru,+7 1,@petr,a;b,1990-01-02\n"
    path = _write(tmp_path, text)
    opts = ImportOptions(
        column_map={
            "Кто": "full_name",
            "Почта": "email",
            "Тел": "phone",
            "Тг": "telegram",
            "Метки": "tags",
            "ДР": "birthday",
        }  # fmt: skip
    )
    (c,) = _contacts(_parse(path, opts))
    assert c.full_name == "Пётр" and c.birthday == "1990-01-02"
    assert c.tags == ("a", "b")
    assert c.identities == (
        IdentityRef("email", "p@x.ru"),
        IdentityRef("phone", "+7 1"),
        IdentityRef("telegram", "petr"),
    )


def test_bad_rows_are_problems_with_line_numbers(tmp_path: Path) -> None:
    text = (
        "First Name,Last Name,E-mail Address,Birthday\n"
        "Ann,Lee,ann@x.org,1980-02-31\n"
        ",,,\n"
        ",,,1990-01-01\n"
        '"Multi\nline",Name,m@x.org,\n'
        "Zed,Last,z@x.org,\n"
    )
    recs = _parse(_write(tmp_path, text))
    assert [c.where for c in _contacts(recs)] == ["c.csv:2", "c.csv:5", "c.csv:7"]
    problems = [(p.where, p.reason) for p in recs if isinstance(p, ImportProblem)]
    assert [w for w, _ in problems] == ["c.csv:2", "c.csv:4"]
    assert "1980-02-31" in problems[0][1]


def test_sniff_scores(tmp_path: Path) -> None:
    imp = CsvContactsImporter()
    log = _write(tmp_path, "timestamp,from,to,channel,text\n2020-01-01,a,b,sms,hi\n", "l.csv")
    assert imp.sniff(log, read_head(log)) == 0
    other = _write(tmp_path, "id,amount,currency\n1,2,RUB\n", "o.csv")
    assert imp.sniff(other, read_head(other)) == 0
    ok = _write(tmp_path, OLD_GOOGLE, "google.csv")
    assert imp.sniff(ok, read_head(ok)) == 90
    # an Outlook calendar export: "Categories"/"Kategorien" is all it shares with a contact list
    for name, header in (
        ("kal.csv", '"Betreff","Beginnt am","Endet am","Beschreibung","Kategorien","Ort"\n'),
        ("cal.csv", "Subject~Start Date~End Date~Category~Description~Priority\n"),
    ):
        cal = _write(
            tmp_path, header + '"Meeting","2.5.2006","2.5.2006","","Work","Room 1"\n', name
        )
        assert imp.sniff(cal, read_head(cal)) == 0
        with pytest.raises(FormatError):
            _parse(cal)


def test_unrecognised_header_is_a_format_error(tmp_path: Path) -> None:
    with pytest.raises(FormatError):
        _parse(_write(tmp_path, "id,amount\n1,2\n"))


def test_linkedin_old_us_date_format(tmp_path: Path) -> None:
    text = "First Name,Last Name,Email Address,Connected On\nA,B,a@b.c,4/5/21\nC,D,c@d.e,12/20/19\n"
    cs = _contacts(_parse(_write(tmp_path, text)))
    assert [c.connected_on for c in cs] == [
        datetime(2021, 4, 5, tzinfo=UTC),
        datetime(2019, 12, 20, tzinfo=UTC),
    ]


def test_hostile_csv_never_crashes(tmp_path: Path) -> None:
    text = (
        "First Name,Last Name,E-mail Address\n"
        "Ann,Lee,ann@x.org\n"
        "Giant," + "x" * 300_000 + ",g@x.org\n"
        "Bob,\x00Ray,bob@x.org\n"
        'Unterminated,"quote,u@x.org\n'
        "Eve,Last,eve@x.org\n"
    )
    recs = _parse(_write(tmp_path, text))
    names = [c.full_name for c in _contacts(recs)]
    assert names[0] == "Ann Lee"
    assert "Bob Ray" in names
    assert any(isinstance(r, ImportProblem) for r in recs)


def test_yahoo_and_russian_webmail_headers(tmp_path: Path) -> None:
    yahoo = "First,Middle,Last,Nickname,Email,Category,Mobile,Alternate Email 1\nA,,B,,a@y.com,Friends,+1 5,a2@y.com\n"
    (c,) = _contacts(_parse(_write(tmp_path, yahoo, "y.csv")))
    assert (c.full_name, c.tags) == ("A B", ("Friends",))
    assert [i.value for i in c.identities] == ["a@y.com", "+1 5", "a2@y.com"]
    ru = "Фамилия;Имя;Отчество;Ник;E-mail;Мобильный телефон;Дата рождения\nОрлова;Анна;Ивановна;Аня;a@mail.ru;+7 900 1;01.02.1990\n"
    path = _write(tmp_path, ru.encode("cp1251"), "ru.csv")
    assert CsvContactsImporter().sniff(path, read_head(path)) >= 80
    (c,) = _contacts(_parse(path))
    assert (c.full_name, c.nickname, c.birthday) == ("Анна Ивановна Орлова", "Аня", "1990-02-01")
    assert c.identities == (
        IdentityRef("email", "a@mail.ru"),
        IdentityRef("phone", "+7 900 1", "cell"),
    )


def test_outlook_german_export(tmp_path: Path) -> None:
    # Outlook with a German UI: its own header names, Windows-1252, "0.0.00" for no date,
    # the e-mail's type ("SMTP") and display name in columns of their own.
    header = (
        '"Anrede","Vorname","Weitere Vornamen","Nachname","Firma","Abteilung","Position",'
        '"Straße geschäftlich","Ort geschäftlich","Postleitzahl geschäftlich",'
        '"Land/Region geschäftlich","Straße privat","Ort privat","Telefon geschäftlich",'
        '"Telefon (privat)","Mobiltelefon","Fax geschäftlich","E-Mail-Adresse","E-Mail-Typ",'
        '"E-Mail: Angezeigter Name","E-Mail 2: Adresse","Geburtstag","Jahrestag","Kategorien",'
        '"Notizen","Webseite"'
    )
    row = (
        '"Dr.","Jörg","Peter","Weiß","Müller GmbH","Vertrieb","Leiter","Hauptstraße 1",'
        '"München","80331","Deutschland","Gartenweg 2","Köln","+49 89 1234-0",'
        '"0221 55555","0170 1234567","+49 89 1234-99","joerg.weiss@example.de","SMTP",'
        '"Jörg Weiß (joerg.weiss@example.de)","jw@example.org","12.04.1975","0.0.00",'
        '"Kunden;Privat","Zeile eins\r\nZeile zwei","www.example.de"'
    )
    c = _outlook_contact(tmp_path, header, row, "de.csv")
    assert (c.prefix, c.given_name, c.middle_name, c.family_name) == (
        "Dr.",
        "Jörg",
        "Peter",
        "Weiß",
    )
    assert (c.organization, c.title) == ("Müller GmbH", "Leiter")
    assert (c.birthday, c.anniversary) == ("1975-04-12", None)
    assert c.note == "Zeile eins\nZeile zwei"
    assert c.identities == (  # in column order
        IdentityRef("phone", "+49 89 1234-0", "work"),
        IdentityRef("phone", "0221 55555", "home"),
        IdentityRef("phone", "0170 1234567", "cell"),
        IdentityRef("phone", "+49 89 1234-99", "work fax"),
        IdentityRef("email", "joerg.weiss@example.de"),
        IdentityRef("email", "jw@example.org", "other"),
    )
    assert c.tags == ("Kunden", "Privat")
    assert c.addresses == (
        "Hauptstraße 1, München, 80331, Deutschland",
        "Gartenweg 2, Köln",
    )
    assert c.urls == ("www.example.de",)


def test_outlook_japanese_export(tmp_path: Path) -> None:
    # Outlook with a Japanese UI: every column has its Japanese name, addresses are
    # "番地 (会社)"/"市町村 (自宅)", the country column is "国 (自宅)/地域".
    header = (
        "肩書き,名,ミドル ネーム,姓,敬称,会社名,部署,役職,番地 (会社),市町村 (会社),"
        "郵便番号 (会社),国 (会社)/地域,番地 (自宅),市町村 (自宅),都道府県 (自宅),郵便番号 (自宅),"
        "国 (自宅)/地域,会社電話,自宅電話,携帯電話,会社 FAX,Web ページ,メモ,分類,誕生日,"
        "電子メール アドレス,電子メールの種類,電子メール表示名,電子メール 2 アドレス"
    )
    row = (
        "博士,太郎,,山田,様,山田商事,営業部,部長,丸の内 1-1,千代田区,100-0005,日本,"
        "桜町 2-3,横浜市,神奈川県,220-0001,日本,+81 3 1234 5678,045 111 2222,090 1234 5678,"
        '+81 3 1234 5679,www.example.jp,"一行目\n二行目",顧客,1975/4/12,taro@example.jp,SMTP,'
        '"山田 太郎 (taro@example.jp)",yamada@example.org'
    )
    path = _write(tmp_path, header + "\n" + row + "\n", "jp.csv")
    assert CsvContactsImporter().sniff(path, read_head(path)) >= 80
    recs = _parse(path)
    assert [r for r in recs if isinstance(r, ImportProblem)] == []
    (c,) = _contacts(recs)
    assert (c.prefix, c.given_name, c.family_name, c.suffix) == ("博士", "太郎", "山田", "様")
    assert (c.organization, c.title, c.birthday) == ("山田商事", "部長", "1975-04-12")
    assert c.note == "一行目\n二行目" and c.tags == ("顧客",) and c.urls == ("www.example.jp",)
    assert c.identities == (
        IdentityRef("phone", "+81 3 1234 5678", "work"),
        IdentityRef("phone", "045 111 2222", "home"),
        IdentityRef("phone", "090 1234 5678", "cell"),
        IdentityRef("phone", "+81 3 1234 5679", "work fax"),
        IdentityRef("email", "taro@example.jp"),
        IdentityRef("email", "yamada@example.org", "other"),
    )
    assert c.addresses == (
        "丸の内 1-1, 千代田区, 100-0005, 日本",
        "桜町 2-3, 横浜市, 神奈川県, 220-0001, 日本",
    )


def test_outlook_french_export(tmp_path: Path) -> None:
    # Outlook with a French UI, Windows-1252: "Titre" is the courtesy title before "Prénom"
    # and the job title after "Service"; "Anniversaire" is the birthday.
    header = (
        '"Titre","Prénom","Deuxième prénom","Nom","Suffixe","Société","Service","Titre",'
        '"Rue (bureau)","Ville (bureau)","Code postal (bureau)","Pays/Région (bureau)",'
        '"Rue (domicile)","Ville (domicile)","Téléphone (bureau)","Téléphone (domicile)",'
        '"Tél. mobile","Télécopie (bureau)","Adresse de messagerie","Type de messagerie",'
        '"Nom complet de l\'adresse de messagerie","Adresse de messagerie 2","Anniversaire",'
        '"Anniversaire de mariage ou fête","Catégories","Notes","Page Web"'
    )
    row = (
        '"M.","Jérôme","Marie","Lefèvre","","Société Générale","Ventes","Directeur",'
        '"1 rue de la Paix","Paris","75002","France","3 allée des Lilas","Lyon",'
        '"+33 1 23 45 67 89","04 78 00 00 00","06 12 34 56 78","+33 1 23 45 67 00",'
        '"jerome@example.fr","SMTP","Jérôme Lefèvre (jerome@example.fr)","jl@example.org",'
        '"14/07/1970","0/0/00","Clients;Amis","Première ligne","www.example.fr"'
    )
    c = _outlook_contact(tmp_path, header, row, "fr.csv")
    assert (c.prefix, c.given_name, c.middle_name, c.family_name) == (
        "M.",
        "Jérôme",
        "Marie",
        "Lefèvre",
    )
    assert (c.organization, c.title, c.birthday, c.anniversary) == (
        "Société Générale",
        "Directeur",
        "1970-07-14",
        None,
    )
    assert c.identities == (
        IdentityRef("phone", "+33 1 23 45 67 89", "work"),
        IdentityRef("phone", "04 78 00 00 00", "home"),
        IdentityRef("phone", "06 12 34 56 78", "cell"),
        IdentityRef("phone", "+33 1 23 45 67 00", "work fax"),
        IdentityRef("email", "jerome@example.fr"),
        IdentityRef("email", "jl@example.org", "other"),
    )
    assert c.addresses == ("1 rue de la Paix, Paris, 75002, France", "3 allée des Lilas, Lyon")
    assert c.tags == ("Clients", "Amis") and c.note == "Première ligne"
    assert c.urls == ("www.example.fr",)


def test_namesakes_without_address_or_phone_keep_their_own_keys(tmp_path: Path) -> None:
    # Two rows with one name and no e-mail or phone, told apart by the company: two people.
    data = "Name,Company,Notes\nAnn Lee,Acme,\nAnn Lee,Globex,\nAnn Lee,Acme,\n"
    a, b, again = _contacts(_parse(_write(tmp_path, data)))
    assert a.source_key != b.source_key and again.source_key == a.source_key


def test_a_courtesy_title_alone_is_no_name(tmp_path: Path) -> None:
    (c,) = _contacts(_parse(_write(tmp_path, "Title,First Name,E-mail Address\nMrs.,,a@x.org\n")))
    assert (c.full_name, c.prefix) == ("a@x.org", "Mrs.")


def test_dates_with_a_time_of_day(tmp_path: Path) -> None:
    # LinkedIn's 2018 export: "Connected On" is a US date with a 12-hour time; its e-mail column
    # holds a member URN for people who hide their address. Outlook/Excel write "0:00:00" times.
    text = (
        "First Name,Last Name,Email Address,Company,Position,Connected On\n"
        'Ann,Lee,ann@example.com,Acme,CTO,"1/8/18, 6:14 PM"\n'
        'Bob,Roe,urn:li:member:664293716,,,"11/17/17, 9:40 PM"\n'
    )
    recs = _parse(_write(tmp_path, text))
    assert [r for r in recs if isinstance(r, ImportProblem)] == []
    ann, bob = _contacts(recs)
    assert ann.connected_on == datetime(2018, 1, 8, tzinfo=UTC)
    assert bob.connected_on == datetime(2017, 11, 17, tzinfo=UTC)
    assert bob.identities == ()
    outlook = (
        "First Name,Last Name,Birthday\nCy,Doe,4/14/1980 12:00:00 AM\nDi,Doe,14.04.1981 0:00:00\n"
    )
    cy, di = _contacts(_parse(_write(tmp_path, outlook, "o.csv")))
    assert (cy.birthday, di.birthday) == ("1980-04-14", "1981-04-14")


def test_google_friends_family_coworkers_groups_are_tags(tmp_path: Path) -> None:
    # Google writes its own groups with a "*": "myContacts"/"starred" say nothing about the
    # person, "friends"/"family"/"coworkers" are the labels the user picked.
    text = (
        "First Name,Last Name,Labels,E-mail 1 - Label,E-mail 1 - Value\n"
        "Ann,Lee,* coworkers ::: * myContacts ::: Climbing,* Home,ann@example.com\n"
        "Bob,Roe,* family ::: * starred ::: * friends,,bob@example.com\n"
    )
    ann, bob = _contacts(_parse(_write(tmp_path, text)))
    assert ann.tags == ("Coworkers", "Climbing")
    assert bob.tags == ("Family", "Friends")
